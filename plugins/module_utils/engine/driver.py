# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one task driver: the sequence every run of a task goes through.
Neither Ansible nor the host program owns it: the module runner
(runner/module_runner.py) and netlink-host (host_cli/engine.py) are
adapters over it, each keeping only its own wording, checks and output.

    desired = prepare(task, params)          # validation: ValidationError, nothing read
    step = Step(task, ctx, params, desired, check_mode)
    plan(step)                               # read, check, plan, commands: nothing written
    apply(step)                              # the applier, undo on a refusal: ApplyError
    fields, warnings = read_back(step)       # after a real run: result fields, step.changed
    fields = planned(step)                   # check mode's result fields instead

Planning and applying are separate calls, so that a caller may show a
plan without applying it (check mode, ``netlink-host check``), arm
something between the two (commit-confirmed's watchdog), or plan several
tasks before applying any.  Errors propagate as the engine raises them
(contract.ValidationError, contract.PlanError, NetlinkLibraryError,
applier.ApplyError); each adapter words them its own way.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..objects import registry
from . import applier
from .ahead import Ahead
from .commands import commands


class RunMode:
    """What one run of a task is, besides its params: check mode or not,
    the warnings the task gives while it reads, checks and plans
    (tasks/base.py ``missing_in_check_mode``), and, for a step of a
    transaction (engine/transaction.py), what the earlier steps plan
    (``ahead``, engine/ahead.py; empty for a task run alone).  Made per
    run: a task instance keeps nothing between calls."""

    def __init__(self, check_mode=False, ahead=None):
        self.check_mode = check_mode
        self.warnings = []
        self.ahead = ahead if ahead is not None else Ahead()


class Step:
    """One task's run: its plan, ready to show or apply, and what the
    plan was made from.  Filled by plan(); what it holds when plan()
    raises is what was complete by then (``warnings``: check()'s)."""

    def __init__(self, task, ctx, params, desired, check_mode):
        self.task = task
        self.ctx = ctx
        self.params = params
        self.desired = desired
        self.mode = RunMode(check_mode)
        self.current = None
        self.plan = []
        # check()'s warnings, then those given while planning
        self.warnings = []
        self.commands = []
        self.applied = False
        # Whether the kernel's state moves (diff, check: would move): after
        # apply, what the task's read-back saw.
        self.changed = False


def prepare(task, params):
    """The task's validated desired objects (contract.ValidationError on
    bad input; nothing is read)."""
    return task.desired(params)


def plan(step):
    """Read what the plan needs, check it, plan, and the plan's
    ``commands``; the kernel is not changed."""
    task, ctx, desired, params = step.task, step.ctx, step.desired, step.params
    step.current = task.current(ctx, desired, params, step.mode)
    step.warnings.extend(task.check(ctx, desired, step.current, params, step.mode))
    step.plan = task.plan(ctx, desired, step.current, params, step.mode)
    step.warnings.extend(step.mode.warnings)
    step.commands = commands(step.plan, ctx)
    step.changed = bool(step.plan)
    return step


def apply(step):
    """Apply the plan (the applier undoes it when the kernel refuses a
    change: applier.ApplyError propagates)."""
    applier.apply(step.plan, step.ctx)
    step.applied = True
    step.ctx.forget_links()


def read_back(step):
    """After a real run (applied, or nothing to apply): (the result fields,
    each kind's objects masked, warnings).  With a plan, the task's
    read-back says whether the kernel's state really moved
    (``step.changed``) and what it accepted without applying (warnings)."""
    task = step.task
    results = task.results(step.ctx, step.desired, step.params, step.current)
    warnings = []
    if step.plan:
        warnings, step.changed = task.read_back(step.plan, step.desired, step.current, results)
    return masked_results(task, results), warnings


def planned(step):
    """Check mode's result fields: what the plan would leave (masked)."""
    return step.task.planned(step.plan, step.current)


def masked_results(task, results):
    """Result field -> its objects with secrets masked.  A field the task
    declares as one value (``single_results``: nl_xfrm's defaults, one
    object; nl_netconf's settings, one tree) is masked whole, any other is
    a list of objects."""
    kind_of = dict((field, name) for name, field in task.result_keys().items())
    out = {}
    for field, objs in results.items():
        kind = registry.kind(kind_of[field])
        if field in task.single_results:
            out[field] = contract.mask(kind, objs)
        else:
            out[field] = [contract.mask(kind, o) for o in objs]
    return out
