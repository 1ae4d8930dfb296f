# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Several tasks as ONE transaction: one plan, one apply, one undo.

A whole host (links, addresses, routes, rules, IPsec) is several tasks,
one per module; run one after the other, each has its own undo, and a
refusal in the routes task leaves the links applied.  A transaction plans
every step (a driver.Step, in the order given: the caller puts creators
before what uses them) and applies the steps' plans joined into one with
the applier, so a refusal anywhere undoes everything.

    steps = [driver.Step(task, ctx, params, desired, check_mode), ...]   # one ctx for all
    plan(steps)            # each step read and planned; nothing written
    joined = transaction.joined(steps)
    apply(steps)           # one applier run over the joined plan: ApplyError
    read_back(steps)       # per step, as driver.read_back

Reading ahead: every step reads the kernel before any step writes, so a
step is told what the earlier steps plan (RunMode ``ahead``,
engine/ahead.py) and plans against that where it differs from what it
read (addresses on a bridge the links step creates).  Requests name links
by name until they are built: the applier builds them batch by batch and
a link batch refreshes the name -> ifindex map (the link kind's
``after_stage``), so an address request after the bridge's batch finds the
new bridge's ifindex.

Order: each step's plan stays whole and in its own order, the steps in
the order given.  Stages are renumbered so that no two steps share one
(the applier batches consecutive changes of one stage together, and a
request must not share a batch with the create of the link it names).
Deletes come in reverse: the caller gives the removal steps last, in
reverse order (routes before the addresses before the links).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..netlink.errors import NetlinkLibraryError
from . import applier, driver
from .ahead import Ahead


def plan(steps, reword=None):
    """Read, check and plan every step in order, each told what the earlier
    ones plan; the kernel is not changed.  Returns the steps.
    ``reword(step, exc)``: the error to raise instead of a step's
    contract.ValidationError, PlanError or NetlinkLibraryError (the
    caller's words for where; it may return ``exc``)."""
    ahead = Ahead()
    for step in steps:
        step.mode.ahead = ahead
        try:
            driver.plan(step)
        except (contract.ValidationError, contract.PlanError, NetlinkLibraryError) as exc:
            if reword is None:
                raise
            raise reword(step, exc)
        ahead = ahead.then(step.plan)
    _restage(steps)
    return steps


def _restage(steps):
    """Each step's stages as consecutive numbers after the previous step's,
    in the same order (equal stages stay equal: an implied change keeps
    its cause's)."""
    base = 0
    for step in steps:
        stages = sorted(set(ch["stage"] for ch in step.plan))
        rank = dict((stage, base + i) for i, stage in enumerate(stages))
        for ch in step.plan:
            ch["stage"] = rank[ch["stage"]]
        base += len(stages)


def joined(steps):
    """The one plan of the transaction: every step's changes, in order."""
    out = []
    for step in steps:
        out.extend(step.plan)
    return out


def joined_commands(steps):
    """The transaction's ``commands``: every step's, in order."""
    out = []
    for step in steps:
        out.extend(step.commands)
    return out


def apply(steps):
    """Apply the joined plan once (the applier undoes all of it when the
    kernel refuses any change: applier.ApplyError propagates)."""
    whole = joined(steps)
    if not whole:
        return
    ctx = steps[0].ctx
    applier.apply(whole, ctx)
    for step in steps:
        step.applied = bool(step.plan)
    ctx.forget_links()


def read_back(steps):
    """After a real run: [(fields, warnings)] per step (driver.read_back)."""
    return [driver.read_back(step) for step in steps]


def changed(steps):
    return any(step.changed for step in steps)


__all__ = ["apply", "changed", "joined", "joined_commands", "plan", "read_back"]
