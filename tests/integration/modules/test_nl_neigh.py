"""nl_neigh against this machine's kernel, in throwaway namespaces: static
ARP and ND entries carry ping between two namespaces whose devices have
ARP off; every field through check mode, apply (read back with the
library and ``ip -j neigh``), a second run without a write, --diff and
absent; changes in place; replaced and absent leave learned entries and
other protocols' alone; gathered output is input; an unconfirmed change
rolls back."""
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store
from ansible_collections.netlink.host.tests.integration.confirm_wait import wait_final, watchdog_gone
from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.modules.neigh_helpers import entries_of

MOD = "nl_neigh"
MAC = "02:00:00:00:00:09"


@pytest.fixture
def dev(netns, ip):
    """A veth pair v0/v1 in ``netns``, both up; the entries go on v0."""
    ip(netns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    ip(netns, "link", "set", "v0", "up")
    ip(netns, "link", "set", "v1", "up")
    return "v0"


def ping(ns, dst, wait=1):
    """Whether ``dst`` answers a ping within ``wait`` seconds (pings 0.2 s
    apart until the first reply)."""
    cmd = ["ip", "netns", "exec", ns, "ping", "-c", "1", "-i", "0.2", "-w", str(wait), dst]
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30,
                          check=False).returncode == 0


def mac_of(ip_json, ns, name):
    return ip_json(ns, "link", "show", "dev", name)[0]["address"]


def test_static_entries_carry_ping_with_arp_off(netns_factory, run_module, ip, ip_json):
    """Two namespaces joined by a veth pair whose ends have ARP (and so ND)
    off: nothing resolves, ping fails; the entries nl_neigh adds on both
    sides make IPv4 and IPv6 ping work."""
    a, b = netns_factory(), netns_factory()
    ip(a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b)
    for ns, name, four, six in ((a, "va", "10.9.0.1/24", "2001:db8:9::1/64"), (b, "vb", "10.9.0.2/24", "2001:db8:9::2/64")):
        ip(ns, "link", "set", name, "arp", "off", "up")
        ip(ns, "addr", "add", four, "dev", name)
        ip(ns, "addr", "add", six, "dev", name, "nodad")
    assert not ping(a, "10.9.0.2") and not ping(a, "2001:db8:9::2")
    for ns, name, peer, four, six in ((a, "va", "vb", "10.9.0.2", "2001:db8:9::2"),
                                      (b, "vb", "va", "10.9.0.1", "2001:db8:9::1")):
        mac = mac_of(ip_json, b if ns == a else a, peer)
        r = run_module(MOD, {"dev": name, "neighbours": [{"dst": four, "lladdr": mac}, {"dst": six, "lladdr": mac}]},
                       netns=ns)
        assert r["changed"] and r["write_requests"] == 2, r
    assert ping(a, "10.9.0.2", 5) and ping(a, "2001:db8:9::2", 5) and ping(b, "10.9.0.1", 5)
    # the entries are what was resolved: no learned ones beside them
    assert [e["nud"] for e in entries_of(a, "va", static_only=False)] == ["permanent", "permanent"]


# (name, module args, what the library reads back of the entry)
FIELDS = [
    ("ipv4", {"dst": "192.0.2.9", "lladdr": MAC}, {"nud": "permanent", "protocol": "static"}),
    ("ipv6", {"dst": "2001:db8::9", "lladdr": "02:00:00:00:00:0A"}, {"lladdr": "02:00:00:00:00:0a"}),
    ("noarp", {"dst": "192.0.2.9", "lladdr": MAC, "nud": "noarp"}, {"nud": "noarp"}),
    ("reachable", {"dst": "192.0.2.9", "lladdr": MAC, "nud": "reachable"}, {"nud": "reachable"}),
    ("stale", {"dst": "2001:db8::9", "lladdr": MAC, "nud": "stale"}, {"nud": "stale"}),
    ("router", {"dst": "2001:db8::9", "lladdr": MAC, "router": True}, {"router": True}),
    ("extern_learn", {"dst": "192.0.2.9", "lladdr": MAC, "extern_learn": True}, {"extern_learn": True}),
    ("protocol", {"dst": "192.0.2.9", "lladdr": MAC, "protocol": "bird"}, {"protocol": "bird"}),
    ("protocol_number", {"dst": "192.0.2.9", "lladdr": MAC, "protocol": 250}, {"protocol": 250}),
    ("unspec", {"dst": "192.0.2.9", "lladdr": MAC, "protocol": "unspec"}, {"protocol": "unspec"}),
    ("proxy6", {"dst": "2001:db8::10", "proxy": True}, {"proxy": True, "lladdr": None, "nud": None}),
    ("proxy4_router", {"dst": "192.0.2.10", "proxy": True, "router": True}, {"proxy": True, "router": True}),
]


