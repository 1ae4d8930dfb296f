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


class Task:
    """One module's view of the engine.  Subclasses set ``kind`` (the
    ObjectKind) and ``result_key`` and implement the three methods."""

    kind = None
    result_key = None

    def desired(self, params):
        """Validated, normalised desired objects (each with its ``state``).
        Raise reconcile.ValidationError naming the option and value."""
        raise NotImplementedError

    def current(self, ctx, desired, params):
        """The current objects the plan needs: key -> object."""
        raise NotImplementedError

    def plan(self, ctx, desired, current, params):
        """Ordered changes.  Default: each desired item on its own."""
        changes = []
        for item in desired:
            changes.extend(reconcile.plan_item(self.kind, item, current.get(self.kind.key(item)),
                                               recreate=params.get("recreate", False)))
        return reconcile.order(changes)

    def gather(self, ctx, params):
        """Current objects in the module's own input format."""
        raise NotImplementedError

    def after(self, ctx, desired, params, current):
        """The managed objects as they are after the run.  ``current`` is
        what was read before: read again only if something was written."""
        if ctx.write_requests:
            current = self.current(ctx, desired, params)
        return [current[k] for k in (self.kind.key(d) for d in desired) if k in current]

    def kinds(self):
        return {self.kind.name: self.kind}


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
                result[task.result_key] = [reconcile.mask(task.kind, o)
                                           for o in task.after(ctx, desired, params, current)]
            result["write_requests"] = ctx.write_requests
    except (reconcile.ValidationError, reconcile.PlanError) as exc:
        module.fail_json(msg=str(exc), **result)
    except reconcile.ApplyError as exc:
        result["changed"] = not exc.undone
        module.fail_json(msg=str(exc), undone=exc.undone, **result)
    except NetlinkLibraryError as exc:
        module.fail_json(msg=str(exc), **result)
    module.exit_json(**result)
