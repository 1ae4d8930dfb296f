# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rolling back pending records: the watchdog's work, and nl_confirm's
``state: rolled_back``.

The pending changes of a network namespace are a stack: rolling one back
first rolls back, newest first, every change still pending that was made
after it in the same namespace (they were made on top of it; the objects
of another namespace are other objects).  All rollbacks of the host run
under the one host-wide lock, one at a time.

One record's rollback restores only the objects its change touched, and
only those still as the change left them.  Per object it reads what is
there now and compares it with the undo plan:

- as the change left it (the undo's ``before``): undo it;
- as it was before the change (the undo's ``after``): nothing to do (the
  module was killed before it got there, or the kernel did not move);
- half-way through an object's own steps (a link re-created, then its
  alias set): undo from that step on;
- anything else: another task or tool changed it since.  It is left as
  it is and reported as a conflict, never overwritten.

Then the undo is applied as applier.apply_undo does: one request at a
time, past failures, read back and compared.  A record whose rollback
left a conflict or a failure ends ``rollback_failed``, and says which.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from .. import contract
from ..contract.changes import identity
from ..engine import applier
from ..engine import plans
from ..engine.context import KernelContext
from ..netlink.errors import NetlinkLibraryError
from ..objects import registry
from . import store


def _is(kind, expected, have):
    if expected is None:
        return have is None
    return have is not None and not kind.mismatch(expected, have)


def _current(changes, ctx):
    """kind name -> (key -> object), or None for a kind that cannot read."""
    objs = {}
    for ch in changes:
        objs.setdefault(ch["kind"], []).append(ch["before"] if ch["before"] is not None else ch["after"])
    return dict((name, registry.kind(name).read(ctx, found)) for name, found in objs.items())


def sort_out(changes, ctx):
    """(the undo changes still to apply, conflicts).  See the module
    docstring for the rule."""
    steps = {}
    for i, ch in enumerate(changes):
        steps.setdefault(identity(ch), []).append(i)
    current = _current(changes, ctx)
    start = {}
    conflicts = []
    for ident, idxs in steps.items():
        kind = registry.kind(ident[0])
        found = current.get(ident[0])
        if found is None:
            start[ident] = idxs[0]  # cannot read back: trusted on its acks
            continue
        have = found.get(ident[1])
        if any(changes[i].get("rewritten") for i in idxs):
            # An earlier step of this undo changes it by itself (writing
            # ip_forward back sets every link's forwarding): what it is now
            # says nothing, it is written back after that step.
            start[ident] = idxs[0]
            continue
        if _is(kind, changes[idxs[-1]]["after"], have):
            continue
        first = [i for i in idxs if _is(kind, changes[i]["before"], have)]
        if first:
            start[ident] = first[0]
            continue
        ch = changes[idxs[0]]
        diff = kind.mismatch(ch["before"], have) if ch["before"] is not None and have is not None else []
        conflicts.append({
            "kind": ident[0], "key": list(ident[1]),
            "reason": ("changed since by another task or tool: %s" % (
                "%s differ" % ", ".join(diff) if diff else "it is gone" if have is None
                else "it exists again")),
            "found": contract.mask(kind, have),
            "left_by_change": contract.mask(kind, ch["before"]),
        })
    todo = [ch for i, ch in enumerate(changes)
            if identity(ch) in start and i >= start[identity(ch)]]
    return todo, conflicts


def namespace(rec):
    """The namespace to roll ``rec`` back in (None: this process's own),
    checked to be the very one the change was made in."""
    want = rec.get("netns_id")
    if rec.get("netns") is not None:
        if not store.same_netns(store.netns_identity(rec["netns"]), want):
            raise store.ConfirmError("network namespace %s is not the one the change was made in "
                                     "(deleted and made again?)" % rec["netns"])
        return rec["netns"]
    if store.same_netns(store.netns_identity(None), want):
        return None
    # The task worked in the namespace it ran in; its watchdog lives there.
    pid = store.watchdog_pid(rec["id"])
    path = "/proc/%d/ns/net" % pid if pid is not None else None
    if path and store.same_netns(store.netns_identity(path), want):
        return path
    raise store.ConfirmError("the network namespace the change was made in cannot be found")


def roll_back_one(rec, why, say):
    """Roll ``rec`` back now (lock held) and save it in its final state."""
    store.log(rec, "rolling back: %s" % why)
    say("%s: rolling back (%s)" % (rec["id"], why))
    try:
        changes = plans.load_plan(rec["undo"])
        with KernelContext(namespace(rec)) as ctx:
            todo, conflicts = sort_out(changes, ctx)
            failures = applier.apply_undo(todo, ctx) if todo else []
    except (ValueError, KeyError, OSError, store.ConfirmError, NetlinkLibraryError) as exc:
        todo, conflicts = [], []
        failures = [{"kind": None, "key": None, "command": None, "reason": "rollback could not run: %s" % exc}]
    rec["conflicts"] = conflicts
    rec["undo_failures"] = failures
    rec["state"] = store.ROLLBACK_FAILED if conflicts or failures else store.ROLLED_BACK
    rec["finished"] = time.time()
    text = "%s: %s (%d change(s) undone" % (rec["id"], rec["state"], len(todo))
    if conflicts:
        text += "; left alone, changed since: %s" % "; ".join(
            "%s %s" % (c["kind"], " ".join(str(k) for k in c["key"])) for c in conflicts)
    if failures:
        text += "; not restored: %s" % "; ".join("%s (%s)" % (f["command"], f["reason"]) for f in failures)
    text += ")"
    store.log(rec, text)
    store.save(rec)
    say(text)
    return rec


def rollback_order(rec_ids):
    """The pending records that rolling back ``rec_ids`` rolls back (lock
    held): each of them and every pending one of the same namespace made
    after it, newest first, as (record, id of the oldest chosen one below
    it).  Check mode reports the same list the real rollback walks."""
    pending = [r for r in store.records() if r.get("state") in store.PENDING]
    stack = {}
    for rec in [r for r in pending if r["id"] in rec_ids]:  # oldest first: the first of a namespace is its oldest
        same = [r for r in pending if store.same_netns(r.get("netns_id"), rec.get("netns_id"))]
        for newer in same:
            if newer.get("seq", 0) >= rec.get("seq", 0):
                stack.setdefault(newer["id"], (newer, rec["id"]))
    return sorted(stack.values(), key=lambda item: item[0].get("seq", 0), reverse=True)


def roll_back(rec_ids, why, say):
    """Roll back the records ``rec_ids`` and every pending one of the same
    namespace made after them, newest first (lock held).  Returns the records
    rolled back now."""
    out = []
    for rec, oldest in rollback_order(rec_ids):
        reason = why if rec["id"] in rec_ids else "made after %s, which is rolled back" % oldest
        out.append(roll_back_one(rec, reason, say))
    return out


def signal_watchdog(rec_id, sig):
    """Wake a record's watchdog (it re-reads its record), if it lives."""
    pid = store.watchdog_pid(rec_id)
    if pid is not None:
        try:
            os.kill(pid, sig)
        except OSError:
            pass
