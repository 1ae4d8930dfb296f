"""nl_fdb when the kernel refuses a request in the middle of a replaced
run (creates, an update, deletes; a flood list among them): the task fails
with the kernel's message and leaves the FDB as it was (undone, read
back); an unconfirmed replaced run (confirm_timeout) rolls back."""
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store
from ansible_collections.netlink.host.tests.integration.confirm_wait import wait_final, watchdog_gone
from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.modules.fdb_helpers import fdb_of, vxlan_on_bridge

MOD = "nl_fdb"
ZERO = "00:00:00:00:00:00"
SETUP = ["fdb append %s dev vx0 dst 192.0.2.2" % ZERO, "fdb append %s dev vx0 dst 192.0.2.3" % ZERO,
         "fdb add 02:00:00:00:00:01 dev vx0 dst 192.0.2.2", "fdb add 02:00:00:00:00:02 dev v0 master static"]
# a replaced run: creates a remote and an entry, updates one, deletes a
# remote of the flood list and the bridge entry of v0
REPLACED = {"state": "replaced", "entries": [
    {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.2"},                           # kept
    {"dev": "vx0", "mac": ZERO, "dst": "192.0.2.4"},                           # create
    {"dev": "vx0", "mac": "02:00:00:00:00:01", "dst": "192.0.2.5"},           # update (the remote moves)
    {"dev": "vx0", "mac": "02:00:00:00:00:03", "dst": "192.0.2.2", "vni": 9},  # create
    {"dev": "v0", "mac": "02:00:00:00:00:04", "master": True, "entry_state": "static"},  # create
]}                                                                             # deletes 192.0.2.3 and :02


@pytest.fixture
def lab(netns, run_module):
    vxlan_on_bridge(run_module, netns, extra=[
        {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up"},
        {"name": "v1", "state": "up"}])
    subprocess.run(["bridge", "-n", netns, "-batch", "-"], input="\n".join(SETUP) + "\n", universal_newlines=True,
                   check=True, timeout=30)
    return netns


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4, 5])
def test_refusal_mid_task_is_undone(lab, run_module, monkeypatch, position):
    before = fdb_of(lab)
    plan = run_module(MOD, REPLACED, netns=lab, check=True)
    assert len(plan["commands"]) == 6, plan
    inject(monkeypatch, lambda n, req: n == position)
    r = run_module(MOD, REPLACED, netns=lab)
    assert r.get("failed") and r["undone"] is True and r["undo_failures"] == [], r
    assert "kernel refused" in r["msg"] and plan["commands"][position].split(" fdb ")[1] in r["msg"], r["msg"]
    monkeypatch.undo()
    assert fdb_of(lab) == before


@pytest.mark.slow(12)
def test_unconfirmed_replaced_run_rolls_back(lab, run_module):
    before = fdb_of(lab)
    r = run_module(MOD, dict(REPLACED, confirm_timeout=2), netns=lab)
    assert r["changed"] and r.get("confirm_id"), r
    assert fdb_of(lab) != before
    rec = wait_final(r["confirm_id"])
    assert rec["state"] == store.ROLLED_BACK, rec
    assert fdb_of(lab) == before
    assert watchdog_gone(r["confirm_id"])
