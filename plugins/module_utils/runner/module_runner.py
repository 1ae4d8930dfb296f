# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""params -> engine -> exit_json / fail_json, the same for every module.

A module supplies a ``Task`` (``tasks/*.py``): how to turn its params
into desired objects, how to read the matching current objects narrowly,
and which object kinds it manages.  The task driver (engine/driver.py)
runs it; this file is the Ansible side of that: params, warnings, the
diff, commit-confirmed's arming, gathered_file, masking and the exit,
errors as fail_json.  Nothing changes the kernel before the whole plan
exists.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import gc
import json

from ansible.module_utils.common.warnings import get_deprecation_messages, get_warning_messages

from .. import contract
from ..engine import applier, driver
from ..engine.context import KernelContext, validate_netns
from . import gathered_file, no_log_mask
from ..confirm.errors import ConfirmError
from ..objects import registry
from ..netlink.errors import NetlinkLibraryError


def _set_only(value):
    """``value`` without the fields that are null, at any depth: an object
    of the diff shows what is set (a route does not list the twenty
    attributes it has not got); a field that goes away still shows, as a
    line only one side has."""
    if isinstance(value, dict):
        return dict((k, _set_only(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [_set_only(v) for v in value]
    return value


def _diff_entry(kind, ch):
    def text(obj):
        if obj is None:
            return ""
        return json.dumps(_set_only(contract.mask(kind, obj)), indent=2, sort_keys=True) + "\n"
    label = "%s %s" % (kind.name, kind.label(ch["after"] if ch["after"] is not None else ch["before"]))
    if ch.get("note"):
        label = "%s, %s" % (label, ch["note"])
    return {
        "before_header": "%s (%s)" % (label, "absent" if ch["before"] is None else "before"),
        "after_header": "%s (%s)" % (label, "absent" if ch["after"] is None else "after"),
        "before": text(ch["before"]),
        "after": text(ch["after"]),
    }


def run(module, task, engine=driver):
    """Run ``task`` for ``module`` and exit (exit_json / fail_json).
    ``engine``: what runs it, the task driver (engine/driver.py) or
    anything with its names (nl_state's transaction, state/whole.py).

    Python's cyclic garbage collector is paused for the run: a task of
    10,000 routes makes some 200,000 dicts and lists that all live until
    the exit, and every collection walks them again (about a tenth of such
    a run), while the run makes next to no reference cycles (4 objects
    for that task), so nothing waits for a collection.  Restored however
    the run ends (exit_json and fail_json raise SystemExit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        _run(module, task, engine)
    finally:
        if enabled:
            gc.enable()


def _run(module, task, engine):
    """The run itself (engine/driver.py's sequence), always leaving
    through _exit()."""
    params = module.params
    scrub = no_log_mask.Masker(module.no_log_values)
    failure = None
    try:
        # Every module takes netns: an empty or relative one must fail here,
        # before anything is read, never fall back to the current namespace.
        validate_netns(params.get("netns"), "netns")
        if params.get("confirm_timeout") is not None:
            _pending().validate(params["confirm_timeout"])
        gathered_file.validate(params)
        desired = engine.prepare(task, params)
    except contract.ValidationError as exc:
        failure = {"msg": str(exc)}
    if failure:
        _exit(module, scrub, {}, failure)
    result = {"changed": False}
    try:
        with KernelContext(params.get("netns")) as ctx:
            if params.get("state") == "gathered":
                found = task.gather(ctx, params)
                if params.get(gathered_file.OPTION):
                    _exit(module, scrub, gathered_file.write(module, found))
                _exit(module, scrub, dict(changed=False, gathered=found))
            step = engine.Step(task, ctx, params, desired, module.check_mode)
            try:
                engine.plan(step)
            finally:
                # check()'s warnings even when planning fails after it
                for text in step.warnings:
                    module.warn(scrub.mask(text))
            plan = step.plan
            result["changed"] = step.changed
            result["commands"] = step.commands
            if module._diff and plan:
                result["diff"] = [_diff_entry(registry.kind(ch["kind"]), ch) for ch in plan]
            if plan and not module.check_mode:
                # confirm_timeout: record and watchdog before the first write
                with _armed(params.get("confirm_timeout"), plan, ctx, getattr(module, "_name", None)) as record:
                    if record:
                        result.update(_pending().result_fields(record))
                    try:
                        engine.apply(step)
                    except applier.ApplyError as exc:
                        _narrow_to_sent(result, plan, exc, ctx)  # while ctx is open
                        raise
            if module.check_mode:
                result.update(engine.planned(step))
            else:
                fields, warnings = engine.read_back(step)
                result.update(fields)
                result["changed"] = step.changed
                for text in warnings:
                    module.warn(scrub.mask(text))
            result["write_requests"] = ctx.write_requests
    except (contract.ValidationError, contract.PlanError, NetlinkLibraryError, ConfirmError) as exc:
        failure = {"msg": str(exc)}
    except applier.ApplyError as exc:
        result["changed"] = not exc.undone
        failure = {"msg": str(exc), "undone": exc.undone, "undo_failures": exc.undo_failures}
    # after the except blocks: fail_json must not attach the traceback of
    # an exception whose text was not masked
    _exit(module, scrub, result, failure)


def _pending():
    """confirm/pending.py, imported only for a task given confirm_timeout:
    with the records, the watchdog and its launcher it is some 30 KB of
    source that a host would otherwise compile on every run of every
    module (the payload has no .pyc).  Ansible still packs it: it packs
    what a module imports anywhere in its source."""
    from ..confirm import pending  # pylint: disable=import-outside-toplevel
    return pending


def _armed(timeout, plan, ctx, module_name):
    """pending.armed(), or (no timeout) what it is then: a context that
    yields None."""
    if not timeout:
        return contextlib.nullcontext(None)
    return _pending().armed(timeout, plan, ctx, module_name)


def _narrow_to_sent(result, plan, exc, ctx):
    """A refused plan's result: ``commands`` and the diff (made from the
    whole plan, one entry per change) keep what reached the kernel, not the
    requests never sent; ``write_requests`` counts every request sent, the
    undo's too.

    ``commands`` lists the requests in the order they were sent. Each one
    refused ends in a comment with the kernel's words (``  # refused:
    ...``; ``  # not sent: ...`` for one that failed before it could be
    sent), which keeps every line a valid shell and ``ip -batch`` line.
    The ones after it are those of its batch that the kernel still
    processed (and the undo reverted): one sendmsg carries the batch, and
    the kernel answers each request in it on its own."""
    command_of = dict((id(ch), cmd) for ch, cmd in zip((ch for ch in plan if not ch.get("implied")),
                                                       result["commands"]))
    mark = dict((id(ch), "refused: %s" % words) for ch, words in exc.refused)
    shown = [ch for ch in exc.sent if not ch.get("implied")]
    if exc.change is not None and all(ch is not exc.change for ch in shown):
        # refused before it was sent (its request could not be built)
        shown.append(exc.change)
        mark[id(exc.change)] = "not sent: %s" % exc.refused[0][1]
    result["commands"] = [command_of[id(ch)] + ("  # %s" % mark[id(ch)] if id(ch) in mark else "")
                          for ch in shown if id(ch) in command_of]
    if "diff" in result:
        reached = set(id(ch) for ch in exc.sent) | set(id(ch) for ch in shown)
        result["diff"] = [entry for ch, entry in zip(plan, result["diff"]) if id(ch) in reached]
    result["write_requests"] = ctx.write_requests


def _exit(module, scrub, result, failure=None):
    """The one way out of run().  Ansible's remove_values costs
    O(strings x no_log values) (nl_xfrm: 80 s of CPU at 10,000 SAs), so
    the hex-key values are masked here in linear time (no_log_mask.py),
    the invocation too (Ansible would add the real params; 2.21 drops it
    unless asked), and Ansible gets only the other values.  Warnings or
    deprecations queued by Ansible itself that hold a hex value keep
    Ansible's path for everything."""
    out = dict(result, **(failure or {}))
    full = module.no_log_values
    if scrub.fast and _queued_messages_clean(scrub):
        out = scrub.mask(dict(out, invocation={"module_args": module.params}))
        module.no_log_values = set(scrub.slow)
    try:
        if failure:
            module.fail_json(**out)
        module.exit_json(**out)
    finally:
        module.no_log_values = full


def _queued_messages_clean(scrub):
    queued = [list(get_warning_messages()), list(get_deprecation_messages())]
    return scrub.mask(queued) == queued
