# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the kernel deletes with a link, planned as implied changes.

Deleting a link also deletes, in the kernel and without another request:

- its veth peer (when the peer is in the same namespace);
- the links stacked on it or on its peer (vlan, macvlan, macvtap, ipvlan,
  ipvtap, macsec on ``link``; a vxlan on its ``dev``), and on those;
- the membership of its ports, when it is a master (bridge, bond, vrf):
  the ports stay, released;
- the objects of every kind that declares dying with a link
  (``dies_with``, objects/dies_with_link.py) for every link that goes:
  today addresses and routes (an IPv4 multipath route with a next hop on
  it goes whole; an IPv6 one loses that hop).

The first three are the link's own cascade, planned here; what the other
kinds declare is read and placed by engine/cascade.py, among this
cascade's steps (dies_with_link.STEPS) where each declaration says.

The plan shows each of these (check mode, ``--diff``), undo restores them
(a re-created veth brings its peer back bare, then an update restores the
peer's settings; addresses and routes are added back; ports re-join), and
what the kernel makes by itself again (routes of protocol ``kernel``: what
a declaration's ``returns`` says) is only checked.  Reads
happen only when the task deletes a link: per gone link and declaring
kind, dumps filtered by the kernel on that link.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from .. import contract
from ..engine import cascade
from ..objects import registry
from ..objects.dies_with_link import STEPS, DiesWithLink

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
    gone_all = dict((n, links[n]) for n in cause_of)
    dying = dying_with(ctx, gone_all) if DiesWithLink.by_index(gone_all) else []
    out = []
    for cause, gone in groups:
        names = set(n for n, _role in gone)
        steps = dict((step, []) for step in STEPS)  # this cascade's own, tied to cause
        quiet = {}
        # Stacked links first: undo brings them up in reverse, parents
        # first (a vlan cannot come up on a lower link that is down).
        for name, _role in reversed(gone):
            ch = goes_down(links[name])
            if ch is not None:
                steps["down"].append(tie(ch, cause, "down"))
                quiet[name] = ch["after"]
        for port in sorted(n for n, obj in links.items() if obj.get("master") in names and n not in gone_all):
            before = links[port]
            after = dict(copy.deepcopy(before), master="", bridge_port=None)  # port settings go with it
            ch = contract.change(registry.kind("link"), contract.UPDATE, before, after,
                                 "released: its master %s is deleted" % before["master"])
            steps["port"].append(tie(ch, cause, "port"))
        for name, role in reversed(gone[1:]):
            ch = explicit.get(name) or contract.change(registry.kind("link"), contract.DELETE, links[name], None)
            ch = dict(ch, before=quiet.get(name, ch["before"]), note="goes with %s" % cause["before"]["name"])
            steps["stacked"].append(tie(ch, cause, role))
        out.extend(placed(dying, [n for n, _role in gone], cause, steps))
        cause["before"] = quiet.get(gone[0][0], cause["before"])
        out.append(cause)
    return out


def dying_with(ctx, gone):
    """What goes with the links ``gone`` (name -> link) in the kernel, by
    the kinds that declare it (see engine/cascade.read)."""
    return cascade.read("link", ctx, gone)


def placed(dying, names, cause, steps, note=None):
    """``cause``'s cascade in plan order: this cascade's own ``steps``
    (step -> its changes, tied; a step not given has none) in STEPS order,
    with what ``dying`` (from dying_with) has for the links ``names``
    placed among them as the declarations say (engine/cascade.placed)."""
    return cascade.placed([(step, steps.get(step, [])) for step in STEPS], dying, names, cause, note)


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


# A change implied by a link's (see engine/cascade.tie).
tie = cascade.tie
