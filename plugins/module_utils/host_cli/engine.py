# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Saved state -> the modules' tasks -> the engine, as a play of the
network role would run them: one task per module (its sections together),
additions in table order, then removals (items with ``state: absent``) in
the reverse order (state/steps.py).  Every task is validated, then all
are read and planned as one transaction and applied as one plan
(engine/transaction.py, what nl_state runs too), each read back by the
task driver the module runs (engine/driver.py); nothing here plans or
writes by itself.

When the kernel refuses any change, the applier undoes everything the
apply changed, every task's, and the error names the task of the refused
change.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine import applier, driver, transaction
from ..engine.context import KernelContext, validate_netns
from ..netlink.errors import NetlinkLibraryError
from ..objects import registry
from . import networkmanager
from ..state import gathered, steps as state_steps
from ..state.sections import BY_NAME, SECTIONS, SectionUnavailable, available, task_class


class HostError(Exception):
    """What the program reports and exits 2 on: bad state, a refusal by
    the kernel (undone), or a link NetworkManager manages."""


label = state_steps.label
make_params = state_steps.make_params


def runs(loaded):
    """(sections, values, state) for each task, in the order they run."""
    return [(run, values, state) for run, values, state, _indices in state_steps.split(loaded["sections"], loaded["mode"])]


class Step(driver.Step):
    """One task's plan, ready to show or apply: the driver's step, with
    the sections it runs (``run``) and their ``label``."""

    def __init__(self, run, task, params, ctx, desired, check_mode):
        driver.Step.__init__(self, task, ctx, params, desired, check_mode)
        self.run = run
        self.label = label(run)


def prepared(run, values, state, netns, ctx, check_mode):
    """One task's step, validated (nothing read yet), on ``ctx``."""
    try:
        task = task_class(run[0])()
        params = make_params(run, values, state, netns)
        desired = driver.prepare(task, params)
    except (contract.ValidationError, SectionUnavailable) as exc:
        raise HostError("%s: %s" % (label(run), exc))
    return Step(run, task, params, ctx, desired, check_mode)


def _reworded(step, exc):
    return HostError("%s: %s" % (step.label, exc))


def guard(step, nm_root):
    """Refuse a plan that changes a link NetworkManager has."""
    names = networkmanager.touched(step.plan, registry)
    if not names:
        return
    links = dict((m.attrs.get("ifname"), i) for i, m in step.ctx.links().items())
    found = networkmanager.managed(names, links.get, nm_root)
    if found:
        raise HostError("%s: refusing to change %s: %s (NetworkManager would fight over it; "
                        "--ignore-networkmanager or ignore_networkmanager: true in the state overrides)" % (
                            step.label, ", ".join(sorted(found)),
                            "; ".join("%s: %s" % (n, found[n]) for n in sorted(found))))


def apply_all(steps):
    """Apply the planned steps as one transaction (the applier undoes all
    of it on a refusal), then read back each applied step as the module
    does."""
    try:
        transaction.apply(steps)
    except applier.ApplyError as exc:
        note = "" if exc.undone else " (undo left %d object(s) not restored: %s)" % (
            len(exc.undo_failures), exc.undo_failures)
        raise HostError("%s: %s%s" % (_refused_in(steps, exc.change), exc, note))
    except NetlinkLibraryError as exc:
        raise HostError("%s: %s" % ("+".join(s.label for s in steps if s.plan), exc))
    for step in steps:
        if step.applied:
            _fields, warnings = driver.read_back(step)
            step.warnings.extend(warnings)


def _refused_in(steps, change):
    """The label of the step whose plan holds ``change``."""
    for step in steps:
        if any(ch is change for ch in step.plan):
            return step.label
    return "+".join(s.label for s in steps if s.plan)


def validate(loaded, netns=None):
    """Every task's params and desired objects, as apply builds them,
    before anything is read or changed (the network role's preflight).
    Each state file alone first, so that an error names the file and the
    item's index in that file (merged, links[7] may be the second file's
    links[2]); then the files together."""
    validate_netns(netns, "--netns")
    by_file = loaded.get("by_file") or []
    for path, sections in by_file:
        _validate(dict(loaded, sections=sections), netns, "%s: " % path)
    if len(by_file) != 1:
        _validate(loaded, netns, "%s: " % ", ".join(p for p, _s in by_file) if by_file else "")


def _validate(loaded, netns, where):
    for run, values, state in runs(loaded):
        try:
            driver.prepare(task_class(run[0])(), make_params(run, values, state, netns))
        except (contract.ValidationError, SectionUnavailable) as exc:
            raise HostError("%s%s: %s" % (where, label(run), exc))


def execute(loaded, netns=None, apply=False, nm_root=None, log=None):
    """Plan every task of the loaded state, in order, once every task's
    input is valid, as ONE transaction (engine/transaction.py): each task
    plans against what the earlier ones plan; with ``apply`` their plans
    go to the kernel as one, so that a refusal anywhere undoes everything
    (the links of a refused route too).  Returns the steps.
    ``nm_root``: where NetworkManager's files are (None: do not look).
    ``log(step)`` is called for each step once all are done."""
    validate(loaded, netns)
    if loaded["ignore_networkmanager"]:
        nm_root = None
    with KernelContext(netns) as ctx:
        steps = [prepared(run, values, state, netns, ctx, check_mode=not apply) for run, values, state in runs(loaded)]
        transaction.plan(steps, reword=_reworded)
        if apply and any(s.plan for s in steps):
            if nm_root is not None:
                for step in steps:
                    if step.plan:
                        guard(step, nm_root)
            apply_all(steps)
    if log is not None:
        for step in steps:
            log(step)
    return steps


def show(names=None, netns=None):
    """The kernel's current state as a state document (every available
    section, or those named), in the modules' own input formats."""
    validate_netns(netns, "--netns")
    try:
        return gathered.gather(names, netns, lambda: KernelContext(netns))
    except gathered.GatherError as exc:
        raise HostError(str(exc))


def drift(step):
    """What differs, one sentence per planned change (for check)."""
    out = []
    for ch in step.plan:
        if ch.get("implied"):
            continue
        kind = registry.kind(ch["kind"])
        before = contract.mask(kind, ch["before"]) if ch["before"] is not None else None
        after = contract.mask(kind, ch["after"]) if ch["after"] is not None else None
        what = "%s %s" % (kind.name, kind.label(ch["after"] if ch["after"] is not None else ch["before"]))
        if before is None:
            out.append("%s: missing (saved state has it)" % what)
        elif after is None:
            out.append("%s: present (saved state removes it)" % what)
        else:
            fields = sorted(k for k in set(before) | set(after)
                            if k != "kernel" and before.get(k) != after.get(k))
            out.append("%s: differs: %s" % (what, ", ".join(
                "%s is %s, saved %s" % (k, _text(before.get(k)), _text(after.get(k))) for k in fields) or ch["op"]))
    return out


def _text(value):
    return "unset" if value is None else str(value)


def section_names():
    return [s.name for s in SECTIONS]


def unavailable(loaded):
    """Sections of the loaded state whose module is not in this build."""
    return [n for n in loaded["sections"] if not available(BY_NAME[n])]
