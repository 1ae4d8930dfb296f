# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""params -> engine -> exit_json / fail_json, the same for every module.

A module supplies a ``Task`` (``objects/*.py``): how to turn its params
into desired objects, how to read the matching current objects narrowly,
and which object kinds it manages.  This file does the rest: validation
errors, check mode, diff, ``commands``, applying with undo, and the
result.  Nothing here changes the kernel before the whole plan exists.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from . import reconcile
from .kernel import KernelContext
from .netlink.errors import NetlinkLibraryError
from .tasks.validate import validate_netns


def _diff_entry(kind, ch):
    def text(obj):
        if obj is None:
            return ""
        return json.dumps(reconcile.mask(kind, obj), indent=2, sort_keys=True) + "\n"
    label = "%s %s" % (kind.name, kind.label(ch["after"] if ch["after"] is not None else ch["before"]))
    if ch.get("note"):
        label = "%s, %s" % (label, ch["note"])
    return {
        "before_header": "%s (%s)" % (label, "absent" if ch["before"] is None else "before"),
        "after_header": "%s (%s)" % (label, "absent" if ch["after"] is None else "after"),
        "before": text(ch["before"]),
        "after": text(ch["after"]),
    }


def run(module, task):
    """Run ``task`` for ``module`` and exit (exit_json / fail_json)."""
    params = module.params
    try:
        # Every module takes netns: an empty or relative one must fail here,
        # before anything is read, never fall back to the current namespace.
        validate_netns(params.get("netns"), "netns")
        desired = task.desired(params)
    except reconcile.ValidationError as exc:
        module.fail_json(msg=str(exc))
    kinds = task.kinds()
    result = {"changed": False}
    try:
        with KernelContext(params.get("netns")) as ctx:
            if params.get("state") == "gathered":
                module.exit_json(changed=False, gathered=task.gather(ctx, params))
            current = task.current(ctx, desired, params)
            for text in task.check(ctx, desired, current, params):
                module.warn(text)
            plan = task.plan(ctx, desired, current, params)
            shown = [reconcile.mask_change(kinds[ch["kind"]], ch) for ch in plan]
            result["commands"] = [kinds[ch["kind"]].command(ch, ctx) for ch in shown]
            result["changed"] = bool(plan)
            if module._diff and plan:
                result["diff"] = [_diff_entry(kinds[ch["kind"]], ch) for ch in plan]
            if plan and not module.check_mode:
                reconcile.apply(plan, kinds, ctx)
                ctx.forget_links()
            if module.check_mode:
                result[task.result_key] = [reconcile.mask(task.kind, ch["after"])
                                           for ch in plan if ch["after"] is not None]
            else:
                after = task.after(ctx, desired, params, current)
                result[task.result_key] = [reconcile.mask(task.kind, o) for o in after]
                if plan:
                    warnings, result["changed"] = task.read_back(plan, desired, current, after)
                    for text in warnings:
                        module.warn(text)
            result["write_requests"] = ctx.write_requests
    except (reconcile.ValidationError, reconcile.PlanError) as exc:
        module.fail_json(msg=str(exc), **result)
    except reconcile.ApplyError as exc:
        result["changed"] = not exc.undone
        module.fail_json(msg=str(exc), undone=exc.undone, **result)
    except NetlinkLibraryError as exc:
        module.fail_json(msg=str(exc), **result)
    module.exit_json(**result)