@pytest.mark.parametrize("args,shown", [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_field(netns, dev, run_module, args, shown):
    args = dict(args, dev=dev)
    r = run_module(MOD, args, netns=netns, check=True)
    assert r["changed"] and r["write_requests"] == 0 and len(r["commands"]) == 1, r
    assert entries_of(netns, dev, static_only=False) == []
    r = run_module(MOD, args, netns=netns, diff=True)
    assert r["changed"] and r["write_requests"] == 1, r
    assert len(r["diff"]) == 1 and r["diff"][0]["before"] == "" and args["dst"] in r["diff"][0]["after"]
    (got,) = entries_of(netns, dev, static_only=False)
    assert r["neighbours"] == [got]
    for key, value in shown.items():
        assert got[key] == value, (key, got)
    again = run_module(MOD, args, netns=netns)
    assert again["changed"] is False and again["write_requests"] == 0 and again["commands"] == [], again
    if got["nud"] in ("reachable", "stale"):
        return  # a dynamic entry is the kernel's: absent leaves it (test_absent_leaves_learned_entries)
    gone = run_module(MOD, dict(args, state="absent"), netns=netns, diff=True)
    assert gone["changed"] and gone["write_requests"] == 1 and gone["diff"][0]["after"] == "", gone
    assert entries_of(netns, dev, static_only=False) == []
    assert run_module(MOD, dict(args, state="absent"), netns=netns)["changed"] is False


def test_ip_shows_what_the_module_made(netns, dev, run_module, ip_json):
    run_module(MOD, {"dev": dev, "dst": "2001:db8::9", "lladdr": MAC, "router": True, "protocol": "bird"},
               netns=netns)
    (shown,) = ip_json(netns, "neigh", "show", "dev", dev, "2001:db8::9")
    assert shown["lladdr"] == MAC and shown["state"] == ["PERMANENT"] and "router" in shown, shown
    assert shown.get("protocol") == "bird", shown


CHANGES = [
    ("lladdr", {"lladdr": "02:00:00:00:00:0b"}, "update"),
    ("nud", {"nud": "noarp"}, "update"),
    ("router_off", {"router": False}, "update"),
    ("extern_learn", {"extern_learn": True}, "update"),
    ("protocol", {"protocol": "bird"}, None),            # another protocol's entry: refused below
]


@pytest.mark.parametrize("change,op", [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_change_in_place(netns, dev, run_module, change, op):
    base = {"dev": dev, "dst": "2001:db8::9", "lladdr": MAC, "router": True}
    run_module(MOD, base, netns=netns)
    r = run_module(MOD, dict(base, **change), netns=netns, diff=True)
    if op is None:
        # static, protocol static: the task of protocol bird does not take it
        assert r.get("failed") and "protocol static" in r["msg"] and "protocol=static" in r["msg"], r
        assert entries_of(netns, dev)[0]["protocol"] == "static"
        return
    assert r["changed"] and r["write_requests"] == 1 and "(before)" in r["diff"][0]["before_header"], r
    (got,) = entries_of(netns, dev)
    for key, value in change.items():
        assert got[key] == value
    assert run_module(MOD, dict(base, **change), netns=netns)["write_requests"] == 0


def test_an_unset_protocols_entry_is_taken(netns, dev, ip, run_module):
    """``ip neigh add`` without a protocol: nobody's entry, taken over."""
    ip(netns, "neigh", "add", "192.0.2.10", "lladdr", MAC, "dev", dev, "nud", "permanent")
    r = run_module(MOD, {"dev": dev, "dst": "192.0.2.10", "lladdr": MAC}, netns=netns)
    assert r["changed"] and r["write_requests"] == 1 and r["neighbours"][0]["protocol"] == "static", r
    assert run_module(MOD, {"dev": dev, "dst": "192.0.2.10", "lladdr": MAC}, netns=netns)["write_requests"] == 0


def test_protocol_taken_away_is_delete_and_add(netns, dev, run_module):
    """The kernel keeps an entry's protocol when a replace sends none:
    going back to unspec deletes and adds it (a dynamic entry, which any
    task may take)."""
    base = {"dev": dev, "dst": "192.0.2.9", "lladdr": MAC, "nud": "stale"}
    run_module(MOD, base, netns=netns)
    r = run_module(MOD, dict(base, protocol="unspec"), netns=netns, diff=True)
    assert r["changed"] and r["write_requests"] == 2, r
    assert [c.split(" neigh ")[1].split()[0] for c in r["commands"]] == ["del", "replace"]
    assert "keeps an entry's protocol" in r["diff"][0]["before_header"]
    assert entries_of(netns, dev, static_only=False)[0]["protocol"] == "unspec"
    assert run_module(MOD, dict(base, protocol="unspec"), netns=netns)["write_requests"] == 0


@pytest.fixture
def peer(netns, ip, netns_factory):
    """``netns``'s v0 joined to v1 in another namespace holding 10.7.0.2:
    a ping from ``netns`` makes the kernel learn 10.7.0.2 on v0."""
    other = netns_factory()
    ip(netns, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", other)
    ip(netns, "addr", "add", "10.7.0.1/24", "dev", "v0")
    ip(netns, "link", "set", "v0", "up")
    ip(other, "addr", "add", "10.7.0.2/24", "dev", "v1")
    ip(other, "link", "set", "v1", "up")
    assert ping(netns, "10.7.0.2", wait=5)   # a fresh veth may take a moment to carry
    learned = [e for e in entries_of(netns, "v0", static_only=False) if e["dst"] == "10.7.0.2"]
    assert learned and learned[0]["nud"] not in ("permanent", "noarp"), learned
    return "v0"


def test_replaced_leaves_learned_and_other_protocols_entries(netns, peer, ip, run_module):
    ip(netns, "neigh", "add", "192.0.2.1", "lladdr", MAC, "dev", peer, "protocol", "static")
    ip(netns, "neigh", "add", "192.0.2.2", "lladdr", MAC, "dev", peer, "protocol", "bird")
    ip(netns, "neigh", "add", "192.0.2.3", "lladdr", MAC, "dev", peer)            # protocol unspec
    ip(netns, "neigh", "add", "192.0.2.4", "lladdr", MAC, "dev", peer, "nud", "noarp", "protocol", "bird")
    ip(netns, "neigh", "add", "proxy", "2001:db8::10", "dev", peer, "protocol", "static")
    listed = {"dst": "192.0.2.5", "lladdr": MAC}
    r = run_module(MOD, {"state": "replaced", "dev": peer, "neighbours": [listed]}, netns=netns, diff=True)
    assert r["changed"] and r["write_requests"] == 3, r
    assert [c.split(" neigh ")[1] for c in r["commands"]] == [
        "replace 192.0.2.5 lladdr %s nud permanent dev v0 protocol static" % MAC,
        "del 192.0.2.1 dev v0", "del proxy 2001:db8::10 dev v0"]
    left = dict((e["dst"], e) for e in entries_of(netns, peer, static_only=False))
    assert set(left) == {"10.7.0.2", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"}, left
    assert run_module(MOD, {"state": "replaced", "dev": peer, "neighbours": [listed]}, netns=netns)["write_requests"] == 0
    # owned=permanent: every permanent entry goes, the learned one and another protocol's noarp stay
    r = run_module(MOD, {"state": "replaced", "dev": peer, "owned": "permanent", "neighbours": [listed]}, netns=netns)
    assert r["changed"] and r["write_requests"] == 2, r
    left = dict((e["dst"], e) for e in entries_of(netns, peer, static_only=False))
    assert set(left) == {"10.7.0.2", "192.0.2.4", "192.0.2.5"}, left
    assert ping(netns, "10.7.0.2")


def test_absent_leaves_learned_entries(netns, peer, run_module):
    r = run_module(MOD, {"dev": peer, "dst": "10.7.0.2", "state": "absent"}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    assert any(e["dst"] == "10.7.0.2" for e in entries_of(netns, peer, static_only=False))


def test_present_takes_over_a_learned_entry(netns, peer, run_module, ip_json):
    r = run_module(MOD, {"dev": peer, "dst": "10.7.0.2", "lladdr": MAC}, netns=netns, diff=True)
    assert r["changed"] and r["write_requests"] == 1 and r["diff"][0]["before"], r
    (got,) = [e for e in entries_of(netns, peer) if e["dst"] == "10.7.0.2"]
    assert got["nud"] == "permanent" and got["lladdr"] == MAC


def test_another_protocols_static_entry_is_not_overwritten(netns, dev, ip, run_module):
    ip(netns, "neigh", "add", "192.0.2.9", "lladdr", MAC, "dev", dev, "protocol", "zebra")
    before = entries_of(netns, dev)
    items = [{"dst": "192.0.2.8", "lladdr": MAC}, {"dst": "192.0.2.9", "lladdr": "02:00:00:00:00:01"}]
    r = run_module(MOD, {"dev": dev, "neighbours": items}, netns=netns)
    assert r.get("failed") and "protocol zebra" in r["msg"] and "protocol=zebra" in r["msg"], r
    assert entries_of(netns, dev) == before
    r = run_module(MOD, {"dev": dev, "dst": "192.0.2.9", "state": "absent"}, netns=netns)
    assert r["changed"] is False and "protocol zebra" in " ".join(r["warnings"]), r
    r = run_module(MOD, {"dev": dev, "dst": "192.0.2.9", "lladdr": "02:00:00:00:00:01", "protocol": "zebra"},
                   netns=netns)
    assert r["changed"] and r["write_requests"] == 1, r


def test_dynamic_state_rerun_is_silent(netns, dev, run_module):
    args = {"dev": dev, "dst": "192.0.2.9", "lladdr": MAC, "nud": "reachable"}
    assert run_module(MOD, args, netns=netns)["write_requests"] == 1
    # the kernel may have moved it on (reachable -> stale) by now: still as listed
    assert run_module(MOD, dict(args, nud="stale"), netns=netns)["write_requests"] == 0
    assert run_module(MOD, dict(args, lladdr="02:00:00:00:00:01"), netns=netns)["write_requests"] == 1
    # from dynamic to static is a change
    assert run_module(MOD, dict(args, nud="permanent"), netns=netns)["write_requests"] == 1


def test_gathered_is_input(netns, dev, run_module):
    run_module(MOD, {"dev": dev, "neighbours": [
        {"dst": "192.0.2.9", "lladdr": MAC}, {"dst": "2001:db8::9", "lladdr": MAC, "router": True, "protocol": "bird"},
        {"dst": "192.0.2.10", "lladdr": MAC, "nud": "noarp"}, {"dst": "2001:db8::10", "proxy": True},
        {"dst": "192.0.2.11", "lladdr": MAC, "extern_learn": True, "protocol": "unspec"}]}, netns=netns)
    g = run_module(MOD, {"state": "gathered", "dev": dev}, netns=netns)
    assert g["changed"] is False
    assert sorted(e["dst"] for e in g["gathered"]) == ["192.0.2.11", "192.0.2.9", "2001:db8::10", "2001:db8::9"]
    assert {"dev": dev, "dst": "2001:db8::9", "lladdr": MAC, "router": True, "protocol": "bird"} in g["gathered"]
    noarp = run_module(MOD, {"state": "gathered", "dev": dev, "nud": "noarp", "family": "4"}, netns=netns)["gathered"]
    assert noarp == [{"dev": dev, "dst": "192.0.2.10", "lladdr": MAC, "nud": "noarp", "protocol": "static"}]
    every = run_module(MOD, {"state": "gathered", "nud": "all"}, netns=netns)["gathered"]
    assert len(every) >= 5 and all(e["dev"] in ("v0", "v1", "lo") for e in every)
    r = run_module(MOD, {"neighbours": g["gathered"] + noarp}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_unconfirmed_change_rolls_back(netns, dev, ip, run_module):
    """confirm_timeout: the watchdog undoes a replaced run that was not
    confirmed (the entry it changed and the one it deleted come back)."""
    ip(netns, "neigh", "add", "192.0.2.1", "lladdr", MAC, "dev", dev, "protocol", "static")
    ip(netns, "neigh", "add", "2001:db8::1", "lladdr", MAC, "dev", dev, "router", "protocol", "static")
    before = entries_of(netns, dev)
    r = run_module(MOD, {"state": "replaced", "dev": dev, "confirm_timeout": 2,
                         "neighbours": [{"dst": "192.0.2.1", "lladdr": "02:00:00:00:00:01"}]}, netns=netns)
    assert r["changed"] and r["write_requests"] == 2 and r["confirm_id"], r
    assert [e["dst"] for e in entries_of(netns, dev)] == ["192.0.2.1"]
    rec = wait_final(r["confirm_id"])
    assert rec["state"] == store.ROLLED_BACK, rec
    assert entries_of(netns, dev) == before
    assert watchdog_gone(r["confirm_id"])


@pytest.fixture
def two_links(netns, ip_batch):
    """vA (up) with static and proxy entries, and wA, a second veth to delete."""
    ip_batch(netns, ["link add vA type veth peer name vB", "link add wA type veth peer name wB",
                     "link set vA up", "link set vB up",
                     "neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev vA nud permanent protocol static",
                     "neigh add 2001:db8::1 lladdr 02:00:00:00:00:01 dev vA nud noarp router protocol bird",
                     "neigh add proxy 2001:db8::10 dev vA"])
    return netns


def test_a_link_delete_plans_its_entries(two_links, run_module):
    ns = two_links
    r = run_module("nl_link", {"links": [{"name": "vA", "state": "absent"}]}, netns=ns, check=True, diff=True)
    gone = [d["before_header"] for d in r["diff"] if d["before_header"].startswith("neigh ")]
    assert gone == ["neigh 192.0.2.1 dev vA, goes with link vA (before)",
                    "neigh 2001:db8::1 dev vA, goes with link vA (before)",
                    "neigh proxy 2001:db8::10 dev vA, goes with link vA (before)"], r["diff"]
    assert r["commands"] == ["ip -n %s link del dev vA" % ns]   # the kernel deletes them: no request of their own


def test_undo_of_a_link_delete_brings_its_entries_back(two_links, run_module, monkeypatch):
    """The second delete refused: the first one (vA, with its entries) is
    undone, the entries added back once vA is up again, and read back."""
    ns = two_links
    before = entries_of(ns)
    inject(monkeypatch, lambda n, req: n == 1)
    r = run_module("nl_link", {"links": [{"name": "vA", "state": "absent"}, {"name": "wA", "state": "absent"}]},
                   netns=ns)
    monkeypatch.undo()
    assert r.get("failed") and r["undone"] is True and r["undo_failures"] == [], r
    # two deletes sent; the undo re-creates vA, brings it up, adds the three entries
    assert r["write_requests"] >= 2 + 1 + 3, r
    assert entries_of(ns) == before
