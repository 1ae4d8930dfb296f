"""nl_neigh when things go wrong, and its commands replayed: an entry the
kernel refuses in the middle of a list fails the task with the kernel's
message and leaves the namespace as it was (undone, read back); bad input
fails naming the option and the value, before anything changes;
``commands`` run with ``ip -batch`` in a fresh namespace make the same
entries."""
import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.modules.neigh_helpers import entries_of, full_snapshot
from ansible_collections.netlink.host.tests.integration.snapshots import settle

MOD = "nl_neigh"
MAC = "02:00:00:00:00:09"

SETUP = ["link add v0 type veth peer name v1", "link set v0 up", "link set v1 up",
         "neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev v0 nud permanent protocol static",
         "neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent protocol bird",
         "neigh add 2001:db8::1 lladdr 02:00:00:00:00:01 dev v0 nud noarp router protocol static",
         "neigh add proxy 2001:db8::10 dev v0 protocol static"]

# a replaced run that creates, updates and deletes: what is refused where
REPLACED = {"state": "replaced", "dev": "v0", "neighbours": [
    {"dst": "192.0.2.1", "lladdr": "02:00:00:00:00:0a"},              # update
    {"dst": "192.0.2.3", "lladdr": MAC},                               # create
    {"dst": "2001:db8::3", "lladdr": MAC, "nud": "noarp"},             # create
]}                                                                     # deletes 2001:db8::1 and the proxy entry


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4])
def test_refusal_mid_task_is_undone(netns, ip_batch, run_module, monkeypatch, position):
    ip_batch(netns, SETUP)
    settle(netns, full_snapshot)   # the veth's carrier and link-locals come a moment after up
    before = full_snapshot(netns)
    plan = run_module(MOD, REPLACED, netns=netns, check=True)
    assert len(plan["commands"]) == 5, plan
    inject(monkeypatch, lambda n, req: n == position)
    r = run_module(MOD, REPLACED, netns=netns)
    assert r.get("failed") and r["undone"] is True and r["undo_failures"] == [], r
    assert "kernel refused" in r["msg"] and plan["commands"][position].split(" neigh ")[1] in r["msg"], r["msg"]
    assert r["changed"] is False and any("  # refused: " in c for c in r["commands"]), r
    monkeypatch.undo()
    assert full_snapshot(netns) == before


BAD = [
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:0g"}, "lladdr=02:00:00:00:00:0g"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00"}, "lladdr=02:00:00:00:00"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:09:0a"}, "lladdr=02:00:00:00:00:09:0a"),
    ({"dev": "v0", "dst": "192.0.2.9"}, "lladdr=None: required"),
    ({"dev": "v0", "dst": "192.0.2.0/24", "lladdr": MAC}, "dst"),
    ({"dev": "v0", "dst": "192.0.2.300", "lladdr": MAC}, "dst"),
    ({"dev": "v0", "dst": "0.0.0.0", "lladdr": MAC}, "dst=0.0.0.0"),
    ({"dst": "192.0.2.9", "lladdr": MAC}, "dev=None: required"),
    ({"dev": "v" * 16, "dst": "192.0.2.9", "lladdr": MAC}, "dev=" + "v" * 16),
    ({"dev": "nosuchdev", "dst": "192.0.2.9", "lladdr": MAC}, "nosuchdev"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "nud": "delay"}, "nud=delay"),
    ({"dev": "v0", "dst": "192.0.2.9", "proxy": True, "lladdr": MAC}, "lladdr=" + MAC),
    ({"dev": "v0", "dst": "192.0.2.9", "proxy": True, "nud": "noarp"}, "nud=noarp"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "protocol": "nosuchproto"}, "protocol=nosuchproto"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "protocol": 256}, "protocol=256"),
    ({"neighbours": [{"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "router": "maybe"}]},
     "neighbours[0].router=maybe"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "family": "4"}, "family=4"),
    ({"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "owned": "permanent"}, "owned=permanent"),
    ({"neighbours": [{"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "mac": MAC}]}, "neighbours[0]"),
    ({"neighbours": [{"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC},
                     {"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC}]}, "neighbours[1]"),
    ({"neighbours": [{"dev": "v0", "dst": "192.0.2.9", "lladdr": MAC, "state": "replaced"}]},
     "neighbours[0].state=replaced"),
    ({"neighbours": [{"dev": "v0", "dst": "192.0.2.9", "lladdr": "x"}]}, "neighbours[0].lladdr=x"),
    ({"neighbours": [], "dst": "192.0.2.9"}, "dst: given with neighbours"),
    ({"state": "replaced"}, "state=replaced: names no device"),
    ({"state": "gathered", "lladdr": MAC}, "lladdr: state=gathered"),
    ({"state": "gathered", "nud": "sleepy"}, "nud=sleepy"),
    ({"state": "absent"}, "state=absent needs an entry"),
]


@pytest.mark.parametrize("args,where", BAD, ids=[b[1] for b in BAD])
def test_bad_input_fails_cleanly(netns, ip_batch, run_module, args, where):
    ip_batch(netns, SETUP)
    settle(netns, full_snapshot)   # the veth's carrier and link-locals come a moment after up
    before = full_snapshot(netns)
    r = run_module(MOD, args, netns=netns)
    assert r.get("failed") and where in r["msg"], (where, r.get("msg"))
    assert "write_requests" not in r or r["write_requests"] == 0
    assert full_snapshot(netns) == before


def test_commands_replayed_with_ip_batch(netns, netns_factory, ip_batch, run_module):
    """What the module did, as ``ip`` commands, in a fresh namespace that
    started the same: the same entries."""
    other = netns_factory()
    for ns in (netns, other):
        ip_batch(ns, SETUP)
    r = run_module(MOD, dict(REPLACED, neighbours=REPLACED["neighbours"] + [
        {"dst": "2001:db8::4", "lladdr": MAC, "router": True, "extern_learn": True, "protocol": "bird"},
        {"dst": "192.0.2.10", "proxy": True, "router": True},
        {"dst": "192.0.2.11", "lladdr": MAC, "nud": "stale", "protocol": 250}]), netns=netns)
    assert r["changed"] and len(r["commands"]) == 8, r
    prefix = "ip -n %s " % netns
    assert all(c.startswith(prefix) for c in r["commands"]), r["commands"]
    ip_batch(other, [c[len(prefix):] for c in r["commands"]])
    assert entries_of(other, static_only=False) == entries_of(netns, static_only=False)
