# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route's Task: validated desired routes (tasks/route_validate.py),
reads filtered by the kernel, and a plan that changes a route in place
where the kernel can.

Reads: one dump per (family, table, protocol) the task names, filtered
by the kernel (NETLINK_GET_STRICT_CHK with rtm_protocol and RTA_TABLE),
so a task managing ten static routes beside a full BGP table decodes ten
routes, not a million.  The price: a route of another protocol with the
same identity is not seen; adding ours then fails with the kernel's "File
exists", and nothing of another protocol is ever taken over or removed.

Plan: a route whose identity (family, table, dst, tos, metric) exists is
changed with one NLM_F_REPLACE (gateway, dev, next hops, type, scope,
src, metrics...), but an IPv6 route through a device alone (whose
identity holds its device, objects/route.py is_device_route) is deleted
and appended again, and a new IPv6 route first deletes the unlisted
routes the kernel would not keep beside it (_SharedPlaces), and so are
listed absent ones there (_making_room); with
``state: replaced`` a listed route whose metric differs from an unlisted
one of the same destination is a new identity: added, and the old one
deleted, each change saying so.  Deletes run after every add and
replace, but those that must make room first.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine import plans
from . import route_gather
from .base import Task
from .route_validate import PROTOCOL_STATIC, desired_routes, family_option, protocol_option, table_option
from .validate import fail, validate_ifname
from ..netlink.rtnl import route as R
from ..objects import registry
from ..objects.route import is_device_route, route_type, table_id

GATHER_FILTERS = ("table", "protocol", "dev", "family")
DELETE_STAGE = 1
ROOM_STAGE = -1  # deletes that make room for an add (_making_room)


def dump_routes(ctx, kind, family, table=None, protocol=None, oif=None):
    """The route objects of one family, filtered by the kernel on table,
    protocol and output device (None: any): key -> object."""
    out = {}

    def collect(msg):
        # strict filtering is what the kernel promises; checked anyway (a
        # kernel without NETLINK_GET_STRICT_CHK dumps everything), on the
        # message's numbers, before an object is made of it
        if table is not None and msg.attrs.get("table", msg.header["table"]) != table:
            return None
        if protocol is not None and msg.header["protocol"] != protocol:
            return None
        kind.collect(out, kind.from_msg(msg, ctx))
        return None
    route_gather.dump(ctx, family, table, protocol, oif, factory=collect)
    return out


