# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A bridge's MTU and its ports joining in the same task.

What the kernel does (measured on 6.18, net/bridge br_mtu_auto_adjust()):
until its MTU is set on the existing bridge (RTM_NEWLINK with IFLA_MTU on
the bridge, which marks it "set by user"), a bridge's MTU follows its ports:
a port joining, leaving or changing its MTU resets the bridge's MTU to the
smallest port MTU.  An MTU given when the bridge is created does not count
as set by the user.  So ``bridge mtu 9000`` created together with a port of
MTU 1500 ends at 1500 (and a bridge of 1500 with a first port of 9000 ends
at 9000); a second run would set it again.

So when a task gives a bridge's MTU and one of its ports joins it or changes
MTU in the same task, the bridge's MTU is set again after those port
changes, in a change of its own (its ``before`` MTU is unknown: null).  Set
that way the kernel keeps it, and the second run finds nothing to do.  When
the kernel kept the bridge's MTU anyway, that request changes nothing.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from .. import contract

NOTE = ("MTU set again after its ports joined: the kernel resets a bridge's MTU to its smallest port's "
        "until the MTU is set on the existing bridge")


def _touches_port_of(ch, bridge):
    after, before = ch["after"], ch["before"]
    if ch["op"] == contract.DELETE or after.get("master") != bridge:
        return False
    if ch["op"] == contract.CREATE or before is None:
        return True
    return before.get("master") != bridge or before.get("mtu") != after.get("mtu")


def reassert_bridge_mtu(kind, changes, desired, current):
    """``changes`` (with stages) plus, for each bridge whose MTU the task
    gives and whose ports the task changes, an update of its MTU staged
    after them."""
    out = list(changes)
    for want in desired:
        name = want["name"]
        have = current.get((name,)) or {}
        if want["state"] == "absent" or want.get("mtu") is None or \
                (want.get("kind") or have.get("kind")) != "bridge":
            continue
        ports = [ch for ch in changes if _touches_port_of(ch, name)]
        if not ports:
            continue
        own = [ch for ch in changes if ch["key"] == [name] and ch["after"] is not None]
        after = copy.deepcopy(own[-1]["after"] if own else have)
        after["mtu"] = want["mtu"]
        before = copy.deepcopy(after)
        before["mtu"] = None
        ch = contract.change(kind, contract.UPDATE, before, after, note=NOTE)
        ch["stage"] = max(c["stage"] for c in ports + own) + 1
        out.append(ch)
    return out
