# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_link's ``to_netns``: an existing link moved into another namespace
(``ip link set dev X netns Y``).

What the kernel does on a move (net/core/dev.c
``__dev_change_net_namespace``: the device is closed and unregistered here,
registered there): the link arrives down, without its master, without
its IPv4/IPv6 addresses, and every route through it here goes (an IPv4
multipath route with a hop on it whole, an IPv6 one loses the hop).  It
keeps its name, MAC, MTU, txqueuelen and alias; its ifindex when that is
free there.  Links stacked on it stay here, on a lower link now elsewhere.

The plan shows all of it, planned as the link cascade plans a delete
(``link_cascade.py``): the routes, the step that takes it down and out
of its master, and the addresses, each implied by the move; then the move.
A warning names what is lost.  The undo moves it back (from a socket in
the other namespace) with its ifindex, then adds back its addresses,
brings it up in its master again and adds back its routes, and reads all
of it back: a failure half-way and commit-confirmed's rollback restore
what the move took.

Idempotence: the task's namespace no longer has the link after the move,
so for an item with ``to_netns`` that it does not find here the task looks
in the target namespace (one RTM_GETLINK by name there): found there, it is
where it should be, and the run sends nothing.

An item with ``to_netns`` moves the link only: its settings in the other
namespace (up, addresses) are set by tasks whose ``netns`` is that one.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from .. import contract
from ..objects import link_move
from . import link_cascade
from ..engine.context import validate_netns

OPTIONS = ("to_netns",)
# What an item that moves a link may give besides ``to_netns``.
WITH_MOVE = ("name", "state")
# After every create and update of the task, before its deletes (a delete
# is final; a move is undone by moving back).
MOVE_STAGE = 500000


def desired(item, where, obj, options):
    """The desired object of an item with ``to_netns`` (``obj`` has its
    name and state), or a ValidationError naming the option."""
    netns = item["to_netns"]
    validate_netns(netns, where + "to_netns")
    given = sorted(k for k in options if k not in WITH_MOVE + OPTIONS and item.get(k) is not None)
    if given:
        raise contract.ValidationError(
            "%sto_netns=%s: moves the link only, %s cannot be given with it (set it after the move, with "
            "a task whose netns is %s)" % (where, netns, given[0], netns))
    if obj["state"] != "present":
        raise contract.ValidationError(
            "%sstate=%s: with to_netns the state is present (the link arrives down in %s; bring it up with "
            "a task whose netns is %s)" % (where, obj["state"], netns, netns))
    obj["to_netns"] = netns
    return obj


def locate(ctx, kind, desired_items, current):
    """Complete ``current`` (key -> link read here) for the items that move
    a link: a link already in its target namespace is read there (with
    ``to_netns``), one that is here in a target namespace that is this one
    is already where it should be."""
    for item in desired_items:
        netns = item.get("to_netns")
        if not netns:
            continue
        key = (item["name"],)
        if key in current:
            if ctx.is_here(netns):
                current[key]["to_netns"] = netns
            continue
        found = link_move.in_other(ctx, item["name"], netns, kind.from_msg)
        if found is not None:
            current[key] = found


def check(ctx, desired_items, current, wheres, missing):
    """Before any change: the namespace exists, the link is here or
    there, and there no other link has its name.  A link that is nowhere
    goes to ``missing`` (the task's missing_in_check_mode): in check mode
    an earlier task of the play may make it, and nothing is planned to
    move."""
    for item, where in zip(desired_items, wheres):
        netns = item.get("to_netns")
        if not netns:
            continue
        if not ctx.netns_exists(netns):
            raise contract.ValidationError("%sto_netns=%s: no such network namespace" % (where, netns))
        have = current.get((item["name"],))
        if have is None:
            missing("%sname=%s" % (where, item["name"]),
                    "it is neither here nor in netns %s, so nothing is planned to move" % netns,
                    "%sname=%s: no such link, neither here nor in netns %s" % (where, item["name"], netns))
            continue
        if not have.get("to_netns") and ctx.elsewhere(netns).link_named(item["name"]) is not None:
            raise contract.ValidationError("%sto_netns=%s: that namespace has a link named %s already"
                                           % (where, netns, item["name"]))


def plan(ctx, kind, desired_items, current):
    """(changes, warnings) of the moves: per link that is here, what goes
    with it (implied) and then the move."""
    changes = []
    warnings = []
    for item in desired_items:
        netns = item.get("to_netns")
        link = current.get((item["name"],)) if netns else None
        if link is None or link.get("to_netns"):
            continue
        out, lost = _plan_one(ctx, kind, link, netns)
        changes.extend(out)
        if lost:
            warnings.append("link %s moves to netns %s, where it arrives down; the kernel drops with it %s. "
                            "Set them there with tasks whose netns is %s" % (link["name"], netns, lost, netns))
    return changes, warnings


def _plan_one(ctx, kind, link, netns):
    name = link["name"]
    note = "lost when %s moves to netns %s" % (name, netns)
    dying = link_cascade.dying_with(ctx, {name: link})
    before = link
    step = None
    if link.get("state") == "up" or link.get("master"):
        # down with IPv6 address generation off (undone: up again with its
        # mode, after its addresses; see link_cascade.goes_down), no master
        down = link_cascade.goes_down(link)
        after = dict(down["after"] if down else contract.plain_copy(link), state="down", master="",
                     bridge_port=None)
        step = contract.change(kind, contract.UPDATE, link, after, note)
        before = after
    move = contract.change(kind, contract.UPDATE, before, link_move.moved(link, netns),
                           "moves to netns %s: arrives down, without master, addresses or routes" % netns)
    move["stage"] = MOVE_STAGE
    down = [link_cascade.tie(step, move, "down")] if step is not None else []
    out = link_cascade.placed(dying, [name], move, {"down": down}, note)
    out.append(move)
    lost = dict((dies.role, found.get(name, [])) for dies, found in dying)
    return out, _lost(lost.get("address", []), lost.get("route", []), link)


def _lost(addresses, routes, link):
    """What the warning names: the addresses (but the kernel's own IPv6
    link-locals, which the link gets again there), the routes (but those
    of protocol kernel, which go with the addresses), the master."""
    words = []
    shown = [ch["before"]["address"] for ch in addresses
             if not ipaddress.ip_interface(ch["before"]["address"]).ip.is_link_local]
    if shown:
        words.append("its address%s %s" % ("es" if len(shown) > 1 else "", ", ".join(shown)))
    routes = [ch for ch in routes if ch["before"].get("protocol") != "kernel"]
    if routes:
        words.append("%d route(s) through it" % len(routes))
    if link.get("master"):
        words.append("its membership of %s" % link["master"])
    return ", ".join(words)


def as_moved(links, changes):
    """``links`` (name -> link here) with the moved ones as the move leaves
    them, for planning the deletes after it (a deleted master does not
    release a port that has moved away)."""
    out = dict(links)
    for ch in changes:
        if link_move.direction(ch) == link_move.TO:
            out[ch["after"]["name"]] = ch["after"]
    return out
