# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Nexthop objects (RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_GETNEXTHOP) for
nl_nexthop: what routes use by id (``ip route add ... nhid N``).

A nexthop object, in the module's own input format (plain data)::

    {"id": 1, "family": 4, "gateway": "192.0.2.1", "dev": "eth0",
     "onlink": False, "blackhole": False, "fdb": False,
     "group": None, "type": None, "buckets": None, "idle_timer": None,
     "unbalanced_timer": None, "protocol": "static", "encap": None}

and a group::

    {"id": 10, "family": None, "group": [{"id": 1, "weight": 1}, ...],
     "type": "mpath" | "resilient", "buckets": 128, "idle_timer": 120,
     "unbalanced_timer": 0, "fdb": False, "protocol": "static", ...}

Identity is the id (the kernel's).  ``family`` is 4 or 6 for a single
nexthop (the gateway's, or given: a device-only or blackhole nexthop of
IPv6 routes is family 6) and None for a group (AF_UNSPEC).  Weights are
1..256 (``ip nexthop``'s ``id,weight``; the wire carries weight - 1);
resilient timers are in seconds (clock_t on the wire).  ``encap`` is
read as the route kind reads it: its type name, the raw attributes in the
hidden ``kernel`` block (so a delete is undone with it); a task refuses to
replace such a nexthop.

What the kernel changes in place (NLM_F_REPLACE, ``ip nexthop
replace``): a single nexthop's gateway, device, flags and protocol, a
group's members and weights and a resilient group's timers; the routes
using it follow without a request of their own (the point of nexthop
objects).  It refuses to turn a nexthop into a group or back, to change a
group's type or a resilient group's bucket count, or a nexthop's fdb
flag: those are ``fixed()`` (delete + create).

What goes with a nexthop (declared by the kinds, planned by
engine/cascade.py): deleting one deletes the routes that use it
(``GoesWithNexthop``, the route kind's, in objects/route.py) and takes it out of the groups it is in (a group left empty is deleted
too, and its routes); deleting or downing a link deletes the nexthops on
it (``GoesWithLink``).  The chain link -> nexthop -> group -> route is
followed by the engine, level by level.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from .. import contract
from ..netlink import const as C
from ..netlink.rtnl import nexthop as N
from ..netlink.rtnl.route import RTNH_F_ONLINK, RTPROT
from ..netlink.socket import Request
from .dies_with_link import DiesWithLink
from .enums import enum_number
from .iproute2 import CommandLabel, ip_words, quote
from .route import ENCAP_TYPES, protocol_word

AF = {4: C.AF_INET, 6: C.AF_INET6}
FAMILIES = {C.AF_INET: 4, C.AF_INET6: 6}
USER_HZ = 100   # clock_t: the kernel's USER_HZ, fixed at 100 on every architecture's ABI
GROUP_TYPES = ("mpath", "resilient")
RES_FIELDS = ("buckets", "idle_timer", "unbalanced_timer")


def is_group(obj):
    return bool(obj.get("group"))


def kernel_of(obj):
    return (obj or {}).get("kernel") or {}


def seconds(clock_t):
    value = clock_t / float(USER_HZ)
    return int(value) if value == int(value) else value


class GoesWithLink(DiesWithLink):
    """The nexthops on a link go with it (the kernel flushes them when the
    link goes down or goes): planned before its ``down`` step, so an undo
    adds them back once the link is up again (the kernel refuses a nexthop
    on a link that is down)."""

    role = "nexthop"
    before = "down"

    def read(self, kind, ctx, gone):
        """One dump per gone link, filtered by the kernel on NHA_OIF."""
        out = {}
        for index, name in self.by_index(gone):
            for obj in kind.dump(ctx, {"oif": index}, "ip nexthop show dev %s" % name):
                out.setdefault(name, []).append(contract.change(kind, contract.DELETE, obj, None,
                                                                "goes with link %s" % name))
        return out


class LeavesGroups(contract.DiesWith):
    """A nexthop that goes leaves the groups it is in (the kernel takes it
    out of them; a group left with no member goes too).  One dump of the
    groups (NHA_GROUPS) for all the nexthops that go; each group's change
    is listed with the first of its members that goes, and says what the
    group is once all of them are gone."""

    parent = "nexthop"
    role = "group"

    def read(self, kind, ctx, gone):
        out = {}
        order = list(gone)
        for group in kind.dump(ctx, {"groups": True}, "ip nexthop show groups"):
            if group["id"] in gone:
                continue
            members = [m["id"] for m in group["group"]]
            lost = [i for i in order if i in members]
            if not lost:
                continue
            kept = [m for m in group["group"] if m["id"] not in gone]
            words = ", ".join(str(i) for i in lost)
            if kept:
                after = dict(copy.deepcopy(group), group=kept)
                ch = contract.change(kind, contract.UPDATE, group, after, "loses member(s) %s" % words)
            else:
                ch = contract.change(kind, contract.DELETE, group, None, "goes with its last member(s) %s" % words)
            out.setdefault(lost[0], []).append(ch)
        return out


class NexthopKind(contract.ObjectKind):
    name = "nexthop"
    dies_with = (GoesWithLink(), LeavesGroups())
    control_fields = ("state", "kernel", "encap")

    def key(self, obj):
        return (obj["id"],)

    def ref(self, obj):
        return obj["id"]

    def label(self, obj):
        return "id %s" % obj["id"]

    def devices(self, obj):
        return tuple(n for n in (obj.get("dev"),) if isinstance(n, str))

    def fixed(self, desired, current, fields):
        """What a replace cannot change (the kernel: "Can not replace a
        nexthop group with a nexthop", "... of a different type", "Cannot
        change number of buckets ...", fdb against non-fdb)."""
        if is_group(desired) != is_group(current):
            return ["group"]    # its type and buckets differ with it: one reason is enough
        out = []
        for field in ("type", "buckets", "fdb"):
            if field in fields and (field != "buckets" or desired.get("type") == "resilient"):
                out.append(field)
        return out

    # -- what a change sends ---------------------------------------------------

    def request(self, change, ctx):
        op = change["op"]
        label = CommandLabel(self, change, ctx)
        if op == contract.DELETE:
            return Request(C.RTM_DELNEXTHOP, 0, {"family": C.AF_UNSPEC}, {"id": change["before"]["id"]}, label)
        obj = change["after"]
        header = {"family": AF.get(obj.get("family"), C.AF_UNSPEC),
                  "protocol": enum_number(RTPROT, obj.get("protocol"), "protocol") or 0,
                  "flags": RTNH_F_ONLINK if obj.get("onlink") else 0}
        attrs = {"id": obj["id"]}
        if is_group(obj):
            attrs["group"] = [{"id": m["id"], "weight": m.get("weight", 1) - 1} for m in obj["group"]]
            attrs["group_type"] = N.GROUP_TYPE.number_of(obj.get("type") or "mpath")
            if obj.get("type") == "resilient":
                res = {}
                if obj.get("buckets") is not None:
                    res["buckets"] = obj["buckets"]
                for field in ("idle_timer", "unbalanced_timer"):
                    if obj.get(field) is not None:
                        res[field] = int(round(obj[field] * USER_HZ))
                attrs["res_group"] = res
        elif obj.get("blackhole"):
            attrs["blackhole"] = True
        else:
            if obj.get("dev"):
                try:
                    attrs["oif"] = ctx.ifindex(obj["dev"])
                except KeyError:
                    raise contract.PlanError("dev: %r: no such device" % obj["dev"])
            if obj.get("gateway"):
                attrs["gateway"] = obj["gateway"]
        if obj.get("fdb"):
            attrs["fdb"] = True
        encap = kernel_of(obj).get("encap")
        if encap:
            attrs["encap_type"] = encap["type"]
            attrs["encap"] = bytes.fromhex(encap["data"])
        flags = C.NLM_F_CREATE | (C.NLM_F_EXCL if op == contract.CREATE else C.NLM_F_REPLACE)
        return Request(C.RTM_NEWNEXTHOP, flags, header, attrs, label)

    def command(self, change, ctx):
        op = change["op"]
        if op == contract.DELETE:
            return " ".join(ip_words(ctx) + ["nexthop", "del", "id", str(change["before"]["id"])])
        obj = change["after"]
        single_v6 = not is_group(obj) and obj.get("family") == 6 and not obj.get("gateway")
        words = ip_words(ctx, 6 if single_v6 else None)
        words += ["nexthop", "add" if op == contract.CREATE else "replace", "id", str(obj["id"])]
        if is_group(obj):
            words += ["group", "/".join(str(m["id"]) if m.get("weight", 1) == 1 else "%s,%s" % (m["id"], m["weight"])
                                        for m in obj["group"])]
            if obj.get("type") == "resilient":
                words += ["type", "resilient"]
                for field in RES_FIELDS:
                    if obj.get(field) is not None:
                        words += [field, str(obj[field])]
        elif obj.get("blackhole"):
            words.append("blackhole")
        else:
            if obj.get("gateway"):
                words += ["via", quote(obj["gateway"])]
            if obj.get("dev"):
                words += ["dev", quote(obj["dev"])]
            if obj.get("onlink"):
                words.append("onlink")
        if obj.get("fdb"):
            words.append("fdb")
        if kernel_of(obj).get("encap"):
            words += ["encap", ENCAP_TYPES.get(kernel_of(obj)["encap"]["type"], str(kernel_of(obj)["encap"]["type"]))]
        if obj.get("protocol") not in (None, RTPROT.name_of(0)):
            words += ["proto", protocol_word(obj["protocol"])]
        return " ".join(words)

    # -- kernel -> object --------------------------------------------------

    def from_msg(self, msg, ctx):
        h, a = msg.header, msg.attrs
        obj = {"id": a["id"], "family": FAMILIES.get(h["family"]), "gateway": a.get("gateway"), "dev": None,
               "onlink": bool(h["flags"] & RTNH_F_ONLINK), "blackhole": bool(a.get("blackhole")),
               "fdb": bool(a.get("fdb")), "group": None, "type": None, "buckets": None, "idle_timer": None,
               "unbalanced_timer": None, "protocol": RTPROT.name_of(h["protocol"]), "encap": None}
        kernel = {}
        if a.get("oif"):
            obj["dev"] = ctx.ifname(a["oif"])
            kernel["ifindex"] = a["oif"]
        if a.get("group"):
            obj["family"] = None
            obj["group"] = [{"id": m["id"], "weight": m["weight"] + 1 + (m.get("weight_high", 0) << 8)}
                            for m in a["group"]]
            obj["type"] = N.GROUP_TYPE.name_of(a.get("group_type", 0))
            res = a.get("res_group")
            if obj["type"] == "resilient" and isinstance(res, dict):
                obj["buckets"] = res.get("buckets")
                for field in ("idle_timer", "unbalanced_timer"):
                    if res.get(field) is not None:
                        obj[field] = seconds(res[field])
        if a.get("encap_type"):
            kernel["encap"] = {"type": a["encap_type"], "data": bytes(a.get("encap") or b"").hex()}
            obj["encap"] = ENCAP_TYPES.get(a["encap_type"], a["encap_type"])
        if kernel:
            obj["kernel"] = kernel
        return obj

    # -- reads -------------------------------------------------------------

    def dump(self, ctx, attrs=None, label="ip nexthop show"):
        """The nexthops the kernel lists, filtered by it on ``attrs``
        (NHA_OIF, NHA_GROUPS, NHA_FDB, NHA_MASTER)."""
        out = []
        for msg in ctx.socket().dump(C.RTM_GETNEXTHOP, {"family": C.AF_UNSPEC}, attrs or {}, label=label):
            if msg.attrs.get("id"):
                out.append(self.from_msg(msg, ctx))
        return out

    def read(self, ctx, objs):
        """Every nexthop, by key (one dump: undo reads back what it
        restored)."""
        return dict((self.key(o), o) for o in self.dump(ctx))
