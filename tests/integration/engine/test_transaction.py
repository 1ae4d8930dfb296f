"""Several tasks as one transaction (engine/transaction.py): links,
addresses on links the same plan creates, routes in two tables through
them and rules, planned together, applied once; a re-run sends nothing;
a refusal late in the plan undoes everything, the links too; check mode
plans what apply does."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils.engine import applier, driver, transaction
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.specs import address as spec_address
from ansible_collections.netlink.host.plugins.module_utils.specs import link as spec_link
from ansible_collections.netlink.host.plugins.module_utils.specs import route as spec_route
from ansible_collections.netlink.host.plugins.module_utils.specs import rule as spec_rule
from ansible_collections.netlink.host.plugins.module_utils.tasks import argspec
from ansible_collections.netlink.host.plugins.module_utils.tasks.address import AddressTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.rule import RuleTask

from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, snapshot

LINKS = [
    {"name": "br0", "kind": "bridge", "state": "up"},
    {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up"},
    {"name": "v1", "state": "up"},
    # stacked on the veth's peer (the host kernel has no vlan: macvlan stands in)
    {"name": "v1.10", "kind": "macvlan", "link": "v1", "macvlan": {"mode": "bridge"}, "state": "up"},
]
DEVICES = [
    {"dev": "br0", "addresses": [{"address": "192.0.2.1/24"}, {"address": "2001:db8::1/64", "nodad": True}]},
    {"dev": "v1.10", "addresses": [{"address": "198.51.100.1/24"}]},
]
ROUTES = [
    {"dst": "10.10.0.0/16", "gateway": "192.0.2.254"},
    {"dst": "10.20.0.0/16", "dev": "v1.10", "table": 100},
    {"dst": "0.0.0.0/0", "gateway": "198.51.100.254", "table": 100},
]
RULES = [{"priority": 1000, "from": "10.99.0.0/16", "table": 100}]
# A route the kernel refuses when its turn comes (no route to its gateway):
# its task validates and plans it, the links and addresses before it apply.
REFUSED = {"dst": "10.30.0.0/16", "gateway": "203.0.113.1"}


def _steps(ns, ctx, check_mode, routes=None):
    out = []
    for task, spec, params in ((LinkTask(), spec_link, {"links": LINKS}),
                               (AddressTask(), spec_address, {"devices": DEVICES}),
                               (RouteTask(), spec_route, {"routes": ROUTES if routes is None else routes}),
                               (RuleTask(), spec_rule, {"rules": RULES})):
        params = argspec.normalize(spec.argument_spec(), dict(params, netns=ns))
        out.append(driver.Step(task, ctx, params, driver.prepare(task, params), check_mode))
    return out


def _run(ns, check_mode=False, routes=None):
    with KernelContext(ns) as ctx:
        steps = transaction.plan(_steps(ns, ctx, check_mode, routes))
        plan = transaction.joined(steps)
        warnings = [w for s in steps for w in s.warnings]
        if not check_mode:
            transaction.apply(steps)
            transaction.read_back(steps)
        return plan, warnings, ctx.write_requests


def test_whole_host_in_one_transaction_then_nothing_to_do(netns, ip_json):
    plan, warnings, writes = _run(netns)
    assert warnings == []
    assert writes == len([ch for ch in plan if not ch.get("implied")])
    addrs = dict((a["ifname"], [i["local"] for i in a["addr_info"]]) for a in ip_json(netns, "addr", "show"))
    assert "192.0.2.1" in addrs["br0"] and "198.51.100.1" in addrs["v1.10"]
    assert [r["dst"] for r in ip_json(netns, "route", "show", "table", "100")] == ["default", "10.20.0.0/16"]
    assert any(r.get("priority") == 1000 for r in ip_json(netns, "rule", "show"))
    again, warnings, writes = _run(netns)
    assert (again, warnings, writes) == ([], [], 0)


def test_check_mode_plans_what_apply_does(netns):
    predicted, warnings, writes = _run(netns, check_mode=True)
    assert warnings == [] and writes == 0
    applied, _warnings, _writes = _run(netns)
    assert predicted == applied


@pytest.mark.parametrize("position", [0, 2])
def test_a_late_refusal_undoes_the_links_too(netns, position):
    before = snapshot(netns)
    routes = list(ROUTES)
    routes.insert(position, REFUSED)
    with pytest.raises(applier.ApplyError) as err:
        _run(netns, routes=routes)
    assert err.value.undone, err.value.undo_failures
    assert err.value.applied > len(LINKS)  # links and addresses went in before the route
    assert_same(before, snapshot(netns))
