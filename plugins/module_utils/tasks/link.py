# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_link's Task: params -> validated desired links; one link dump; a plan
ordered so parents exist before their children (a bridge before its
ports, a vlan's parent before the vlan) and go after them on delete."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

try:
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
except ImportError:  # the host program (host_cli/), where Ansible is not installed
    ArgumentSpecValidator = None

from .. import contract
from . import argspec
from ..engine import plans
from . import link_cascade, link_devconf, link_move
from .base import Task
from .link_bridge_mtu import reassert_bridge_mtu
from .link_checks import check_links
from .link_peer import peer_elsewhere, resolve_peer
from .link_readback import read_back
from .validate import check_int, validate_ifname, validate_mac
from ..engine.context import validate_netns
from ..objects import registry
from ..objects.link import COMMON_FIELDS, bare_link, bare_veth
from ..objects.link_types import (CREATABLE, NEEDS_PARENT, REQUIRED, SETTINGS, block_spec, item_plain, parents,
                                  validate_block)

IFALIASZ = 256
# IFLA_MTU is a u32 the kernel takes as an int (netif_set_mtu_ext: a
# negative MTU is refused).  The real limits are per device (lo takes 0 and
# 65536; an Ethernet-like link 68-65535): LinkTask.check() holds the value
# to the limits the kernel reports for the device, before any change.
MTU_RANGE = (0, 2 ** 31 - 1)
# A bridge's forward delay with STP on (BR_MIN/MAX_FORWARD_DELAY, 2-30 s,
# in centiseconds); with STP off the kernel takes any value (0 is common).
STP_FORWARD_DELAY = (200, 3000)
ITEM_OPTIONS = ("name", "kind", "state", "mtu", "address", "master", "alias", "txqueuelen",
                "link", "bridge_port") + tuple(SETTINGS)
ITEM_OPTIONS += link_move.OPTIONS  # to_netns: tasks/link_move.py
ITEM_OPTIONS += link_devconf.OPTIONS  # ipv4, ipv6: tasks/link_devconf.py
STATES = ("present", "up", "down", "absent")

# Stage numbers: the deletes of links re-created with another kind or
# parent first (deepest child first); then creates and updates
# (shallowest parent first); then every other delete (deepest first), so
# that a refused create or update never has to resurrect a deleted link.
_RECREATE_BASE = -1000
_DELETE_BASE = 1000000


def typed_block(kind, block, where):
    """A per-type block of a ``links`` item, which the argument spec takes
    as a plain dict (its settings are documented once, at the top level):
    converted and checked against its spec as AnsibleModule does the
    top-level block, so both read the same."""
    if not isinstance(block, dict):
        raise contract.ValidationError("%s: a dict is required, got %r" % (where[:-1], block))
    spec = block_spec(kind)
    unknown = sorted(k for k in block if k not in spec)
    if unknown:
        raise contract.ValidationError("%s%s: unknown option" % (where, unknown[0]))
    if ArgumentSpecValidator is None:
        return argspec.normalize(spec, block, where)
    result = ArgumentSpecValidator(spec).validate(block)
    if result.error_messages:
        raise contract.ValidationError("%s %s" % (where[:-1] + ":", result.error_messages[0]))
    return result.validated_parameters


class LinkTask(Task):
    kind = registry.kind("link")
    result_key = "links"

    # -- params -> desired --------------------------------------------------

    def desired(self, params):
        if params.get("state") == "gathered":
            return []
        if params.get("links") is not None:
            if params.get("name"):
                raise contract.ValidationError("name=%s and links: give one link through the top-level "
                                               "options or many through links, not both" % params["name"])
            items = [(item, "links[%d]." % i) for i, item in enumerate(params["links"])]
        elif params.get("name"):
            items = [(params, "")]
        else:
            raise contract.ValidationError("name: required (or a list of links)")
        default_state = params.get("state") or "present"
        out = []
        seen = set()
        for item, where in items:
            obj = self._desired_item(item, where, default_state)
            if obj["name"] in seen:
                raise contract.ValidationError("%sname=%s: the link is listed twice" % (where, obj["name"]))
            seen.add(obj["name"])
            out.append(obj)
        return out

    def _desired_item(self, item, where, default_state):
        unknown = sorted(k for k in item if k not in ITEM_OPTIONS and k not in self.TOP_ONLY)
        if unknown and where:
            raise contract.ValidationError("%s%s: unknown option" % (where, unknown[0]))
        validate_ifname(item.get("name"), where + "name")
        state = item.get("state") or default_state
        if state not in STATES:
            raise contract.ValidationError("%sstate=%s is not one of %s" % (where, state, ", ".join(STATES)))
        obj = {"name": item["name"], "state": state}
        if item.get("to_netns") is not None:
            return link_move.desired(item, where, obj, ITEM_OPTIONS)
        kind = item.get("kind")
        if kind is not None and kind not in CREATABLE:
            raise contract.ValidationError("%skind=%s is not one of %s" % (where, kind, ", ".join(CREATABLE)))
        obj["kind"] = kind
        mtu = item.get("mtu")
        if mtu is not None:
            check_int(mtu, where + "mtu", MTU_RANGE[0], MTU_RANGE[1])
        obj["mtu"] = mtu
        address = item.get("address")
        obj["address"] = validate_mac(address, where + "address") if address is not None else None
        txq = item.get("txqueuelen")
        if txq is not None:
            check_int(txq, where + "txqueuelen", 0, 0xFFFFFFFF)
        obj["txqueuelen"] = txq
        master = item.get("master")
        if master:
            validate_ifname(master, where + "master")
            if master == obj["name"]:
                raise contract.ValidationError("%smaster=%s: a link cannot be its own master" % (where, master))
        obj["master"] = master
        alias = item.get("alias")
        if alias is not None and len(alias.encode("utf-8")) >= IFALIASZ:
            raise contract.ValidationError("%salias: at most %d bytes" % (where, IFALIASZ - 1))
        obj["alias"] = alias
        parent = item.get("link")
        if parent is not None:
            validate_ifname(parent, where + "link")
        obj["link"] = parent
        for k in SETTINGS:
            block = item.get(k)
            if block is None:
                continue
            if kind is not None and k != kind:
                raise contract.ValidationError("%s%s: given for a link of kind %s" % (where, k, kind))
            obj[k] = self._kind_block(k, block, where + k + ".")
        if item.get("bridge_port") is not None:
            obj["bridge_port"] = self._kind_block("bridge_port", item["bridge_port"], where + "bridge_port.")
        for name in link_devconf.OPTIONS:
            if item.get(name) is not None:
                obj[name] = link_devconf.block(name, item[name], where + name + ".")
        if state != "absent" and kind is not None:
            for req in REQUIRED.get(kind, ()):
                if (obj.get(kind) or {}).get(req) is None:
                    raise contract.ValidationError("%s%s.%s: required for kind %s" % (where, kind, req, kind))
            if kind in NEEDS_PARENT and not parent:
                raise contract.ValidationError("%slink: required for kind %s (the parent link)" % (where, kind))
        return obj

    TOP_ONLY = ("links", "netns", "recreate")

    def _kind_block(self, kind, block, where):
        if where.startswith("links[") and item_plain(kind):
            block = typed_block(kind, block, where)
        try:
            out = validate_block(kind, block, where)
        except ValueError as exc:
            raise contract.ValidationError(str(exc))
        if kind == "veth" and out.get("peer"):
            validate_ifname(out["peer"], where + "peer")
        if kind == "veth":
            validate_netns(out.get("peer_netns"), where + "peer_netns")
        if kind == "bridge" and out.get("stp") and out.get("forward_delay") is not None:
            lo, hi = STP_FORWARD_DELAY
            if not lo <= out["forward_delay"] <= hi:
                raise contract.ValidationError("%sforward_delay=%d is out of range with stp on (%d-%d)"
                                               % (where, out["forward_delay"], lo, hi))
        for name in ("dev",):
            if out.get(name):
                validate_ifname(out[name], where + name)
        return out

    # -- kernel -> current ----------------------------------------------------

    def current(self, ctx, desired, params, mode):
        peer_netns = dict((d["name"], (d.get("veth") or {}).get("peer_netns")) for d in desired)
        out = {}
        for msg in ctx.links(refresh=True).values():
            obj = self.kind.from_msg(msg, ctx)
            if peer_netns.get(obj["name"]):
                resolve_peer(ctx, msg, obj, peer_netns[obj["name"]])
            out[(obj["name"],)] = obj
        link_move.locate(ctx, self.kind, desired, out)
        return link_devconf.as_ahead(out, mode.ahead)

    @staticmethod
    def _wheres(params, desired):
        """Each desired item's path in messages ("links[2]." or "")."""
        if params.get("links") is not None:
            return ["links[%d]." % i for i in range(len(desired))]
        return [""] * len(desired)

    def check(self, ctx, desired, current, params, mode):
        wheres = self._wheres(params, desired)
        missing = functools.partial(self.missing_in_check_mode, mode)
        link_move.check(ctx, desired, current, wheres, missing)
        return check_links(ctx, desired, current, wheres, missing)

    def read_back(self, plan, desired, current, results):
        return read_back(self.kind, plan, desired, current, results[self.result_key])

    def gather(self, ctx, params):
        wanted = None
        if params.get("name"):
            wanted = {params["name"]}
        elif params.get("links"):
            wanted = set(i["name"] for i in params["links"])
        out = []
        names = None  # nsid -> namespace name, read once if a veth needs it
        base = link_devconf.defaults(ctx)
        for msg in ctx.links(refresh=True).values():
            obj = self.kind.from_msg(msg, ctx)
            if wanted is not None and obj["name"] not in wanted:
                continue
            where = peer_elsewhere(msg)
            if where is not None:
                if names is None:
                    names = ctx.netns_names()
                if where[0] in names:
                    resolve_peer(ctx, msg, obj, names[where[0]])
            out.append(_compact(link_devconf.compact(obj, base)))
        return sorted(out, key=lambda o: o["name"])

    # -- plan -----------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        recreate = params.get("recreate", False)
        changes = []
        implied = {}  # peer name -> the veth whose creation makes it
        moves, warnings = link_move.plan(ctx, self.kind, desired, current)
        mode.warnings.extend(warnings)
        for item, where in zip(desired, self._wheres(params, desired)):
            if item.get("to_netns"):
                continue  # planned by link_move
            have = current.get((item["name"],))
            if have is None and item["state"] != "absent" and item["name"] not in implied \
                    and item.get("kind") is None:
                have = self._made_elsewhere(mode, item, where)
            if have is None and item["name"] in implied:
                # Made by its veth peer's creation: configure it afterwards.
                have = bare_veth(item["name"], implied[item["name"]])
            for ch in plans.plan_item(self.kind, item, have, recreate=recreate):
                changes.extend(self.kind.split(ch))
                if ch["op"] == contract.CREATE and item.get("kind") == "veth":
                    peer = (item.get("veth") or {}).get("peer")
                    if peer:
                        implied[peer] = item["name"]
        self._set_stages(changes, current)
        deletes = sorted((ch for ch in changes if ch["op"] == contract.DELETE), key=lambda ch: ch["stage"])
        links = link_move.as_moved(dict((name, obj) for (name,), obj in current.items()), moves)
        rest = [ch for ch in changes if ch["op"] != contract.DELETE]
        rest = reassert_bridge_mtu(self.kind, rest, desired, current)
        cascade = link_cascade.plan_deletes(ctx, deletes, links)
        kept = dict((item["name"], item) for item in desired if item["state"] != "absent")
        for ch in cascade:
            name = ch["before"].get("name") if ch["kind"] == "link" and ch["op"] == contract.DELETE \
                and ch.get("implied") else None
            if name in kept:
                raise contract.PlanError("name=%s: listed as %s, but the kernel deletes it with %s (%s)"
                                         % (name, kept[name]["state"], ch["implied"]["by"]["key"][0],
                                             "its veth peer" if ch["implied"]["as"] == "peer"
                                             else "the link it is stacked on"))
        return plans.order(rest + moves + cascade)

    def _made_elsewhere(self, mode, item, where):
        """A link to configure (no kind) that is not there: a real run
        fails; in check mode an earlier task may create it (a veth's peer,
        a link another task makes), and its settings are planned on a link
        with nothing set."""
        self.missing_in_check_mode(mode, "%sname=%s" % (where, item["name"]),
                                   "its settings are planned on a link with none set",
                                   "name=%s: no such link, and no kind given to create it" % item["name"],
                                   contract.PlanError)
        return bare_link(item["name"], link=item.get("link"))

    def _set_stages(self, changes, current):
        """Re-creations' deletes first, deepest child first; then creates
        by depth (parents first); an update goes after every create it may
        need: the one of its own link (or of the veth whose peer it is) and
        the ones of links at smaller depth (its master, its parent); every
        other delete last, deepest child first."""
        objs = dict((name, obj) for (name,), obj in current.items())
        made_by = {}  # veth peer -> the veth whose creation makes it
        for ch in changes:
            if ch["after"] is not None:
                objs[ch["after"]["name"]] = ch["after"]
            if ch["op"] == contract.CREATE and ch["after"].get("kind") == "veth":
                peer = (ch["after"].get("veth") or {}).get("peer")
                if peer:
                    made_by[peer] = ch["after"]["name"]

        def depth(name, seen=()):
            obj = objs.get(name)
            if obj is None or name in seen:
                return 0
            if name in made_by and made_by[name] not in seen:
                return depth(made_by[name], seen + (name,))
            return 1 + max([depth(p, seen + (name,)) for p in parents(obj)] or [-1])

        made_at = {}
        for ch in changes:
            if ch["kind"] != "link":
                continue  # a sysctl change: the stage of its link's, below
            obj = ch["after"] if ch["after"] is not None else ch["before"]
            d = depth(obj["name"])
            if ch["op"] == contract.DELETE and ch.get("note", "").startswith("re-created"):
                ch["stage"] = _RECREATE_BASE - d
            elif ch["op"] == contract.DELETE:
                ch["stage"] = _DELETE_BASE - d
            elif ch["op"] == contract.CREATE:
                ch["stage"] = 2 * d
                made_at[obj["name"]] = ch["stage"]
                peer = (obj.get("veth") or {}).get("peer")
                if obj.get("kind") == "veth" and peer:
                    made_at[peer] = ch["stage"]
            else:
                ch["stage"] = 2 * d + 1
        for ch in changes:
            made = made_at.get(ch["key"][0])
            if ch["kind"] == "link" and ch["op"] == contract.UPDATE and made is not None and ch["stage"] <= made:
                ch["stage"] = made + 1
        link_devconf.follow_links(changes)


def _compact(obj):
    """Gathered output: what the input format can take back, so pasting it
    as input compares equal.  Empty values go; so do the ``kernel`` block
    (never input), a ``kind`` this module cannot create (a tun, a tunnel
    module's fallback device like erspan0, a NIC driver's kind: such a link
    is configured by name), and an ``address`` that is not a 6-byte MAC (a
    tunnel's IPv4 address as link-layer address)."""
    out = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            v = dict((a, b) for a, b in v.items() if b is not None)
        if v in (None, "", {}) or k == "kernel":
            continue
        if k == "kind" and v not in CREATABLE:
            continue
        if k == "address" and len(v.split(":")) != 6:
            continue
        out[k] = v
    return out


__all__ = ["LinkTask", "COMMON_FIELDS"]
