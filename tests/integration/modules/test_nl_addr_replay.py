"""nl_addr plans are replayable: a FRESH Python process that has only a
plan's JSON builds, through the kind registry and its own KernelContext in
the same namespace, the very bytes this process builds for every change
(create, update, delete, and the inverses that undo them), kernel blocks
with flags, IFA_PROTO and lifetimes included.

Both processes run with CLOCK_BOOTTIME frozen at the same second (the
request counts a remaining lifetime down from the read), so that equal
bytes mean equal requests, not luck with the clock.
"""
import json
import os
import subprocess
import sys

import ansible_collections
import pytest

from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.engine.driver import RunMode
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import addr as RA
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import encode_message
from ansible_collections.netlink.host.plugins.module_utils.objects import address as A
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.tasks.address import AddressTask
from test_nl_addr_faults import add_raw

# What the fresh process runs: plan JSON on stdin, one hex string per
# change on stdout.
REPLAY = r'''
import json, sys
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import encode_message
from ansible_collections.netlink.host.plugins.module_utils.objects import address, registry
plan = json.load(sys.stdin)
address.boottime = lambda: plan["frozen"]
out = []
with KernelContext(plan["netns"]) as ctx:
    for ch in plan["changes"]:
        req = registry.kind(ch["kind"]).request(ch, ctx)
        out.append(encode_message(rtnl.SCHEMAS, req, 1).hex())
print(json.dumps(out))
'''


@pytest.fixture
def ns(netns, ip):
    ip(netns, "link", "add", "br0", "type", "bridge")
    ip(netns, "link", "set", "br0", "up")
    flags = RA.IFA_F_MANAGETEMPADDR | RA.IFA_F_NOPREFIXROUTE | RA.IFA_F_NODAD
    add_raw(netns, "br0", "2001:db8:1::5", 64, flags=flags, proto=7, valid=300, preferred=200)
    add_raw(netns, "br0", "192.0.2.10", 24, proto=9, valid=600, preferred=0, label="br0")
    add_raw(netns, "br0", "192.0.2.11", 24, label="br0:x")  # a secondary
    ip(netns, "addr", "add", "10.0.0.1", "peer", "10.0.0.2/30", "dev", "br0", "metric", "5")
    return netns


def plan_of(ctx, params, task):
    params = dict({"dev": "br0", "state": "present", "recreate": True}, **params)
    desired = task.desired(params)
    mode = RunMode()
    current = task.current(ctx, desired, params, mode)
    return task.plan(ctx, desired, current, params, mode)


def all_changes(ctx, task):
    """Creates, in-place updates, deletes and re-creates of read addresses
    (kernel blocks with flags, IFA_PROTO, lifetimes), and their undo."""
    plan = plan_of(ctx, task=task, params={"addresses": [
        {"address": "2001:db8:1::5/64", "metric": 7},                          # update: lifetimes kept
        {"address": "192.0.2.10/24", "valid_lft": 900, "preferred_lft": 0},    # update: valid set anew
        {"address": "192.0.2.11/24", "label": "br0:y"},                        # re-created (recreate)
        {"address": "198.51.100.1/24", "broadcast": "+", "scope": "link"},     # new
        {"address": "127.0.0.9/8"},                                            # new, default scope host
    ]})
    plan += plan_of(ctx, {"state": "absent", "addresses": ["10.0.0.1/30"]}, task)  # delete (peer, metric)
    return plan + applier.undo_plan(plan)


def test_every_change_replays_byte_for_byte_in_a_fresh_process(ns, monkeypatch):
    task = AddressTask()
    with KernelContext(ns) as ctx:
        changes = all_changes(ctx, task)
        # (op, whether the object sent carries a kernel block from a read)
        ops = sorted(set((ch["op"], "kernel" in (ch["after"] or ch["before"])) for ch in changes))
        assert ops == [("create", False), ("create", True), ("delete", False), ("delete", True),
                       ("update", True)], ops
        frozen = A.boottime() + 7  # a replay 7 s after the read
        monkeypatch.setattr(A, "boottime", lambda: frozen)
        stored = json.loads(json.dumps({"version": 1, "netns": ns, "changes": changes, "frozen": frozen}))
        # here: the kind the task planned with; there: the registry's
        here = [encode_message(rtnl.SCHEMAS, task.kind.request(ch, ctx), 1).hex() for ch in stored["changes"]]
    env = dict(os.environ, PYTHONPATH=os.path.dirname(list(ansible_collections.__path__)[0]))
    proc = subprocess.run([sys.executable, "-c", REPLAY], input=json.dumps(stored), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, env=env, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    there = json.loads(proc.stdout)
    assert len(there) == len(here) == len(changes)
    for ch, a, b in zip(changes, here, there):
        assert a == b, "%s %s: in-process and fresh-process requests differ" % (ch["op"], ch["key"])


def test_the_replayed_undo_carries_flags_proto_and_what_remains(ns, monkeypatch):
    """What the bytes above hold, said in words: the undo of the update of
    2001:db8:1::5 sends mngtmpaddr, noprefixroute, nodad, IFA_PROTO 7 and
    the lifetimes minus the 7 s since the read."""
    with KernelContext(ns) as ctx:
        changes = all_changes(ctx, AddressTask())
        frozen = A.boottime() + 7
        monkeypatch.setattr(A, "boottime", lambda: frozen)
        undo = [ch for ch in changes if ch["op"] == "update" and ch["key"][1] == "2001:db8:1::5/64"][-1]
        req = registry.kind("address").request(json.loads(json.dumps(undo)), ctx)
    assert req.flags == C.NLM_F_REPLACE
    assert req.attrs["flags"] == RA.IFA_F_MANAGETEMPADDR | RA.IFA_F_NOPREFIXROUTE | RA.IFA_F_NODAD
    assert req.attrs["proto"] == 7
    ci = req.attrs["cacheinfo"]
    assert 285 <= ci["valid"] <= 293 and 185 <= ci["preferred"] <= 193, ci
