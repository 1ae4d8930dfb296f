"""Fleet scale: 50 namespaces as hosts converged by the network role (one
nl_state task per host) in one ansible-playbook run with forks; the second
run changes nothing anywhere.
The lab and the plays are bench/bench_fleet.py's (the benchmark times the
same runs next to a play of ip commands)."""
import os
import sys
import tempfile

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import bench_fleet  # noqa: E402  pylint: disable=wrong-import-position

HOSTS = 50


@pytest.mark.slow(150)  # two plays over 50 hosts
def test_fifty_namespaces_converge_then_nothing_changes(ip_json):
    # a prefix of this process's own: two test runs on one machine (two CI
    # checkouts) must not share namespaces
    names = bench_fleet.hosts(HOSTS, "nlf%05d-" % (os.getpid() % 100000))
    with tempfile.TemporaryDirectory() as tmp:
        first, second = bench_fleet.converge(names, "role.yml", 10, sys.executable, tmp,
                                             check=lambda: check_one(ip_json, names[-1]))
    for run in (first, second):
        wall, recap, rc, out = run
        assert rc == 0, out[-4000:]
        assert sorted(recap) == names, out[-4000:]
        assert all(failed == 0 for _changed, failed in recap.values()), out[-4000:]
    # one nl_state task per host applies everything (issue 22), no per-module task
    assert first[3].count("TASK [netlink.host.network : The host's network in one transaction]") == 1, first[3][-4000:]
    assert "TASK [netlink.host.network : Links]" not in first[3]
    assert all(changed == 1 for changed, _failed in first[1].values()), first[1]
    assert all(changed == 0 for changed, _failed in second[1].values()), second[3][-4000:]


def check_one(ip_json, ns):
    """What the last host holds after the second run (read before the
    fleet is deleted)."""
    links = dict((ln["ifname"], ln) for ln in ip_json(ns, "-d", "link", "show"))
    assert links["v0"]["master"] == "br0" and "UP" in links["br0"]["flags"]
    addrs = ["%s/%s" % (a["local"], a["prefixlen"]) for a in ip_json(ns, "addr", "show", "dev", "br0")[0]["addr_info"]]
    assert "10.0.49.1/24" in addrs and "2001:db8:32::1/64" in addrs, addrs
