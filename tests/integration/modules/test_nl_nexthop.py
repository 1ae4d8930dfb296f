"""nl_nexthop as a module against this machine's kernel, in throwaway
namespaces (the kind and task on their own: tests/integration/objects/
test_nexthop_task.py): traffic through an mpath group of two paths, IPv4
and IPv6, with routes by nhid from nl_route; a delete of a nexthop in use
shown with its cascade in check mode and --diff, then applied as one
request; a change the kernel cannot make in place refused while routes
use the nexthop; another protocol's nexthop left alone; bad input refused
before anything is read."""
import json
import subprocess

import pytest

MOD = "nl_nexthop"


def ping(ns, dst, wait=5):
    """Whether ``dst`` answers a ping within ``wait`` seconds."""
    cmd = ["ip", "netns", "exec", ns, "ping", "-c", "1", "-i", "0.2", "-w", str(wait), dst]
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
                          check=False).returncode == 0


@pytest.fixture
def lab(netns, ip):
    """v0 (192.0.2.10/24) up with its peer v1; nexthops 1 and 2 through it,
    group 10 of both; routes through nexthop 1 and through the group."""
    for line in ("link add v0 type veth peer name v1", "link set v0 up", "link set v1 up",
                 "addr add 192.0.2.10/24 dev v0"):
        ip(netns, *line.split())
    return netns


def make(run_module, ns):
    r = run_module(MOD, {"nexthops": [{"id": 1, "gateway": "192.0.2.1", "dev": "v0"},
                                      {"id": 2, "gateway": "192.0.2.2", "dev": "v0"},
                                      {"id": 10, "group": [1, {"id": 2, "weight": 3}]}]}, netns=ns)
    assert r["changed"] and r["write_requests"] == 3, r
    r = run_module("nl_route", {"routes": [{"dst": "10.0.0.0/24", "nhid": 1}, {"dst": "10.0.1.0/24", "nhid": 10}]},
                   netns=ns)
    assert r["changed"] and r["write_requests"] == 2, r


def test_traffic_through_a_group(netns_factory, run_module, ip):
    """Namespace a reaches b's loopback addresses only through routes by
    nhid to mpath groups of two paths (two veth pairs), IPv4 and IPv6."""
    a, b = netns_factory(), netns_factory()
    for n in (1, 2):
        ip(a, "link", "add", "a%d" % n, "type", "veth", "peer", "name", "b%d" % n, "netns", b)
        for ns, side, host in ((a, "a", 1), (b, "b", 2)):
            dev = "%s%d" % (side, n)
            ip(ns, "addr", "add", "10.%d.0.%d/24" % (n, host), "dev", dev)
            ip(ns, "addr", "add", "2001:db8:%d::%d/64" % (n, host), "dev", dev, "nodad")
            ip(ns, "link", "set", dev, "up")
    ip(b, "link", "set", "lo", "up")
    ip(b, "addr", "add", "198.51.100.1/32", "dev", "lo")
    ip(b, "addr", "add", "2001:db8:ff::1/128", "dev", "lo")
    assert not ping(a, "198.51.100.1", 1)
    r = run_module(MOD, {"nexthops": [{"id": 1, "gateway": "10.1.0.2", "dev": "a1"},
                                      {"id": 2, "gateway": "10.2.0.2", "dev": "a2"},
                                      {"id": 3, "gateway": "2001:db8:1::2", "dev": "a1"},
                                      {"id": 4, "gateway": "2001:db8:2::2", "dev": "a2"},
                                      {"id": 10, "group": [1, 2]}, {"id": 11, "group": [3, 4]}]}, netns=a)
    assert r["changed"] and r["write_requests"] == 6, r
    r = run_module("nl_route", {"routes": [{"dst": "198.51.100.1/32", "nhid": 10},
                                           {"dst": "2001:db8:ff::1/128", "nhid": 11}]}, netns=a)
    assert r["changed"], r
    assert ping(a, "198.51.100.1") and ping(a, "2001:db8:ff::1")
    # one path gone from the group (in place, one request): traffic still flows, over the other
    r = run_module(MOD, {"id": 10, "group": [2]}, netns=a)
    assert r["write_requests"] == 1 and r["commands"] == ["ip -n %s nexthop replace id 10 group 2 proto static" % a], r
    assert ping(a, "198.51.100.1")


