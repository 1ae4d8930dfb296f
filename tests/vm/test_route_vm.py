"""nl_route on the stock kernels: what the host kernel lacks.

- A VRF (l3mdev) and its table: routes in the VRF's table through its
  ports; ``replaced`` in that table keeps the kernel's own routes there.
- MPLS encapsulation (``encap mpls``, mpls_iptunnel): a route that
  carries it is never stripped by a change; removed under ``replaced``
  and undone, it comes back with its label stack, on the route and on one
  next hop of a multipath route.
"""
import os

import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

MOD = "nl_route"


def has_module(name):
    return os.path.isdir("/sys/module/%s" % name)


def one_line(ns, *args):
    """``ip route show`` text of one route, multipath hops joined."""
    return " ".join(ns.ip("route", "show", *args).split())


@pytest.fixture
def vrf(netns):
    netns.ip("link", "add", "blue", "type", "vrf", "table", "10")
    netns.ip("link", "set", "blue", "up")
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "set", "d0", "master", "blue", "up")
    netns.ip("addr", "add", "192.0.2.1/24", "dev", "d0")
    netns.ip("addr", "add", "2001:db8::1/64", "dev", "d0", "nodad")
    netns.ip("route", "add", "10.9.0.0/16", "via", "192.0.2.9", "table", "10", "proto", "bird")
    netns.ip("route", "add", "10.8.0.0/16", "via", "192.0.2.8", "table", "10", "proto", "static")
    settle(netns.name)
    return netns


def test_routes_in_a_vrf_table(vrf, run_module):
    kernel_before = [r for r in vrf.ip_json("route", "show", "table", "10") if r.get("protocol") == "kernel"]
    assert kernel_before, "the VRF's table has the kernel's prefix routes"
    args = {"state": "replaced", "table": 10, "routes": [
        {"dst": "default", "gateway": "192.0.2.254", "dev": "d0"},
        {"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "metric": 5},
        {"dst": "2001:db8:1::/48", "gateway": "2001:db8::2", "dev": "d0"},
        {"dst": "10.2.0.0/16", "type": "unreachable"}]}
    r = run_module(MOD, args, check=True, netns=vrf.name)
    assert r["changed"] and r["write_requests"] == 0, r
    r = run_module(MOD, args, netns=vrf.name)
    assert r["changed"] and not r.get("failed"), r
    assert any(c.endswith("route del 10.8.0.0/16 table 10") for c in r["commands"]), r["commands"]
    table = vrf.ip_json("route", "show", "table", "10")
    mine = sorted(x["dst"] for x in table if x.get("protocol") == "static")
    assert mine == ["10.1.0.0/16", "10.2.0.0/16", "default"], table
    assert [x for x in table if x.get("protocol") == "kernel"] == kernel_before
    assert [x for x in table if x.get("protocol") == "bird"], "another protocol's route stays"
    assert vrf.ip_json("-6", "route", "show", "table", "10", "2001:db8:1::/48")
    # the VRF's traffic uses it: a lookup in the VRF resolves through table 10
    assert "via 192.0.2.2" in vrf.ip("route", "get", "vrf", "blue", "10.1.2.3")
    again = run_module(MOD, args, netns=vrf.name)
    assert again["changed"] is False and again["write_requests"] == 0, again
    g = run_module(MOD, {"state": "gathered", "table": 10, "protocol": "static"}, netns=vrf.name)["gathered"]
    assert {"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "dev": "d0", "table": 10, "metric": 5} in g, g


@pytest.fixture
def mpls(netns):
    if not has_module("mpls_iptunnel"):
        pytest.fail("mpls_iptunnel is not loaded (tests/vm/guest.sh loads mpls_router and mpls_iptunnel)")
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "set", "d0", "up")
    netns.ip("addr", "add", "192.0.2.1/24", "dev", "d0")
    netns.ip("route", "add", "10.60.0.0/16", "encap", "mpls", "100/200", "via", "192.0.2.2", "dev", "d0",
             "proto", "static")
    netns.ip("route", "add", "10.62.0.0/16", "proto", "static", "nexthop", "encap", "mpls", "300", "via",
             "192.0.2.2", "dev", "d0", "nexthop", "via", "192.0.2.3", "dev", "d0")
    netns.ip("route", "add", "10.63.0.0/16", "via", "192.0.2.2", "proto", "static")  # deleted last
    settle(netns.name)
    return netns


def test_mpls_encap_is_not_stripped(mpls, run_module):
    before = snapshot(mpls.name)
    r = run_module(MOD, {"dst": "10.60.0.0/16", "gateway": "192.0.2.3"}, netns=mpls.name)
    assert r.get("failed") and "mpls encapsulation" in r["msg"] and "strip" in r["msg"], r
    assert_same(before, snapshot(mpls.name))
    r = run_module(MOD, {"dst": "10.60.0.0/16", "gateway": "192.0.2.2"}, netns=mpls.name)
    assert r["changed"] is False and r["routes"][0]["encap"] == "mpls", r
    g = run_module(MOD, {"state": "gathered", "protocol": "static", "family": 4}, netns=mpls.name)["gathered"]
    assert [x.get("encap") for x in g if x["dst"] in ("10.60.0.0/16", "10.62.0.0/16")] == ["mpls", "mpls"], g


def test_mpls_routes_deleted_then_undone_keep_their_labels(mpls, run_module, monkeypatch):
    """replaced deletes both encapsulated routes; the last request is
    refused; the undo re-creates them with their label stacks."""
    before = snapshot(mpls.name)
    args = {"state": "replaced", "routes": [{"dst": "10.50.0.0/16", "gateway": "192.0.2.2"}]}
    r = run_module(MOD, args, check=True, netns=mpls.name)
    assert len(r["commands"]) == 4, r["commands"]
    with monkeypatch.context() as m:
        inject(m, lambda n, req: n == 3)
        r = run_module(MOD, args, netns=mpls.name)
    assert r.get("failed") and r["undone"] is True, r
    assert_same(before, snapshot(mpls.name))
    assert "encap mpls 100/200" in one_line(mpls, "10.60.0.0/16")
    assert "encap mpls 300" in one_line(mpls, "10.62.0.0/16")
    r = run_module(MOD, args, netns=mpls.name)
    assert r["changed"] and not r.get("failed"), r
    assert one_line(mpls, "10.60.0.0/16") == "" and one_line(mpls, "10.62.0.0/16") == ""
