# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_confirm: confirm pending changes, list them, or roll them back now.

Everything happens under the host-wide lock (store.locked), so a confirm
and a watchdog's rollback never cross: whichever gets the lock first wins,
and the other sees the record's final state.  A confirm that names a
change its watchdog already rolled back fails (the change is gone; the
play must know).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import signal
import time

from ..netlink.errors import NetlinkLibraryError
from ..engine.context import validate_netns
from .. import contract
from . import rollback, store


def view(rec, now):
    """A record as nl_confirm shows it: no undo plan (it may hold secrets),
    the masked undo commands instead."""
    pid = store.watchdog_pid(rec["id"])
    out = {
        "id": rec["id"], "state": rec.get("state"), "module": rec.get("module"), "netns": rec.get("netns"),
        "created": store.iso(rec["created"]), "age": round(now - rec["created"], 1),
        "timeout": rec.get("timeout"), "deadline": store.iso(rec["deadline"]),
        "remaining": round(max(0.0, rec["deadline"] - now), 1) if rec.get("state") in store.PENDING else None,
        "watchdog": {"pid": pid, "alive": pid is not None,
                     "started_by": (rec.get("watchdog") or {}).get("started_by")},
        "changes": rec.get("changes", []), "undo_commands": rec.get("undo_commands", []),
        "conflicts": rec.get("conflicts", []), "undo_failures": rec.get("undo_failures", []),
        "log": rec.get("log", []),
    }
    return out


def _select(params):
    """The records the task is about: those of ``netns`` (all when not
    given), and of ``ids`` (every one when not given)."""
    recs = store.records()
    if params.get("netns") is not None:
        try:
            want = store.netns_identity(params["netns"])
        except (OSError, NetlinkLibraryError) as exc:
            raise contract.ValidationError("netns=%s: %s" % (params["netns"], exc))
        recs = [r for r in recs if store.same_netns(r.get("netns_id"), want)]
    ids = params.get("ids")
    if ids is None:
        return recs, None
    known = dict((r["id"], r) for r in recs)
    missing = [i for i in ids if i not in known]
    if missing:
        raise contract.ValidationError("ids=%s: no pending change with the id %s on this host%s" % (
            ids, ", ".join(missing), " in netns %s" % params["netns"] if params.get("netns") else ""))
    return [known[i] for i in ids], ids


def _confirm(module, recs, named):
    late = [r for r in recs if named and r.get("state") in (store.ROLLED_BACK, store.ROLLBACK_FAILED)]
    if late:
        raise contract.ValidationError("ids: %s: already rolled back (%s), the confirm came too late" % (
            ", ".join(r["id"] for r in late), ", ".join(r["state"] for r in late)))
    todo = [r for r in recs if r.get("state") in store.PENDING]
    if not module.check_mode:
        for rec in todo:
            rec["state"] = store.CONFIRMED
            rec["finished"] = time.time()
            store.log(rec, "confirmed by nl_confirm")
            store.save(rec)
            rollback.signal_watchdog(rec["id"], signal.SIGUSR1)
    return {"changed": bool(todo), "confirmed": [r["id"] for r in todo]}


def _roll_back(module, recs, named):
    done = [r for r in recs if named and r.get("state") == store.CONFIRMED]
    if done:
        raise contract.ValidationError("ids: %s: confirmed already; only pending changes roll back"
                                       % ", ".join(r["id"] for r in done))
    todo = [r["id"] for r in recs if r.get("state") in store.PENDING]
    if module.check_mode or not todo:
        ids = [rec["id"] for rec, _oldest in rollback.rollback_order(todo)]
        return {"changed": bool(ids), "rolled_back": ids}
    out = rollback.roll_back(todo, "rolled back by nl_confirm", lambda text: None)
    for rec in out:
        rollback.signal_watchdog(rec["id"], signal.SIGUSR1)
    return {"changed": True, "rolled_back": [r["id"] for r in out],
            "failed_ids": [r["id"] for r in out if r["state"] != store.ROLLED_BACK]}


def run(module):
    params = module.params
    try:
        validate_netns(params.get("netns"), "netns")
        if params.get("ids") is not None and not all(isinstance(i, str) and i for i in params["ids"]):
            raise contract.ValidationError("ids=%r: a list of ids as confirm_id returned them" % params["ids"])
        with store.locked():
            recs, named = _select(params)
            state = params["state"]
            if state == "confirmed":
                result = _confirm(module, recs, named)
            elif state == "rolled_back":
                result = _roll_back(module, recs, named)
            else:
                result = {"changed": False}
            now = time.time()
            shown = [r["id"] for r in recs]
            shown += [i for i in result.get("rolled_back", []) if i not in shown]
            result["records"] = [view(store.load(i), now) for i in shown if store.load(i)]
    except contract.ValidationError as exc:
        module.fail_json(msg=str(exc))
    except store.ConfirmError as exc:
        module.fail_json(msg=str(exc))
    failed = result.pop("failed_ids", None)
    if failed:
        module.fail_json(msg="the rollback of %s did not restore everything (conflicts or undo failures: "
                             "see records)" % ", ".join(failed), **result)
    module.exit_json(**result)
