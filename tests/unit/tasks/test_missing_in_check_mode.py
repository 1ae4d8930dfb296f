"""Task.missing_in_check_mode: the one rule for an object a task names that
is not there.  A real run fails with the task's own error; check mode
warns in one wording and the task plans against nothing (an earlier task
of the play may create the object).  Without a kernel: the rule, every
task taking it."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import reconcile
from ansible_collections.netlink.host.plugins.module_utils.tasks.address import AddressTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.base import MISSING_YET, Task
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.rule import RuleTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.xfrm import XfrmTask

TASKS = [AddressTask, LinkTask, RouteTask, RuleTask, XfrmTask]


@pytest.mark.parametrize("cls", TASKS, ids=lambda c: c.__name__)
def test_a_real_run_fails_with_the_tasks_error(cls):
    task = cls()
    with pytest.raises(reconcile.ValidationError) as exc:
        task.missing_in_check_mode("dev=wan", "planned as if it did", "dev=wan: no such device")
    assert str(exc.value) == "dev=wan: no such device"
    with pytest.raises(reconcile.PlanError):
        task.missing_in_check_mode("name=wan", "x", "name=wan: no such link", reconcile.PlanError)
    assert task.warnings == []


@pytest.mark.parametrize("cls", TASKS, ids=lambda c: c.__name__)
def test_check_mode_warns_in_one_wording(cls):
    task = cls()
    task.check_mode = True
    task.missing_in_check_mode("dev=wan", "its addresses are planned as if it had none", "never raised")
    assert task.warnings == ["dev=wan does not exist (yet): its addresses are planned as if it had none; a real "
                             "run fails unless an earlier task creates it"]
    assert task.warnings[0] == MISSING_YET % ("dev=wan", "its addresses are planned as if it had none")


def test_warnings_are_per_task():
    one, two = Task(), Task()
    one.check_mode = True
    one.missing_in_check_mode("dev=a", "b", "c")
    assert two.warnings == [] and len(one.warnings) == 1
