"""The task driver (engine/driver.py) runs one task instance any number
of times: for every module's task, one instance through check mode, a
real run and a real run with other params gives what a fresh instance
gives for each, in a namespace of its own, and is left as it was made."""
import importlib.util
import os

import pytest

from ansible_collections.netlink.host.plugins.module_utils.engine import driver
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.objects.manifest import MODULES


def _unit_test_module():
    """tests/unit/tasks/test_tasks_stateless.py: the params per module."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "unit", "tasks",
                        "test_tasks_stateless.py")
    spec = importlib.util.spec_from_file_location("unit_test_tasks_stateless", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


UNIT = _unit_test_module()


def _prepare(ns, ip):
    ip(ns, "link", "set", "lo", "up")
    for name in ("b0", "b1"):
        ip(ns, "link", "add", name, "type", "bridge")


def _run(task, ns, entry, data, check_mode):
    """One run as the runner makes it: what it shows and returns."""
    params = UNIT._params(entry, dict(data, netns=ns))
    desired = driver.prepare(task, params)
    with KernelContext(ns) as ctx:
        step = driver.plan(driver.Step(task, ctx, params, desired, check_mode))
        out = {"commands": step.commands, "warnings": list(step.warnings), "plan": step.plan}
        if check_mode:
            out["fields"] = driver.planned(step)
        else:
            if step.plan:
                driver.apply(step)
            out["fields"], warnings = driver.read_back(step)
            out["warnings"] += warnings
        out["changed"] = step.changed
    return out


def _strip_ns(value, ns):
    """Commands name the namespace: compare without it."""
    if isinstance(value, str):
        return value.replace(ns, "NS")
    if isinstance(value, list):
        return [_strip_ns(v, ns) for v in value]
    if isinstance(value, dict):
        return dict((k, _strip_ns(v, ns)) for k, v in value.items())
    return value


@pytest.mark.parametrize("entry", MODULES, ids=lambda m: m.name)
def test_one_instance_runs_as_fresh_ones(entry, netns_factory, ip):
    cls = UNIT._load(entry.task)
    one, two = UNIT.PARAMS[entry.name]
    runs = ((one, True), (two, False), (one, False))
    reused_ns, fresh_ns = netns_factory(), netns_factory()
    _prepare(reused_ns, ip)
    _prepare(fresh_ns, ip)
    task = cls()
    made = dict(vars(task))
    for data, check_mode in runs:
        got = _run(task, reused_ns, entry, data, check_mode)
        assert vars(task) == made
        want = _run(cls(), fresh_ns, entry, data, check_mode)
        assert _strip_ns(got, reused_ns) == _strip_ns(want, fresh_ns), (data, check_mode)
