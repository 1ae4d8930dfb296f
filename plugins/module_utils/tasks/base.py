# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Task interface: what one module contributes to the engine.

A task turns the module's params into validated desired objects, reads the
matching current objects narrowly, and plans the changes between them.  It
may manage several object kinds (nl_xfrm: SAs and policies); the driver
(``engine/driver.py``) runs every task the same way, for the module runner
and for netlink-host alike.

A task instance is stateless between calls: nothing sets an attribute of
it after ``__init__``, so one instance may run any number of times, with
any params.  What a run works out travels with the values it returns:
the scope ``desired()`` reads out of the params rides on the desired
objects (``contract.Desired``), what ``current()`` saw besides the objects
rides on them (``contract.Current``), and check mode and the warnings
given while planning on the run's ``mode`` (engine/driver.py ``RunMode``),
which ``current``, ``check`` and ``plan`` take as their last argument.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine import plans
from ..engine.driver import RunMode
from ..objects import registry

# What check mode says of an object a task names that is not there: check
# mode changes nothing, so an earlier task of the same play (or of the
# same saved state, for netlink-host) that would create it has not; the
# task plans against nothing instead of failing where the real run would
# not.  ``missing_in_check_mode`` is the one place that says it.
MISSING_YET = "%s does not exist (yet): %s; a real run fails unless an earlier task creates it"


class Task:
    """One module's view of the engine.  A task of one kind sets ``kind``
    (the ObjectKind, from objects/registry.py) and ``result_key``; a task
    of several kinds overrides ``result_keys()`` and ``results()``.  All
    implement ``desired``, ``current``, ``gather`` and may refine
    ``plan``."""

    kind = None
    result_key = None
    # Result fields that hold one value (a dict, or None), not a list of
    # objects: masked whole (nl_xfrm's defaults, nl_netconf's settings).
    single_results = ()

    def result_keys(self):
        """Kind name -> the result field that lists objects of that kind."""
        return {self.kind.name: self.result_key}

    def desired(self, params):
        """Validated, normalised desired objects (each with its ``state``).
        Raise contract.ValidationError naming the option and value."""
        raise NotImplementedError

    def current(self, ctx, desired, params, mode):
        """The current objects the plan needs: key -> object."""
        raise NotImplementedError

    def reread(self, ctx, desired, params):
        """current() again, after a real run wrote: the objects as the run
        left them."""
        return self.current(ctx, desired, params, RunMode(check_mode=False))

    def missing_in_check_mode(self, mode, subject, planned, error, exc=contract.ValidationError, made=None):
        """An object the task names is not there (a device, a master, a
        link to configure).  A real run fails with ``error`` (raised as
        ``exc``), as before anything was changed.  In check mode an
        earlier task of the play may be what creates it: warn (in
        ``mode.warnings``: ``mode`` is the run's RunMode), naming
        ``subject`` (``option=value``, with its item's path) and what is
        ``planned`` instead, and return so that the caller plans against
        nothing (no such object: no current state, no settings of it).

        ``made``: the missing object as (kind name, key).  When an earlier
        step of the same transaction plans it (``mode.ahead``,
        engine/ahead.py), it is no longer a guess: return without a
        warning, in check mode and real runs alike, so the caller plans
        against nothing and the one plan creates it first."""
        if made is not None and mode.ahead.makes(made[0], made[1]):
            return
        if not mode.check_mode:
            raise exc(error)
        mode.warnings.append(MISSING_YET % (subject, planned))

    def check(self, ctx, desired, current, params, mode):
        """Validation that needs what exists (a link named as a master that
        is not there, a value outside a device's own limits), after the
        read and before the plan, so nothing has changed yet.  Raise
        contract.ValidationError naming the option and value; return
        warnings (texts).  Default: nothing to check."""
        return []

    def plan(self, ctx, desired, current, params, mode):
        """Ordered changes.  Default: each desired item on its own."""
        changes = []
        for item in desired:
            changes.extend(plans.plan_item(self.kind, item, current.get(self.kind.key(item)),
                                           recreate=params.get("recreate", False)))
        return plans.order(changes)

    def gather(self, ctx, params):
        """Current objects in the module's own input format."""
        raise NotImplementedError

    def after(self, ctx, desired, params, current):
        """The managed objects as they are after the run.  ``current`` is
        what was read before: read again only if something was written."""
        if ctx.write_requests:
            current = self.reread(ctx, desired, params)
        return [current[k] for k in (self.kind.key(d) for d in desired) if k in current]

    def results(self, ctx, desired, params, current):
        """Result field -> the managed objects after the run."""
        return {self.result_key: self.after(ctx, desired, params, current)}

    def planned(self, plan, current):
        """Check mode's result fields: each kind's objects as the plan
        leaves them (what the kernel would hold, secrets masked);
        ``current`` is what the plan was made from."""
        out = dict((field, []) for field in self.result_keys().values())
        for ch in plan:
            field = self.result_keys().get(ch["kind"])
            if field is not None and ch["after"] is not None and not ch.get("implied"):
                out[field].append(contract.mask(registry.kind(ch["kind"]), ch["after"]))
        return out

    def read_back(self, plan, desired, current, results):
        """After applying ``plan``: (warnings, changed).  ``results`` is
        what ``results()`` read back.  A task whose kernel may accept a
        setting without applying it says so here, and ``changed`` is
        whether the kernel's state really moved.  Default: trust the plan."""
        return [], bool(plan)