def test_delete_in_use_shown_with_its_cascade(lab, run_module, ip_json):
    make(run_module, lab)
    args = {"id": 1, "state": "absent"}
    r = run_module(MOD, args, netns=lab, check=True, diff=True)
    assert r["changed"] and r["write_requests"] == 0 and r["commands"] == ["ip -n %s nexthop del id 1" % lab], r
    assert [(d["before_header"], d["after_header"]) for d in r["diff"]] == [
        ("route 10.0.0.0/24, goes with nexthop id 1 (before)", "route 10.0.0.0/24, goes with nexthop id 1 (absent)"),
        ("nexthop id 10, loses member(s) 1 (before)", "nexthop id 10, loses member(s) 1 (after)"),
        ("nexthop id 1 (before)", "nexthop id 1 (absent)")]
    assert set(n["id"] for n in ip_json(lab, "nexthop", "show")) == {1, 2, 10}
    r = run_module(MOD, args, netns=lab, diff=True)
    assert r["changed"] and r["write_requests"] == 1, r
    assert [x["dst"] for x in ip_json(lab, "route", "show", "proto", "static")] == ["10.0.1.0/24"]
    (group,) = [n for n in ip_json(lab, "nexthop", "show") if n["id"] == 10]
    assert group["group"] == [{"id": 2, "weight": 3}]
    r = run_module(MOD, args, netns=lab)
    assert not r["changed"] and r["write_requests"] == 0, r


def test_fixed_change_refused_while_in_use(lab, run_module, ip_json):
    """A nexthop turned into a group is delete + add: refused while a
    route uses it, naming what the delete would take."""
    make(run_module, lab)
    before = ip_json(lab, "nexthop", "show")
    r = run_module(MOD, {"id": 1, "group": [2]}, netns=lab)
    assert r.get("failed") and r["msg"].startswith(
        "nexthop id 1: the kernel cannot change group in place, and a delete would take 2 object(s) using it"), r
    assert ip_json(lab, "nexthop", "show") == before


def test_other_protocols_nexthop_is_left_alone(lab, run_module, ip, ip_json):
    ip(lab, "nexthop", "add", "id", "5", "via", "192.0.2.5", "dev", "v0", "proto", "zebra")
    r = run_module(MOD, {"id": 5, "state": "absent"}, netns=lab)
    assert not r["changed"] and "of protocol zebra, not the task's" in " ".join(r["warnings"]), r
    r = run_module(MOD, {"id": 5, "gateway": "192.0.2.6", "dev": "v0"}, netns=lab)
    assert r.get("failed") and "does not overwrite another protocol's nexthop" in r["msg"], r
    r = run_module(MOD, {"state": "replaced", "nexthops": []}, netns=lab)
    assert not r["changed"], r
    (kept,) = ip_json(lab, "nexthop", "show")
    assert kept["gateway"] == "192.0.2.5" and kept["protocol"] == "zebra"


@pytest.mark.parametrize("args, message", [
    ({"id": 10, "group": [10]}, "group[0].id=10: a group cannot hold itself"),
    ({"id": 10, "group": [7]}, "group[0].id=7: no such nexthop"),
    ({"id": 3, "blackhole": True, "gateway": "192.0.2.1"}, "gateway=192.0.2.1: a blackhole nexthop has no gateway"),
    ({"nexthops": [{"id": 3, "dev": "v0", "buckets": 8}]}, "nexthops[0].buckets=8: goes with a resilient group only"),
])
def test_bad_input_refused(lab, run_module, ip_json, args, message):
    r = run_module(MOD, args, netns=lab)
    assert r.get("failed") and message in r["msg"], r
    assert ip_json(lab, "nexthop", "show") == []


def test_gathered_is_input(lab, run_module, tmp_path):
    make(run_module, lab)
    r = run_module(MOD, {"state": "gathered"}, netns=lab)
    assert r["gathered"] == [{"id": 1, "gateway": "192.0.2.1", "dev": "v0", "protocol": "static"},
                             {"id": 2, "gateway": "192.0.2.2", "dev": "v0", "protocol": "static"},
                             {"id": 10, "group": [{"id": 1}, {"id": 2, "weight": 3}], "protocol": "static"}], r
    again = run_module(MOD, {"nexthops": r["gathered"], "state": "replaced"}, netns=lab)
    assert not again["changed"] and again["write_requests"] == 0, again
    path = tmp_path / "nexthops.json"
    r = run_module(MOD, {"state": "gathered", "gathered_file": str(path)}, netns=lab)
    assert r["gathered_count"] == 3 and json.loads(path.read_text())
