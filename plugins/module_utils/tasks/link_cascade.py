# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel deletes with a link, planned as implied changes.

Deleting a link also deletes, in the kernel and without another request:

- its veth peer (when the peer is in the same namespace);
- the links stacked on it or on its peer (vlan, macvlan, macvtap, ipvlan,
  ipvtap, macsec on ``link``; a vxlan on its ``dev``), and on those;
- the addresses and routes of every link that goes (an IPv4 multipath
  route with a next hop on it goes whole; an IPv6 one loses that hop);
- the membership of its ports, when it is a master (bridge, bond, vrf):
  the ports stay, released.

The plan shows each of these (check mode, ``--diff``), undo restores them
(a re-created veth brings its peer back bare, then an update restores the
peer's settings; addresses and routes are added back; ports re-join), and
what the kernel makes by itself again (IPv6 link-local addresses, routes of
protocol ``kernel``) is only checked.  Reads happen only when the task
deletes a link: per gone link, one address dump and one route dump per
family, each filtered by the kernel on that link.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from .. import contract
from ..netlink import const as C
from ..objects import registry
from ..objects.address import boottime

# Link kinds the kernel deletes with their lower link (IFLA_LINK), and the
# per-kind setting that names the lower link where it is not ``link``.
DIES_WITH_LOWER = ("vlan", "macvlan", "macvtap", "ipvlan", "ipvtap", "macsec", "vxlan")
LOWER_SETTING = {"vxlan": "dev"}


def lower_of(obj):
    """The link whose deletion takes ``obj`` with it, or None."""
    kind = obj.get("kind")
    if kind not in DIES_WITH_LOWER:
        return None
    setting = LOWER_SETTING.get(kind)
    if setting:
        return (obj.get(kind) or {}).get(setting)
    return obj.get("link")


def _gone_with(name, links):
    """``name`` and every link that goes with it, as (name, role) with
    role ``peer`` or ``stacked`` (None for ``name``), parents before the
    links stacked on them."""
    order = []
    seen = set()
    todo = [(name, None)]
    while todo:
        n, role = todo.pop(0)
        if n in seen or n not in links:
            continue
        seen.add(n)
        order.append((n, role))
        peer = (links[n].get("veth") or {}).get("peer")
        if links[n].get("kind") == "veth" and peer:
            todo.append((peer, "peer"))
        todo.extend((o, "stacked") for o in sorted(links) if lower_of(links[o]) == n)
    return order


def plan_deletes(ctx, deletes, links):
    """The delete phase of a link plan.  ``deletes``: the explicit link
    delete changes, deepest first; ``links``: name -> current link object.
    Returns the changes in plan order: for each explicit delete, what goes
    with it (routes, addresses, released ports, links stacked deepest
    first) and then the delete itself; an explicit delete of a link that
    an earlier one takes anyway becomes implied."""
    cause_of = {}   # link name -> the change whose request deletes it
    groups = []     # (cause change, [link names that go with it])
    for ch in deletes:
        name = ch["before"]["name"]
        if name in cause_of:
            continue
        gone = [(n, role) for n, role in _gone_with(name, links) if n not in cause_of]
        for n, _role in gone:
            cause_of[n] = ch
        groups.append((ch, gone))
    explicit = dict((ch["before"]["name"], ch) for ch in deletes)
    gone_all = set(cause_of)
    index_of = dict((obj["kernel"]["ifindex"], n) for n, obj in links.items()
                    if n in gone_all and (obj.get("kernel") or {}).get("ifindex"))
    addresses = addresses_of(ctx, index_of) if index_of else {}
    routes = routes_via(ctx, index_of, gone_all) if index_of else {}
    out = []
    for cause, gone in groups:
        names = set(n for n, _role in gone)
        for name, _role in gone:
            for ch in routes.get(name, ()):
                out.append(tie(ch, cause, "route"))
        quiet = {}
        # Stacked links first: undo brings them up in reverse, parents
        # first (a vlan cannot come up on a lower link that is down).
        for name, _role in reversed(gone):
            ch = goes_down(links[name])
            if ch is not None:
                out.append(tie(ch, cause, "down"))
                quiet[name] = ch["after"]
        for name, _role in gone:
            for ch in addresses.get(name, ()):
                out.append(tie(ch, cause, "address"))
        for port in sorted(n for n, obj in links.items() if obj.get("master") in names and n not in gone_all):
            before = links[port]
            after = dict(copy.deepcopy(before), master="", bridge_port=None)  # port settings go with it
            ch = contract.change(registry.kind("link"), contract.UPDATE, before, after,
                                 "released: its master %s is deleted" % before["master"])
            out.append(tie(ch, cause, "port"))
        for name, role in reversed(gone[1:]):
            ch = explicit.get(name) or contract.change(registry.kind("link"), contract.DELETE, links[name], None)
            ch = dict(ch, before=quiet.get(name, ch["before"]), note="goes with %s" % cause["before"]["name"])
            out.append(tie(ch, cause, role))
        cause["before"] = quiet.get(gone[0][0], cause["before"])
        out.append(cause)
    return out


def goes_down(link):
    """For an up link: the step, between its routes and its addresses,
    that its undo reverses last but for the routes: up again, with its
    IPv6 address generation mode back.  Until then the re-created link is
    down with no address generation, so its link-local addresses are the
    ones it had (added back as they were), not ones made from a MAC that
    may differ from the one it had when it first came up (a bridge that
    took a port's MAC keeps the link-local of its first one)."""
    if link.get("state") != "up":
        return None
    after = dict(link, state="down")
    kernel = dict(link.get("kernel") or {})
    if "addr_gen_mode" in kernel:
        kernel["addr_gen_mode"] = registry.kind("link").ADDR_GEN_NONE
    after["kernel"] = kernel
    return contract.change(registry.kind("link"), contract.UPDATE, link, after,
                           "its undo brings it up after its addresses")


def tie(ch, cause, role):
    ch = contract.implied(dict(ch), cause, role, returns=_returns(ch))
    ch["stage"] = cause["stage"]
    return ch


def _returns(ch):
    """Does the kernel bring this back by itself when its link comes back?
    Routes of protocol kernel do (with the addresses and the link's up).
    Addresses do not: even kernel-made link-locals are added back as they
    were (see goes_down)."""
    return ch["kind"] == "route" and ch["before"].get("protocol") == "kernel"


def addresses_of(ctx, index_of):
    """Implied address deletes, by link name: one dump per gone link,
    filtered by the kernel on its ifindex."""
    kind = registry.kind("address")
    uptime = boottime()
    out = {}
    for index, name in sorted(index_of.items()):
        for msg in ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC, "index": index},
                                     label="ip addr show dev %s" % name):
            obj = kind.from_msg(msg, name, uptime) if msg.header["index"] == index else None
            if obj is not None:
                out.setdefault(name, []).append(contract.change(kind, contract.DELETE, obj, None,
                                                                "goes with link %s" % name))
    # Undo re-adds in reverse plan order.  IPv4: in dump order (the primary
    # of a subnet first, so it is primary again); IPv6: oldest first (the
    # kernel lists an address before older ones of the same scope).
    for name, changes in out.items():
        v4 = [ch for ch in changes if ":" not in ch["before"]["address"]]
        v6 = [ch for ch in changes if ":" in ch["before"]["address"]]
        out[name] = list(reversed(v4)) + v6
    return out


def routes_via(ctx, index_of, gone):
    """Implied route changes, by link name: a dump per gone link and family,
    filtered by the kernel on the link (every table, every protocol)."""
    kind = registry.kind("route")
    out = {}
    seen = set()
    for index, name in sorted(index_of.items()):
        for family in (C.AF_INET, C.AF_INET6):
            header = {"family": family}
            msgs = ctx.socket().dump(C.RTM_GETROUTE, header, {"oif": index},
                                     label="ip route show dev %s table all" % name)
            for msg in msgs:
                obj = kind.from_msg(msg, ctx)
                if obj is None:
                    continue
                key = kind.key(obj)
                if key in seen:
                    continue
                seen.add(key)
                hops = obj.get("nexthops") or []
                kept = [h for h in hops if h.get("dev") not in gone]
                if family == C.AF_INET6 and hops and kept:
                    after = dict(copy.deepcopy(obj), nexthops=kept)
                    ch = contract.change(kind, contract.UPDATE, obj, after, "loses its next hop via %s" % name)
                else:
                    ch = contract.change(kind, contract.DELETE, obj, None, "goes with link %s" % name)
                out.setdefault(name, []).append(ch)
    return out
