# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Task interface: what one module contributes to the engine.

A task turns the module's params into validated desired objects, reads the
matching current objects narrowly, and plans the changes between them.  It
may manage several object kinds (nl_xfrm: SAs and policies); the runner
(``module_runner.py``) does the rest the same way for every module.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import reconcile
from ..objects import registry


class Task:
    """One module's view of the engine.  A task of one kind sets ``kind``
    (the ObjectKind, from objects/registry.py) and ``result_key``; a task
    of several kinds overrides ``result_keys()`` and ``results()``.  All
    implement ``desired``, ``current``, ``gather`` and may refine
    ``plan``."""

    kind = None
    result_key = None
    # Set by the runner before current(): a task may plan around what an
    # earlier task of the play would create (and say so in ``warnings``).
    check_mode = False
    warnings = ()

    def result_keys(self):
        """Kind name -> the result field that lists objects of that kind."""
        return {self.kind.name: self.result_key}

    def desired(self, params):
        """Validated, normalised desired objects (each with its ``state``).
        Raise reconcile.ValidationError naming the option and value."""
        raise NotImplementedError

    def current(self, ctx, desired, params):
        """The current objects the plan needs: key -> object."""
        raise NotImplementedError

    def check(self, ctx, desired, current, params):
        """Validation that needs what exists (a link named as a master that
        is not there, a value outside a device's own limits), after the
        read and before the plan, so nothing has changed yet.  Raise
        reconcile.ValidationError naming the option and value; return
        warnings (texts).  Default: nothing to check."""
        return []

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

    def results(self, ctx, desired, params, current):
        """Result field -> the managed objects after the run."""
        return {self.result_key: self.after(ctx, desired, params, current)}

    def planned(self, plan):
        """Check mode's result fields: each kind's objects as the plan
        leaves them (what the kernel would hold, secrets masked)."""
        out = dict((field, []) for field in self.result_keys().values())
        for ch in plan:
            field = self.result_keys().get(ch["kind"])
            if field is not None and ch["after"] is not None and not ch.get("implied"):
                out[field].append(reconcile.mask(registry.kind(ch["kind"]), ch["after"]))
        return out

    def read_back(self, plan, desired, current, results):
        """After applying ``plan``: (warnings, changed).  ``results`` is
        what ``results()`` read back.  A task whose kernel may accept a
        setting without applying it says so here, and ``changed`` is
        whether the kernel's state really moved.  Default: trust the plan."""
        return [], bool(plan)