class RouteTask(Task):
    result_key = "routes"

    def __init__(self):
        self.kind = registry.kind("route")

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        if state == "gathered":
            self._gather_filters(params)  # validated before anything is read
            return []
        # scope: the (family, table id) pairs whose static routes
        # ``replaced`` owns (none for another state)
        out = contract.Desired(desired_routes(params, self.kind.key), scope=[])
        if state == "replaced":
            tables = set(table_id(o["table"]) for o in out)
            if params.get("table") is not None:
                tables.add(table_id(table_option("table", params["table"])))
            if not tables:
                raise contract.ValidationError(
                    "routes: state=replaced needs the routes of a table, or table= to empty one of its %s "
                    "routes (nothing is named, so nothing would be replaced)" % PROTOCOL_STATIC)
            out.scope = sorted((fam, t) for t in tables for fam in (4, 6))
        elif not out:
            raise contract.ValidationError("dst or routes is required with state=%s" % state)
        return out

    def _gather_filters(self, params):
        """The filters of ``state: gathered``, validated: table, protocol
        and family numbers, dev a name."""
        others = sorted(k for k in ("dst", "gateway", "routes", "nexthops", "nhid", "metric")
                        if params.get(k) is not None)
        if others:
            fail(others[0], params[others[0]], "state=gathered takes only the filters %s"
                 % ", ".join(GATHER_FILTERS))
        out = {"families": (4, 6), "table": None, "protocol": None, "dev": None}
        if params.get("family") is not None:
            out["families"] = (family_option("family", params["family"]),)
        if params.get("table") is not None:
            out["table"] = table_id(table_option("table", params["table"]))
        if params.get("protocol") is not None:
            out["protocol"] = R.RTPROT.number_of(protocol_option("protocol", params["protocol"]))
        if params.get("dev") is not None:
            validate_ifname(params["dev"], "dev")
            out["dev"] = params["dev"]
        return out

    # -- kernel reads --------------------------------------------------------

    def current(self, ctx, desired, params, mode):
        """One kernel-filtered dump per (family, table, protocol) named."""
        groups = set((o["family"], table_id(o["table"]), R.RTPROT.number_of(o["protocol"])) for o in desired)
        static = R.RTPROT.number_of(PROTOCOL_STATIC)
        groups.update((fam, table, static) for fam, table in desired.scope)
        out = {}
        for fam, table, proto in sorted(groups):
            out.update(dump_routes(ctx, self.kind, fam, table, proto))
        if mode.ahead:  # a transaction: the routes an earlier step deletes (with a re-created link) are gone
            out = dict((key, obj) for key, obj in out.items() if not mode.ahead.gone(self.kind.name, key))
        return out

    def check(self, ctx, desired, current, params, mode):
        """Devices named by routes to add must exist (in check mode, an
        earlier task may make them: a warning)."""
        for obj in desired:
            if obj["state"] == "absent":
                continue
            devs = [obj.get("dev")] + [h.get("dev") for h in obj.get("nexthops") or ()]
            for dev in devs:
                if dev and ctx.ifindex(dev, required=False) is None:
                    self.missing_in_check_mode(mode, "dev=%s" % dev, "route %s is planned as if it did" % obj["dst"],
                                               "dev=%s: no such device (route %s)" % (dev, obj["dst"]), made=("link", (dev,)))
        return []

    def gather(self, ctx, params):
        filters = self._gather_filters(params)
        oif = None
        if filters["dev"]:
            oif = ctx.ifindex(filters["dev"], required=False)
            if oif is None:
                fail("dev", filters["dev"], "no such device")
        out = []
        for fam in filters["families"]:
            found = route_gather.Gathered(self.kind, ctx, filters["table"], filters["protocol"])
            listed = route_gather.dump(ctx, fam, filters["table"], filters["protocol"], oif, factory=found.add,
                                       raw=True)
            out.extend(found.routes(listed))
        return out

    # -- plan ----------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        kind = self.kind
        changes = []
        first = set()  # ids of deletes that must run before the creates
        shared = _SharedPlaces(kind, current, desired)
        for item in desired:
            have = current.get(kind.key(item))
            if item.get("encap") and item["state"] == "present" and (have or {}).get("encap") != item["encap"]:
                raise contract.PlanError(
                    "route %s: encap=%s: nl_route does not model encapsulation (RTA_ENCAP); a route given with it "
                    "(as gathered returns one) only matches the route the kernel holds with it (%s). Make or change "
                    "it with ip route ... encap" % (kind.label(item), item["encap"],
                                                    "it holds none" if have is None else
                                                    "it holds %s" % (have.get("encap") or "none")))
            if have is not None and have.get("encap") and item["state"] == "present" \
                    and kind.differs(item, have):
                raise contract.PlanError(
                    "route %s: the kernel holds it with %s encapsulation (RTA_ENCAP), which nl_route does not "
                    "model; replacing it would strip the encapsulation. Remove it first (state=absent) or change "
                    "it with ip route replace ... encap" % (kind.label(have), have["encap"]))
            if have is None and item["family"] == 6:
                if item["state"] == "absent":
                    changes += shared.absent(item)
                    continue
                for ch in shared.taken_over(item):
                    first.add(id(ch))
                    changes.append(ch)
            planned = plans.plan_item(kind, item, have)
            if planned and planned[0]["op"] == contract.UPDATE and is_device_route(have):
                planned = _delete_and_append(kind, planned[0])
                first.add(id(planned[0]))
            changes += planned
        if params.get("state") == "replaced":
            changes += self._unlisted(desired, current, changes, shared.deleted)
        room = _making_room(kind, changes)
        for ch in changes:
            if id(ch) in room:
                ch["stage"] = ROOM_STAGE
            elif ch["op"] == contract.DELETE and id(ch) not in first:
                ch["stage"] = DELETE_STAGE
        return plans.order(changes)

    def _unlisted(self, desired, current, changes, deleted):
        """``replaced``: the collection's own (protocol static) routes of the
        named tables that are not listed go; routes of every other
        protocol stay.  A listed route with the destination of one that
        goes but another metric (tos) is that route's new identity: both
        changes say so."""
        kind = self.kind
        listed = set(kind.key(o) for o in desired)
        tables = set(desired.scope)
        created = dict((_place(ch["after"]), ch) for ch in changes if ch["op"] == contract.CREATE)
        out = []
        for key, obj in current.items():
            if key in listed or key in deleted or obj["protocol"] != PROTOCOL_STATIC \
                    or (obj["family"], table_id(obj["table"])) not in tables:
                continue
            note = None
            new = created.pop(_place(obj), None)
            if new is not None:
                moved = ["%s %s -> %s" % (f, obj.get(f), new["after"].get(f)) for f in ("metric", "tos", "dev")
                         if obj.get(f) != new["after"].get(f)]
                note = "re-created: %s (part of a route's identity: the kernel cannot change it in place, " \
                       "so the new route is added and the old one deleted)" % ", ".join(moved)
                new["note"] = note
            out.append(contract.change(kind, contract.DELETE, obj, None, note))
        return out

    def after(self, ctx, desired, params, current):
        if ctx.write_requests:
            current = self.reread(ctx, desired, params)
        out = []
        for obj in desired:
            found = current.get(self.kind.key(obj))
            if found is not None:
                out.append(found)
        return out


