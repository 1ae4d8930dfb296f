"""nl_addr's ``devices`` form: the addresses of several devices in one task
(one read per device, one batch, undone together), as the network role
passes them."""
import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

MOD = "nl_addr"


@pytest.fixture
def ns(netns, ip):
    for dev in ("br0", "br1", "br2"):
        ip(netns, "link", "add", dev, "type", "bridge")
        ip(netns, "link", "set", dev, "up")
    settle(netns)
    return netns


def locals_of(ip_json, ns, dev):
    return sorted("%s/%s" % (a["local"], a["prefixlen"]) for a in ip_json(ns, "addr", "show", "dev", dev)[0]["addr_info"]
                  if a["scope"] != "link")


DEVICES = [
    {"dev": "br0", "addresses": ["192.0.2.10/24", {"address": "2001:db8::10/64", "nodad": True}]},
    {"dev": "br1", "addresses": ["198.51.100.1/24"], "state": "replaced"},
    {"dev": "br2", "addresses": ["203.0.113.9/24"], "state": "absent"},
]


def test_several_devices_check_apply_rerun(ns, ip, ip_json, run_module):
    ip(ns, "addr", "add", "10.9.9.9/24", "dev", "br1")        # replaced on br1: goes
    ip(ns, "addr", "add", "203.0.113.9/24", "dev", "br2")     # absent on br2: goes
    ip(ns, "addr", "add", "10.8.8.8/24", "dev", "br2")        # not named: stays
    before = snapshot(ns)
    r = run_module(MOD, {"devices": DEVICES}, check=True, diff=True, netns=ns)
    assert r["changed"] is True and r["write_requests"] == 0, r
    assert r["commands"] == [
        "ip -n %s addr add 192.0.2.10/24 dev br0" % ns,
        "ip -n %s addr add 2001:db8::10/64 dev br0 nodad" % ns,
        "ip -n %s addr add 198.51.100.1/24 dev br1" % ns,
        "ip -n %s addr del 10.9.9.9/24 dev br1" % ns,
        "ip -n %s addr del 203.0.113.9/24 dev br2" % ns,
    ], r["commands"]
    assert len(r["diff"]) == 5
    assert_same(before, snapshot(ns))

    r = run_module(MOD, {"devices": DEVICES}, netns=ns)
    assert r["changed"] is True and r["write_requests"] == 5, r
    assert locals_of(ip_json, ns, "br0") == ["192.0.2.10/24", "2001:db8::10/64"]
    assert locals_of(ip_json, ns, "br1") == ["198.51.100.1/24"]
    assert locals_of(ip_json, ns, "br2") == ["10.8.8.8/24"]
    # br0's managed addresses, and (replaced) every address of br1, its link-local if it has one
    assert sorted(a["address"] for a in r["addresses"] if not a["address"].startswith("fe80:")) == [
        "192.0.2.10/24", "198.51.100.1/24", "2001:db8::10/64"]
    assert {a["dev"] for a in r["addresses"]} == {"br0", "br1"}

    r = run_module(MOD, {"devices": DEVICES}, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0 and r["commands"] == [], r


def test_a_refusal_on_one_device_undoes_the_others(ns, ip, run_module, monkeypatch):
    ip(ns, "addr", "add", "10.9.9.9/24", "dev", "br1")
    before = snapshot(ns)
    # the third request (br1's add) is refused by the kernel
    inject(monkeypatch, lambda n, req: n == 2)
    r = run_module(MOD, {"devices": DEVICES}, netns=ns)
    assert r["failed"] is True and r["undone"] is True and r["changed"] is False, r
    settle(ns)
    assert_same(before, snapshot(ns))


@pytest.mark.parametrize("args, words", [
    ({"devices": [{"dev": "br0", "addresses": ["192.0.2.1/24"]}], "dev": "br0"}, "devices: cannot be combined with dev"),
    ({"devices": [{"dev": "br0", "addresses": ["192.0.2.1/24"]}, {"dev": "br0", "addresses": []}]},
     "devices[1].dev: 'br0' is listed twice (also devices[0])"),
    ({"devices": [{"dev": "br0", "addresses": ["192.0.2.300/24"]}]}, "devices[0].addresses[0]"),
    ({"devices": [{"dev": "br0", "state": "replaced"}]}, "devices[0].addresses: required with state 'replaced'"),
    ({"devices": [{"dev": "br0", "addresses": ["192.0.2.1/24", "192.0.2.1/24"]}]}, "devices[0].addresses[1]"),
    ({"devices": [{"dev": "nosuch0", "addresses": ["192.0.2.1/24"]}]}, "dev: 'nosuch0': no such device"),
])
def test_bad_devices_fail_naming_the_entry(ns, run_module, args, words):
    before = snapshot(ns)
    r = run_module(MOD, args, netns=ns)
    # refused before anything is read: no result fields but the message
    assert r["failed"] is True and not r.get("changed") and "commands" not in r, r
    assert words in r["msg"], r["msg"]
    assert_same(before, snapshot(ns))


def test_items_naming_their_devices_replace_those_devices_only(ns, ip, ip_json, run_module):
    """``addresses`` whose items name their ``dev`` (gathered's form), no
    top-level dev: ``replaced`` makes each named device's addresses the
    listed ones, and a device no item names keeps its own."""
    ip(ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    ip(ns, "addr", "add", "192.0.2.2/24", "dev", "br0")       # br0 named, not listed: goes
    ip(ns, "addr", "add", "198.51.100.9/24", "dev", "br1")    # br1 named, listed: stays
    ip(ns, "addr", "add", "203.0.113.9/24", "dev", "br2")     # br2 not named: stays
    args = {"state": "replaced", "addresses": [
        {"dev": "br1", "address": "198.51.100.9/24"},
        {"dev": "br0", "address": "192.0.2.1/24"},
        {"dev": "br1", "address": "2001:db8:1::1/64", "nodad": True},
    ]}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["commands"] == ["ip -n %s addr add 2001:db8:1::1/64 dev br1 nodad" % ns,
                             "ip -n %s addr del 192.0.2.2/24 dev br0" % ns], r["commands"]
    assert locals_of(ip_json, ns, "br0") == ["192.0.2.1/24"]
    assert locals_of(ip_json, ns, "br1") == ["198.51.100.9/24", "2001:db8:1::1/64"]
    assert locals_of(ip_json, ns, "br2") == ["203.0.113.9/24"]
    again = run_module(MOD, args, netns=ns)
    assert again["changed"] is False and again["write_requests"] == 0, again
