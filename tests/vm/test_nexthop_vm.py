"""nl_nexthop on the stock kernels (6.1 and 6.12): what the host kernel
lacks, and what the two differ in.

- A nexthop that carries MPLS encapsulation (``encap mpls``,
  mpls_iptunnel: the host kernel has no lightweight tunnels): read with
  its type, never stripped by a change (refused, nothing changed), and
  deleted with its cascade (the route through it, its place in a group)
  then undone on a later refusal, label stack included.
- Resilient groups and fdb nexthops on dummy and VXLAN devices: created,
  re-run with 0 writes, a resilient group's timer changed in place with
  one request, an fdb group used by a VXLAN's flood entry, and gathered
  fed back as input with 0 writes, on both kernels (6.1 reports resilient
  groups without the 6.7+ NHA_OP_FLAGS/stats attributes; both must read
  the same).
"""
import os

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier, context, driver
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.tasks.nexthop import NexthopTask
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

MOD = "nl_nexthop"


def nexthops(ns):
    """``ip -d -j nexthop show``, by id, without what moves by itself
    (a resilient group's idle/unbalanced time counters)."""
    out = {}
    for nh in ns.ip_json("-d", "nexthop", "show"):
        for block in ("resilient_args",):
            for k in ("unbalanced_time",):
                (nh.get(block) or {}).pop(k, None)
        out[nh["id"]] = nh
    return out


def one_line(ns, *args):
    return " ".join(ns.ip(*args).split())


@pytest.fixture
def mpls(netns):
    if not os.path.isdir("/sys/module/mpls_iptunnel"):
        pytest.fail("mpls_iptunnel is not loaded (tests/vm/guest.sh loads mpls_router and mpls_iptunnel)")
    for line in ("link add d0 type dummy", "link set d0 up", "addr add 192.0.2.1/24 dev d0",
                 "nexthop add id 5 encap mpls 300/400 via 192.0.2.2 dev d0 proto static",
                 "nexthop add id 6 via 192.0.2.3 dev d0 proto static",
                 "nexthop add id 10 group 5/6 proto static",
                 "route add 10.70.0.0/16 nhid 5 proto static",
                 "route add 10.71.0.0/16 nhid 10 proto static"):
        netns.ip(*line.split())
    settle(netns.name)
    return netns


def test_encap_nexthop_read_and_never_stripped(mpls, run_module):
    g = run_module(MOD, {"state": "gathered"}, netns=mpls.name)["gathered"]
    assert g[0] == {"id": 5, "gateway": "192.0.2.2", "dev": "d0", "encap": "mpls", "protocol": "static"}, g
    r = run_module(MOD, {"nexthops": g}, netns=mpls.name)
    assert r["changed"] is False and r["write_requests"] == 0, r
    # restating it as it is changes nothing; moving its gateway would drop
    # the label stack (the module has no option for it): refused, untouched
    r = run_module(MOD, {"id": 5, "gateway": "192.0.2.2", "dev": "d0"}, netns=mpls.name)
    assert r["changed"] is False and r["write_requests"] == 0, r
    before, links = nexthops(mpls), snapshot(mpls.name)
    r = run_module(MOD, {"id": 5, "gateway": "192.0.2.4", "dev": "d0"}, netns=mpls.name)
    assert r.get("failed") and "encap" in r["msg"], r
    assert nexthops(mpls) == before
    assert_same(links, snapshot(mpls.name))


def test_encap_nexthop_delete_with_its_cascade_undone(mpls):
    """Deleting nexthop 5 takes the route through it and its place in
    group 10; a later request is refused; the undo puts back the nexthop
    with its labels, the group's member and the route."""
    before, routes = nexthops(mpls), one_line(mpls, "route", "show", "proto", "static")
    bad = contract.change(registry.kind("nexthop"), contract.CREATE, None,
                          {"id": 99, "family": 4, "gateway": "10.9.9.9", "dev": "d0", "protocol": "static"})
    with context.KernelContext(mpls.name) as ctx:
        task = NexthopTask()
        params = {"id": 5, "state": "absent"}
        step = driver.Step(task, ctx, params, driver.prepare(task, params), False)
        driver.plan(step)
        planned = [(c["op"], c["kind"], c["key"]) for c in step.plan]
        assert ("delete", "route", [4, 254, "10.70.0.0/16", 0, 0]) in planned, planned
        assert ("update", "nexthop", [10]) in planned and planned[-1] == ("delete", "nexthop", [5]), planned
        with pytest.raises(applier.ApplyError):
            applier.apply(step.plan + [bad], ctx)
    assert nexthops(mpls) == before
    assert "encap mpls 300/400" in one_line(mpls, "nexthop", "show", "id", "5")
    assert one_line(mpls, "route", "show", "proto", "static") == routes


