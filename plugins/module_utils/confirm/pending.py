# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module's side of commit-confirmed (``confirm_timeout``), used by
module_runner for every module.

Before the first write request, under the host-wide lock: the record is
written ``armed`` with the undo plan of the whole plan (what undoes it
all, from the state read before the change), and its watchdog is started
and seen running.  The lock is held while the plan is applied, so no
rollback runs in the middle of it; if the module dies, the kernel drops
the lock and the watchdog rolls back whatever part was applied.  When the
module finishes: ``applied``; when the kernel refused a request and the
module undid its own change: ``rolled_back`` (or ``rollback_failed``
with what it could not restore), and the watchdog ends.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import signal
import time

from .. import contract
from ..engine import applier
from ..engine import plans
from ..objects import registry
from . import launch, rollback, store

MAX_TIMEOUT = 86400


def validate(value):
    """``confirm_timeout``: seconds, more than 0, at most a day."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_TIMEOUT:
        raise contract.ValidationError("confirm_timeout=%r: a number of seconds from 1 to %d"
                                       % (value, MAX_TIMEOUT))


def _record(plan, ctx, timeout, module_name):
    undo = applier.undo_plan(applier.applied_order(plan))
    shown = []
    for ch in undo:
        if not ch.get("implied"):
            kind = registry.kind(ch["kind"])
            shown.append(kind.command(contract.mask_change(kind, ch), ctx))
    now = time.time()
    seq = max([r.get("seq", 0) for r in store.records()] + [0]) + 1
    return {
        "version": store.RECORD_VERSION, "id": store.new_id(), "seq": seq, "state": store.ARMED,
        "module": module_name, "created": now, "timeout": timeout, "deadline": now + timeout,
        "netns": ctx.netns, "netns_id": store.netns_identity(ctx.netns),
        "undo": plans.plan_document(undo, ctx.netns), "undo_commands": shown,
        "changes": [{"kind": ch["kind"], "op": ch["op"], "key": ch["key"]} for ch in plan],
        "log": [],
    }


def result_fields(rec):
    return {"confirm_id": rec["id"], "confirm_deadline": store.iso(rec["deadline"])}


@contextlib.contextmanager
def armed(timeout, plan, ctx, module_name):
    """Around applying ``plan``: yields the armed record (None when no
    ``timeout``: nothing to do)."""
    if not timeout:
        yield None
        return
    with store.locked():
        store.prune()
        rec = _record(plan, ctx, timeout, module_name)
        store.log(rec, "armed by %s: %d change(s), rolled back at %s unless confirmed"
                  % (module_name, len(plan), store.iso(rec["deadline"])))
        store.save(rec)
        try:
            pid, how = launch.start(rec, launch.install_lib())
        except BaseException:
            store.remove(rec["id"])
            raise
        rec["watchdog"] = {"pid": pid, "started_by": how}
        store.log(rec, "watchdog running, pid %d, started by %s" % (pid, how))
        store.save(rec)
        try:
            yield rec
        except applier.ApplyError as exc:
            # The module undid its own change; the watchdog has nothing left to do.
            rec["state"] = store.ROLLED_BACK if exc.undone else store.ROLLBACK_FAILED
            rec["undo_failures"] = exc.undo_failures
            rec["finished"] = time.time()
            store.log(rec, "the kernel refused a request; the module's own undo %s"
                      % ("restored everything" if exc.undone else "left %d object(s) not restored"
                         % len(exc.undo_failures)))
            store.save(rec)
            rollback.signal_watchdog(rec["id"], signal.SIGUSR1)
            raise
        except BaseException as exc:
            store.log(rec, "the module stopped half-way (%s): stays armed, the watchdog rolls back"
                      % (type(exc).__name__))
            store.save(rec)
            raise
        rec["state"] = store.APPLIED
        store.log(rec, "applied")
        store.save(rec)
