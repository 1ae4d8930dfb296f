# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_state's task: a whole state (the saved state's sections,
state/sections.py, as nl_state's options) as ONE transaction of the
modules' own tasks (engine/transaction.py): one plan, one apply, one undo.

The module runner (runner/module_runner.py) runs a task through the task
driver's functions (engine/driver.py); this file has the same names
(``Step``, ``prepare``, ``plan``, ``apply``, ``read_back``, ``planned``)
for a transaction, and the runner is handed it instead of the driver.
What it returns: one field per section given (``links``, ``addresses``,
``xfrm_states``, ...), each the objects its module returns for it after
the run; ``commands`` and the diff of the one plan.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
from collections import namedtuple

from .. import contract
from ..engine import driver, transaction
from . import gathered
from .sections import SECTIONS, SectionUnavailable, groups, task_class
from .steps import make_params, reworded, split, worded

# One task of the transaction: its sections (``run``), the module's task,
# its params and validated desired objects, and each item's index in its
# section as given (steps.split).
Part = namedtuple("Part", "run task params desired indices")


def _prepare(run, values, state, netns, indices):
    try:
        task = task_class(run[0])()
        params = make_params(run, values, state, netns)
        return Part(run, task, params, driver.prepare(task, params), indices)
    except SectionUnavailable as exc:
        raise contract.ValidationError(str(exc))
    except contract.ValidationError as exc:
        raise reworded(run, exc, indices)


class StateTask:
    """The sections given, validated whole (every section before anything
    is read), then split into the tasks of one transaction (steps.split:
    additions in the table's order, removals in the reverse order)."""

    single_results = ()

    def desired(self, params):
        if params.get("state") == "gathered":
            return []
        values = dict((s.name, params[s.name]) for s in SECTIONS if params.get(s.name) is not None)
        mode = params.get("mode") or "present"
        netns = params.get("netns")
        # An empty section is one not given, as in a state file (steps.split):
        # the role passes every list it has, most of them empty.
        for run in groups([name for name, value in values.items() if value]):
            # each section whole first, so that an error names the index as given
            _prepare(run, dict((s.name, values[s.name]) for s in run), mode, netns, None)
        return [_prepare(run, vals, state, netns, indices) for run, vals, state, indices in split(values, mode)]

    def gather(self, ctx, params):
        try:
            return gathered.gather(params.get("sections"), params.get("netns"), lambda: contextlib.nullcontext(ctx),
                                   secrets=bool(params.get("show_keys")))
        except gathered.GatherError as exc:
            raise contract.ValidationError(str(exc))


class Step:
    """The transaction's run, as driver.Step is one task's: the joined
    ``plan``, its ``commands``, ``warnings`` and ``changed``; ``steps``:
    one driver.Step per Part, on the one KernelContext."""

    def __init__(self, task, ctx, params, desired, check_mode):
        self.task = task
        self.ctx = ctx
        self.params = params
        self.desired = desired
        self.steps = [driver.Step(p.task, ctx, p.params, p.desired, check_mode) for p in desired]
        self.plan = []
        self.warnings = []
        self.commands = []
        self.applied = False
        self.changed = False


def prepare(task, params):
    return task.desired(params)


def plan(whole):
    part_of = dict((id(s), p) for s, p in zip(whole.steps, whole.desired))

    def reword(step, exc):
        if not isinstance(exc, (contract.ValidationError, contract.PlanError)):
            return exc  # the netlink library's own words (a read that failed)
        return reworded(part_of[id(step)].run, exc, part_of[id(step)].indices)
    try:
        transaction.plan(whole.steps, reword=reword)
    finally:
        for step, part in zip(whole.steps, whole.desired):
            whole.warnings.extend(worded(part.run, text, part.indices) for text in step.warnings)
    whole.plan = transaction.joined(whole.steps)
    whole.commands = transaction.joined_commands(whole.steps)
    whole.changed = bool(whole.plan)
    return whole


def apply(whole):
    transaction.apply(whole.steps)
    whole.applied = True


def read_back(whole):
    fields, warnings = {}, []
    for (found, said), part in zip(transaction.read_back(whole.steps), whole.desired):
        _merge(fields, _by_section(part.run, found))
        warnings.extend(worded(part.run, text, part.indices) for text in said)
    whole.changed = transaction.changed(whole.steps)
    return fields, warnings


def planned(whole):
    fields = {}
    for step, part in zip(whole.steps, whole.desired):
        _merge(fields, _by_section(part.run, driver.planned(step)))
    return fields


def _by_section(run, fields):
    """A task's result fields as its sections': a section's is the field
    named as its option (nl_link's links, nl_xfrm's states), else the
    task's one field's part named so (nl_netconf's settings: all, default),
    else the task's one field (nl_addr's addresses for its devices)."""
    out = {}
    for section in run:
        if section.option in fields:
            out[section.name] = fields[section.option]
        elif len(fields) == 1:
            (value,) = fields.values()
            if isinstance(value, dict):
                value = value.get(section.option)
            out[section.name] = value
    return out


def _merge(into, fields):
    """Each section's objects after the run; a section's two runs (its
    additions, its removals) join their lists; a single value (nl_xfrm's
    defaults, nl_netconf's settings) is the first run's that has one."""
    for name, value in fields.items():
        if isinstance(value, list):
            into.setdefault(name, []).extend(value)
        elif into.get(name) is None:
            into[name] = value
