"""Commit-confirmed's rollback without a kernel: the undo plan stored
before anything is applied (applier.applied_order) and rollback.sort_out,
which undoes only what is still as the change left it, on the made-up
"box" kind of test_applier (a fake kernel that really changes)."""
import json

from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.confirm import rollback

import test_applier
from test_applier import FakeContext, box, plan_of, start_state

box_kind = test_applier.box_kind  # the fixture that registers the box kind


def stored_undo(kind):
    """The undo plan as the module stores it before the first write: JSON."""
    return json.loads(json.dumps(applier.undo_plan(applier.applied_order(plan_of(kind, start_state())))))


def roll_back(kernel, undo):
    ctx = FakeContext(kernel)
    todo, conflicts = rollback.sort_out(undo, ctx)
    failures = applier.apply_undo(todo, ctx)
    return todo, conflicts, failures


def test_applied_order_is_the_order_apply_records(box_kind):
    ctx = FakeContext(start_state())
    applied = applier.apply(plan_of(box_kind, start_state()), ctx)
    assert applier.applied_order(plan_of(box_kind, start_state())) == applied


def test_whole_change_rolled_back(box_kind):
    kernel = start_state()
    applier.apply(plan_of(box_kind, start_state()), FakeContext(kernel))
    todo, conflicts, failures = roll_back(kernel, stored_undo(box_kind))
    assert (conflicts, failures) == ([], [])
    assert kernel == start_state()
    assert len(todo) == 5


def test_module_killed_after_first_batch(box_kind):
    """Only c and a were changed: the rest is found as it was and left."""
    kernel = start_state()
    kernel.update(a=box("a", 10), c=box("c", 3))
    todo, conflicts, failures = roll_back(kernel, stored_undo(box_kind))
    assert (conflicts, failures) == ([], [])
    assert sorted(ch["key"][0] for ch in todo) == ["a", "c"]
    assert kernel == start_state()


def test_object_changed_since_is_a_conflict_left_alone(box_kind):
    kernel = start_state()
    applier.apply(plan_of(box_kind, start_state()), FakeContext(kernel))
    kernel["a"] = box("a", 99)  # another tool, after the change
    todo, conflicts, failures = roll_back(kernel, stored_undo(box_kind))
    assert [(c["kind"], c["key"]) for c in conflicts] == [("box", ["a"])]
    assert "value differ" in conflicts[0]["reason"] and conflicts[0]["found"]["value"] == 99
    assert failures == []
    assert kernel == dict(start_state(), a=box("a", 99))
    assert "a" not in [ch["key"][0] for ch in todo]


def test_object_gone_since_is_a_conflict(box_kind):
    kernel = start_state()
    applier.apply(plan_of(box_kind, start_state()), FakeContext(kernel))
    del kernel["e"]  # made by the change, deleted since: as before the change, nothing to undo
    kernel["c"] = box("c", 7)
    todo, conflicts, failures = roll_back(kernel, stored_undo(box_kind))
    assert [c["key"] for c in conflicts] == [["c"]]
    assert kernel["c"] == box("c", 7) and "e" not in kernel