def _delete_and_append(kind, update):
    """An IPv6 device route's update as a delete of that exact route (its
    device named) and an append of the new one: NLM_F_REPLACE would
    replace the first route of the destination and metric, which may be
    another device's."""
    note = "re-created: %s differ; an IPv6 route through a device alone is deleted and appended again (a " \
           "replace could hit the same destination's route through another device)" \
           % ", ".join(kind.differs(update["after"], update["before"]))
    return [contract.change(kind, contract.DELETE, update["before"], None, note),
            contract.change(kind, contract.CREATE, None, update["after"], note)]


def _making_room(kind, changes):
    """The ids of the deletes of listed (``state: absent``) IPv6 routes at
    the destination and metric of a route this plan adds, where the
    kernel would not keep the two side by side (only two routes through a
    device alone stay together): they run before every add, or the add
    fails with "File exists".  Unlisted routes in the way are
    _SharedPlaces.taken_over's."""
    new = {}
    for ch in changes:
        if ch["op"] == contract.CREATE and ch["after"]["family"] == 6:
            new.setdefault(kind.base_key(ch["after"]), []).append(is_device_route(ch["after"]))
    room = set()
    if not new:
        return room
    for ch in changes:
        if ch["op"] == contract.DELETE and ch["before"]["family"] == 6:
            devices = new.get(kind.base_key(ch["before"]))
            if devices is not None and not (is_device_route(ch["before"]) and all(devices)):
                room.add(id(ch))
    return room


class _SharedPlaces:
    """The IPv6 routes read that share a destination and metric (a fib6
    node's place, ``kind.base_key``) with others: several device routes,
    or a device route beside another kind of route.  Built on first use
    (most tasks never need it)."""

    def __init__(self, kind, current, desired):
        self.kind = kind
        self.current = current
        self.listed = None
        self.desired = desired
        self.places = None
        self.deleted = set()  # keys of the routes these changes delete

    def _at(self, item):
        if self.places is None:
            self.places = {}
            for key, obj in self.current.items():
                if obj["family"] == 6:
                    self.places.setdefault(self.kind.base_key(obj), []).append((key, obj))
            self.listed = set(self.kind.key(o) for o in self.desired)
        return [(key, obj) for key, obj in self.places.get(self.kind.base_key(item), ())
                if key not in self.deleted]

    def _delete(self, key, obj, note):
        self.deleted.add(key)
        return contract.change(self.kind, contract.DELETE, obj, None, note)

    def absent(self, item):
        """``state: absent`` of an IPv6 route that names no device, gateway
        or next hop: every device route of its destination and metric."""
        if any(item.get(f) for f in ("dev", "gateway", "nexthops", "nhid")):
            return []
        rtype = route_type(item)
        return [self._delete(key, obj, None) for key, obj in self._at(item)
                if is_device_route(obj) and route_type(obj) == rtype]

    def taken_over(self, item):
        """The routes a new IPv6 route ``item`` replaces (deleted before it
        is added): those of its destination and metric that the task does
        not list, but not device routes when ``item`` is one too (they stay
        beside it).  The kernel keeps one route per destination and metric
        apart from those, and a create beside one fails with EEXIST."""
        device = is_device_route(item)
        note = "replaced by %s: the kernel keeps one route of a destination and metric, apart from IPv6 " \
               "routes through a device alone, so it is deleted first" % self.kind.label(item)
        return [self._delete(key, obj, note) for key, obj in self._at(item)
                if key not in self.listed and not (device and is_device_route(obj))]


def _place(obj):
    """A route's identity without its metric: where it goes."""
    return (obj["family"], table_id(obj["table"]), obj["dst"], obj.get("src_prefix"))
