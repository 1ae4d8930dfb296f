"""Task.missing_in_check_mode: the one rule for an object a task names that
is not there.  A real run fails with the task's own error; check mode
warns in one wording and the task plans against nothing (an earlier task
of the play may create the object).  Without a kernel: the rule, every
task taking it, and nl_link's plan of a link to configure that is not
there yet."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine.driver import RunMode
from ansible_collections.netlink.host.plugins.module_utils.objects.link_types import named_links, parents
from ansible_collections.netlink.host.plugins.module_utils.tasks.address import AddressTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.base import MISSING_YET, Task
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.rule import RuleTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.xfrm import XfrmTask

TASKS = [AddressTask, LinkTask, RouteTask, RuleTask, XfrmTask]


@pytest.mark.parametrize("cls", TASKS, ids=lambda c: c.__name__)
def test_a_real_run_fails_with_the_tasks_error(cls):
    task, mode = cls(), RunMode()
    with pytest.raises(contract.ValidationError) as exc:
        task.missing_in_check_mode(mode, "dev=wan", "planned as if it did", "dev=wan: no such device")
    assert str(exc.value) == "dev=wan: no such device"
    with pytest.raises(contract.PlanError):
        task.missing_in_check_mode(mode, "name=wan", "x", "name=wan: no such link", contract.PlanError)
    assert mode.warnings == []


@pytest.mark.parametrize("cls", TASKS, ids=lambda c: c.__name__)
def test_check_mode_warns_in_one_wording(cls):
    task, mode = cls(), RunMode(check_mode=True)
    task.missing_in_check_mode(mode, "dev=wan", "its addresses are planned as if it had none", "never raised")
    assert mode.warnings == ["dev=wan does not exist (yet): its addresses are planned as if it had none; a real "
                             "run fails unless an earlier task creates it"]
    assert mode.warnings[0] == MISSING_YET % ("dev=wan", "its addresses are planned as if it had none")
    assert vars(task) == vars(cls())  # the warning is the run's, not the task's


def test_warnings_are_per_run():
    task, one, two = Task(), RunMode(check_mode=True), RunMode(check_mode=True)
    task.missing_in_check_mode(one, "dev=a", "b", "c")
    assert two.warnings == [] and len(one.warnings) == 1


def _plan(params, check_mode):
    task, mode = LinkTask(), RunMode(check_mode)
    desired = task.desired(params)
    return mode, task.plan(None, desired, {}, params, mode)


def test_a_link_to_configure_that_is_not_there_fails_the_real_run():
    with pytest.raises(contract.PlanError) as exc:
        _plan({"name": "wan", "state": "up", "mtu": 1400}, False)
    assert str(exc.value) == "name=wan: no such link, and no kind given to create it"


def test_in_check_mode_its_settings_are_planned_on_a_link_with_none_set():
    mode, plan = _plan({"links": [{"name": "wan", "state": "up", "mtu": 1400}]}, True)
    assert [ch["op"] for ch in plan] == [contract.UPDATE], plan
    before, after = plan[0]["before"], plan[0]["after"]
    assert before["state"] == "down" and before["mtu"] is None and before["master"] == "", before
    assert after["state"] == "up" and after["mtu"] == 1400, after
    assert mode.warnings == [MISSING_YET % ("links[0].name=wan", "its settings are planned on a link with none set")]


def test_a_veth_peer_of_the_same_task_is_no_missing_link():
    mode, plan = _plan({"links": [{"name": "lan", "kind": "veth", "veth": {"peer": "wan"}},
                                  {"name": "wan", "state": "up"}]}, False)
    assert [ch["op"] for ch in plan] == [contract.CREATE, contract.UPDATE], plan
    assert mode.warnings == []


@pytest.mark.parametrize("obj, named", [
    ({"name": "a", "master": "br0", "link": None}, [("master", "br0")]),
    ({"name": "a", "kind": "macvlan", "link": "eth0", "master": ""}, [("link", "eth0")]),
    ({"name": "a", "kind": "vxlan", "vxlan": {"id": 1, "dev": "eth0"}, "master": "br0"},
     [("master", "br0"), ("vxlan.dev", "eth0")]),
    # no kind: a link configured by the blocks it gives
    ({"name": "a", "vxlan": {"dev": "eth1"}}, [("vxlan.dev", "eth1")]),
    ({"name": "a", "kind": "xfrm", "xfrm": {"if_id": 1, "dev": "eth0"}}, [("xfrm.dev", "eth0")]),
    ({"name": "a", "kind": "veth", "veth": {"peer": "b"}}, []),
])
def test_named_links_are_every_link_an_item_names(obj, named):
    assert named_links(obj) == named
    assert parents(obj) == [n for _o, n in named]
