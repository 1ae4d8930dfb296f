"""Deletes that cascade through link types the host kernel lacks: a vlan on
a dummy and on a veth's peer, a bond's ports.  Check mode shows what goes
with each delete, and a refusal at any request of the task restores every
link (ifindex included), address and route.  VM tier only (stock kernels).
"""
import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

SETUP = """link add d0 type dummy
link set d0 up
link add d0.10 link d0 type vlan id 10
link set d0.10 up
addr add 10.10.0.1/24 dev d0.10
route add 10.50.0.0/16 via 10.10.0.254 dev d0.10 proto static
link add vA type veth peer name vB
link set vA up
link set vB up
link add vB.20 link vB type vlan id 20 protocol 802.1ad
link set vB.20 up
addr add 10.20.0.1/24 dev vB.20
link add bond0 type bond mode active-backup
link add p0 type dummy
link set p0 master bond0
link set bond0 up
addr add 10.30.0.1/24 dev bond0
"""
PLAN = {"links": [
    {"name": "new0", "kind": "dummy", "state": "up"},
    {"name": "d0", "state": "absent"},
    {"name": "vA", "state": "absent"},
    {"name": "bond0", "state": "absent"},
]}
PLAN_REQUESTS = 4


@pytest.fixture
def lab(netns):
    for knob in ("default", "all"):
        netns.exec("sysctl", "-qw", "net.ipv6.conf.%s.accept_dad=0" % knob)
    netns.ip("-batch", "-", input=SETUP)  # one ip start: each costs seconds under TCG
    settle(netns.name)
    return netns


def test_check_mode_shows_what_goes(lab, run_module):
    r = run_module("nl_link", PLAN, check=True, diff=True, netns=lab.name)
    assert r.get("failed") is not True, r
    headers = "\n".join(d["before_header"] for d in r["diff"])
    for needle in ("link d0.10", "link vB ", "link vB.20", "address d0.10 10.10.0.1/24",
                   "10.50.0.0/16", "address vB.20 10.20.0.1/24", "link p0"):
        assert needle in headers, (needle, headers)
    assert len(r["commands"]) == PLAN_REQUESTS, r["commands"]


@pytest.mark.parametrize("fail_at", range(PLAN_REQUESTS))
def test_refusal_at_any_position_restores_everything(lab, run_module, monkeypatch, fail_at):
    before = snapshot(lab.name)
    inject(monkeypatch, lambda n, req: n == fail_at)
    r = run_module("nl_link", PLAN, netns=lab.name)
    monkeypatch.undo()
    assert r.get("failed") is True, r
    for failure in r["undo_failures"]:
        print("UNDO-FAILURE", failure)
    assert r["undone"] is True and r["undo_failures"] == [], (r["msg"], r["undo_failures"])
    assert r["changed"] is False
    settle(lab.name)
    assert_same(before, snapshot(lab.name))
