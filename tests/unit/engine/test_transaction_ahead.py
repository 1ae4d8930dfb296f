"""engine/ahead.py and engine/transaction.py without a kernel: what the
earlier steps plan is what a later step is told (made, gone), and the
joined plan keeps each step whole and in order with stages no two steps
share."""
from ansible_collections.netlink.host.plugins.module_utils.engine import driver, transaction
from ansible_collections.netlink.host.plugins.module_utils.engine.ahead import Ahead
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.tasks.base import Task


def _ch(kind, op, key, after, stage=0):
    return {"kind": kind, "op": op, "key": list(key), "before": None if op == "create" else {},
            "after": after, "stage": stage, "note": ""}


def test_ahead_says_what_earlier_plans_make_and_delete():
    ahead = Ahead().then([_ch("link", "create", ["br0"], {"name": "br0"}),
                          _ch("link", "delete", ["old"], None),
                          _ch("address", "delete", ["old", "192.0.2.1/24"], None)])
    assert ahead and not Ahead()
    assert ahead.makes("link", ("br0",)) and not ahead.makes("link", ("old",)) and not ahead.makes("link", ("v0",))
    assert ahead.gone("link", ["old"]) and not ahead.gone("link", ["br0"]) and not ahead.gone("link", ["v0"])
    kind = registry.kind("address")
    objs = [{"dev": "old", "address": "192.0.2.1/24"}, {"dev": "lo", "address": "192.0.2.2/24"}]
    assert ahead.without_gone(kind, objs) == objs[1:]
    # the last change of an object is its final state
    assert ahead.then([_ch("link", "create", ["old"], {"name": "old"})]).makes("link", ("old",))


def test_missing_is_no_guess_when_planned_ahead():
    task = Task()
    mode = driver.RunMode(check_mode=False, ahead=Ahead().then([_ch("link", "create", ["br0"], {"name": "br0"})]))
    task.missing_in_check_mode(mode, "dev=br0", "planned", "no such device", made=("link", ("br0",)))
    assert mode.warnings == []


class _Planned(Task):
    """A task whose plan is given; it records what it was told."""

    def __init__(self, changes):
        self.changes = changes

    def current(self, ctx, desired, params, mode):
        return {}

    def plan(self, ctx, desired, current, params, mode):
        mode.warnings.append("told %s" % sorted(k for k in mode.ahead._final))
        return [dict(ch) for ch in self.changes]


def test_steps_planned_in_order_and_joined_with_their_own_stages(monkeypatch):
    monkeypatch.setattr(driver, "commands", lambda plan, ctx: [])  # made-up changes: no ip lines
    first = _Planned([_ch("link", "create", ["br0"], {"name": "br0"}, stage=4), _ch("link", "create", ["v0"], {}, 9)])
    second = _Planned([_ch("address", "create", ["br0", "a"], {}, stage=0), _ch("address", "delete", ["br0", "b"], None, 0)])
    steps = [driver.Step(t, None, {}, [], False) for t in (first, second)]
    transaction.plan(steps)
    assert steps[0].warnings == ["told []"] and steps[1].warnings == ["told [('link', ('br0',)), ('link', ('v0',))]"]
    joined = transaction.joined(steps)
    assert [(ch["key"], ch["stage"]) for ch in joined] == [(["br0"], 0), (["v0"], 1), (["br0", "a"], 2), (["br0", "b"], 2)]
    assert transaction.changed(steps)


def test_reword_names_the_step():
    class Bad(Task):
        def current(self, ctx, desired, params, mode):
            from ansible_collections.netlink.host.plugins.module_utils import contract
            raise contract.ValidationError("dev=x: no such device")
    steps = [driver.Step(Bad(), None, {}, [], False)]
    try:
        transaction.plan(steps, reword=lambda step, exc: ValueError("the step: %s" % exc))
    except ValueError as exc:
        assert str(exc) == "the step: dev=x: no such device"
    else:
        raise AssertionError("no error")
