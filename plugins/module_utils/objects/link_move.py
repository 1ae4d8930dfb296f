# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A link moved into another namespace, as the link kind carries it out
and undoes it.

Equivalent to: ``ip link set dev X netns Y``.

A move is an ``update`` of the link whose ``after`` has ``to_netns`` (the
namespace it goes to, by name or path, as the task spelled it) and whose
``before`` has none.  Its request is RTM_NEWLINK on the link's ifindex with
IFLA_NET_NS_FD, sent in the task's namespace.  Its inverse (an undo:
``before`` has ``to_netns``) moves the link back, and must be sent from
inside the namespace the link is in now (``sent_in``): RTM_NEWLINK naming
the link by name (its ifindex there is the kernel's pick), with
IFLA_NET_NS_FD of the task's namespace and IFLA_NEW_IFINDEX of the ifindex
it had, when that is still free, so that it comes back exactly.

A link moved away is read where it went (``read_elsewhere``): the object
carries ``to_netns`` so that it compares equal to the input that moved it,
and commit-confirmed's rollback finds it there.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os

from .. import contract
from ..netlink import const as C
from ..netlink.socket import Request
from .iproute2 import ip_prefix, quote

TO = "to"
BACK = "back"

# What a link keeps when it moves (as the kernel reports it there); the
# rest goes (its master, addresses, routes, admin state) or means another
# link in another namespace (a parent, a peer, an underlay).
KEPT = ("name", "kind", "mtu", "address", "txqueuelen", "alias")

_Where = collections.namedtuple("_Where", "netns")


def direction(change):
    """TO for a move away, BACK for its undo, None for any other change."""
    if change["op"] != contract.UPDATE:
        return None
    before = (change["before"] or {}).get("to_netns")
    after = (change["after"] or {}).get("to_netns")
    if after and not before:
        return TO
    if before and not after:
        return BACK
    return None


def moved(link, netns):
    """``link`` as the namespace ``netns`` will show it right after the
    move: what it keeps, down, with no master."""
    out = dict((k, link.get(k)) for k in KEPT)
    out.update(state="down", master="", to_netns=netns)
    return out


def sent_in(change):
    return change["before"]["to_netns"] if direction(change) == BACK else None


def request(change, ctx, label):
    name = change["after"]["name"]
    if direction(change) == TO:
        index = ctx.ifindex(name, required=False)
        if index is None:
            raise contract.PlanError("name=%s: no such link" % name)
        return Request(C.RTM_NEWLINK, 0, {"family": C.AF_UNSPEC, "index": index},
                       {"net_ns_fd": ctx.netns_fd(change["after"]["to_netns"])}, label=label)
    attrs = {"ifname": name, "net_ns_fd": ctx.here_fd()}
    want = (change["after"].get("kernel") or {}).get("ifindex")
    ctx.forget_links()
    if want and ctx.ifname(want) is None:
        attrs["new_ifindex"] = want
    return Request(C.RTM_NEWLINK, 0, {"family": C.AF_UNSPEC}, attrs, label=label)


def command(change, ctx):
    name = quote(change["after"]["name"])
    if direction(change) == TO:
        return "%s link set dev %s netns %s" % (ip_prefix(ctx), name, quote(change["after"]["to_netns"]))
    there = _Where(change["before"]["to_netns"])
    return "%s link set dev %s netns %s" % (ip_prefix(there), name, quote(_here_word(ctx)))


def _here_word(ctx):
    """How ``ip netns`` names the task's namespace: its name or path; the
    current one as PID 1 (init's namespace) when it is that, else by the
    path of this process's."""
    if ctx.netns:
        return ctx.netns
    try:
        if os.stat("/proc/self/ns/net") == os.stat("/proc/1/ns/net"):
            return "1"
    except OSError:
        pass
    return "/proc/%d/ns/net" % os.getpid()


def in_other(ctx, name, netns, from_msg):
    """The link ``name`` of namespace ``netns`` as an object carrying
    ``to_netns``, or None (no such link, or no such namespace)."""
    if not ctx.netns_exists(netns):
        return None
    there = ctx.elsewhere(netns)
    msg = there.link_named(name)
    if msg is None:
        return None
    there.forget_links()
    obj = from_msg(msg, there)
    obj["to_netns"] = netns
    return obj


def read_elsewhere(ctx, objs, out, from_msg):
    """Add to ``out`` (key -> link read here) the links of ``objs`` that
    carry ``to_netns`` and are not here, as found there."""
    for obj in objs:
        netns = (obj or {}).get("to_netns")
        if netns and (obj["name"],) not in out:
            found = in_other(ctx, obj["name"], netns, from_msg)
            if found is not None:
                out[(obj["name"],)] = found