@pytest.fixture
def l2(netns):
    for line in ("link add d0 type dummy", "link set d0 up", "addr add 192.0.2.1/24 dev d0",
                 "addr add 2001:db8::1/64 dev d0 nodad",
                 "link add vx0 type vxlan id 100 dstport 4789 nolearning local 192.0.2.1", "link set vx0 up"):
        netns.ip(*line.split())
    return netns


RESILIENT_AND_FDB = [
    {"id": 1, "gateway": "192.0.2.2", "dev": "d0"}, {"id": 2, "gateway": "192.0.2.3", "dev": "d0"},
    {"id": 3, "gateway": "2001:db8::2", "dev": "d0"},
    {"id": 11, "group": [1, {"id": 2, "weight": 3}], "type": "resilient", "buckets": 32, "idle_timer": 60,
     "unbalanced_timer": 30},
    {"id": 20, "gateway": "198.51.100.1", "fdb": True}, {"id": 21, "gateway": "198.51.100.2", "fdb": True},
    {"id": 22, "group": [20, 21], "fdb": True}]


def test_resilient_and_fdb_groups(l2, run_module):
    r = run_module(MOD, {"nexthops": RESILIENT_AND_FDB}, check=True, netns=l2.name)
    assert r["changed"] and r["write_requests"] == 0 and not l2.ip_json("nexthop", "show"), r
    r = run_module(MOD, {"nexthops": RESILIENT_AND_FDB}, netns=l2.name)
    assert r["changed"] and r["write_requests"] == len(RESILIENT_AND_FDB), r
    shown = nexthops(l2)
    assert shown[11]["type"] == "resilient" and shown[11]["resilient_args"]["buckets"] == 32, shown[11]
    assert shown[11]["resilient_args"]["idle_timer"] == 60, shown[11]
    assert "fdb" in shown[22] and "fdb" in shown[20], shown   # ip -j prints the flag as "fdb": null
    again = run_module(MOD, {"nexthops": RESILIENT_AND_FDB}, netns=l2.name)
    assert again["changed"] is False and again["write_requests"] == 0, again
    # a route through the resilient group and the VXLAN's flood list
    # through the fdb group: the kernel takes both
    l2.ip("route", "add", "10.80.0.0/16", "nhid", "11", "proto", "static")
    l2.exec("bridge", "fdb", "add", "00:00:00:00:00:00", "dev", "vx0", "self", "nhid", "22")
    assert "nhid 22" in l2.exec("bridge", "fdb", "show", "dev", "vx0").stdout
    # the resilient timer changes in place: one request, the route stays
    changed = [dict(n, idle_timer=90) if n["id"] == 11 else n for n in RESILIENT_AND_FDB]
    r = run_module(MOD, {"nexthops": changed}, netns=l2.name)
    assert r["write_requests"] == 1 and r["commands"][0].startswith("ip -n %s nexthop replace id 11 " % l2.name), r
    assert nexthops(l2)[11]["resilient_args"]["idle_timer"] == 90
    assert "nhid 11" in one_line(l2, "route", "show", "10.80.0.0/16")
    # what gathered returns is input: fed back, nothing to do
    g = run_module(MOD, {"state": "gathered"}, netns=l2.name)["gathered"]
    assert sorted(n["id"] for n in g) == sorted(n["id"] for n in RESILIENT_AND_FDB), g
    back = run_module(MOD, {"nexthops": g}, netns=l2.name)
    assert back["changed"] is False and back["write_requests"] == 0, back
