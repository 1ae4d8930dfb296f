"""module_runner.run pauses Python's cyclic garbage collector for the run
and gives it back as it found it, however the run ends (exit_json and
fail_json raise SystemExit)."""
import gc

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.runner import module_runner
from ansible_collections.netlink.host.plugins.module_utils.tasks.base import Task


class Module:
    """What run() uses of an AnsibleModule; records whether the collector
    ran automatically when the module exits."""

    check_mode = True
    _diff = False
    no_log_values = frozenset()

    def __init__(self, params):
        self.params = params
        self.seen = []

    def exit_json(self, **result):
        self.seen.append(("exit", gc.isenabled(), result))
        raise SystemExit(0)

    def fail_json(self, msg, **result):
        self.seen.append(("fail", gc.isenabled(), msg))
        raise SystemExit(1)

    def warn(self, text):
        pass


class RefusingTask(Task):
    def desired(self, params):
        raise contract.ValidationError("dst=x: refused")


class BrokenTask(Task):
    def desired(self, params):
        raise RuntimeError("a bug")


@pytest.mark.parametrize("enabled", [True, False])
def test_paused_for_the_run_and_restored_after_fail_json(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        module = Module({})
        with pytest.raises(SystemExit):
            module_runner.run(module, RefusingTask())
        assert module.seen == [("fail", False, "dst=x: refused")]
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_restored_when_the_task_raises():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        module_runner.run(Module({}), BrokenTask())
    assert gc.isenabled()
