"""nl_addr against the host kernel, in throwaway namespaces.

The module runs in-process (run_module); ``ip -j`` is the independent
client that reads the kernel back.
"""
import shutil
import subprocess
import time

import pytest

MOD = "nl_addr"
IP = shutil.which("ip") or "/usr/sbin/ip"
run_module = run_ip = run_ip_json = None


@pytest.fixture(autouse=True)
def _helpers(request):
    """Bind the conftest helpers (fixtures ``run_module``, ``ip``,
    ``ip_json``) to this module's names."""
    global run_module, run_ip, run_ip_json
    run_module = request.getfixturevalue("run_module")
    run_ip = request.getfixturevalue("ip")
    run_ip_json = request.getfixturevalue("ip_json")


@pytest.fixture
def ns(netns):
    """br0, up, with the link-local address the kernel gives it complete.

    br0 does no DAD (accept_dad 0): otherwise its link-local stays tentative
    for a second or more after 'up' and its local route appears only when
    DAD ends, between two snapshots a test compares.  The fixture waits for
    that route, so what the kernel adds by itself is there before any test
    reads the namespace."""
    run_ip(netns, "link", "add", "br0", "type", "bridge")
    subprocess.run([IP, "netns", "exec", netns, "sysctl", "-qw", "net.ipv6.conf.br0.accept_dad=0"], check=True)
    run_ip(netns, "link", "set", "br0", "up")
    deadline = time.monotonic() + 30
    while not any(r.get("dst", "").startswith("fe80:")
                  for r in run_ip_json(netns, "-6", "route", "show", "table", "local", "dev", "br0")):
        assert time.monotonic() < deadline, "br0 got no link-local address within 30 s"
        time.sleep(0.05)
    return netns


def snapshot(ns):
    return {
        "addr": run_ip_json(ns, "addr", "show"),
        "route4": run_ip_json(ns, "-4", "route", "show", "table", "all"),
        "route6": run_ip_json(ns, "-6", "route", "show", "table", "all"),
    }


def stable(snap):
    """A snapshot without what moves by itself (lifetimes count down,
    IPv6 DAD finishes)."""
    out = []
    for link in snap["addr"]:
        for a in link.get("addr_info", []):
            a = dict(a)
            for k in ("valid_life_time", "preferred_life_time", "tentative", "dynamic"):
                a.pop(k, None)
            out.append((link["ifname"], sorted(a.items())))
    return sorted(out, key=repr), snap["route4"], snap["route6"]


def addr_info(ns, dev="br0"):
    links = run_ip_json(ns, "addr", "show", "dev", dev)
    return links[0].get("addr_info", []) if links else []


def find(ns, local, prefixlen, dev="br0"):
    for a in addr_info(ns, dev):
        if a["local"] == local and a["prefixlen"] == prefixlen:
            return a
    return None


def locals_of(ns, dev="br0", family=None):
    return sorted("%s/%d" % (a["local"], a["prefixlen"]) for a in addr_info(ns, dev)
                  if family is None or a["family"] == family)


# -- every feature: check, apply, read back, rerun, diff, absent -------------

FEATURES = [
    ("ipv4", {"address": "192.0.2.10/24"}, "192.0.2.10", 24,
     lambda a: a["family"] == "inet" and a["label"] == "br0" and a["scope"] == "global"),
    ("ipv6_nodad", {"address": "2001:db8::10/64", "nodad": True}, "2001:db8::10", 64,
     lambda a: a.get("nodad") is True and not a.get("tentative")),
    ("host_no_prefix", {"address": "192.0.2.77"}, "192.0.2.77", 32, lambda a: True),
    ("peer_v4", {"address": "10.0.0.1/32", "peer": "10.0.0.2"}, "10.0.0.1", 32,
     lambda a: a["address"] == "10.0.0.2"),
    ("peer_v4_ip_style", {"address": "10.0.0.1", "peer": "10.0.0.2/30"}, "10.0.0.1", 30,
     lambda a: a["address"] == "10.0.0.2"),
    ("peer_v6", {"address": "2001:db8::5/128", "peer": "2001:db8::6", "nodad": True}, "2001:db8::5", 128,
     lambda a: a["address"] == "2001:db8::6"),
    ("broadcast_plus", {"address": "198.51.100.1/24", "broadcast": "+"}, "198.51.100.1", 24,
     lambda a: a["broadcast"] == "198.51.100.255"),
    ("broadcast", {"address": "198.51.100.1/24", "broadcast": "198.51.100.200"}, "198.51.100.1", 24,
     lambda a: a["broadcast"] == "198.51.100.200"),
    ("label", {"address": "192.0.2.10/24", "label": "br0:mgmt"}, "192.0.2.10", 24,
     lambda a: a["label"] == "br0:mgmt"),
    ("scope_link", {"address": "169.254.1.1/16", "scope": "link"}, "169.254.1.1", 16,
     lambda a: a["scope"] == "link"),
    ("scope_number", {"address": "192.0.2.10/24", "scope": "200"}, "192.0.2.10", 24,
     lambda a: a["scope"] == "site"),
    ("lifetimes", {"address": "192.0.2.10/24", "valid_lft": "300", "preferred_lft": 200}, "192.0.2.10", 24,
     lambda a: 295 <= a["valid_life_time"] <= 300 and 195 <= a["preferred_life_time"] <= 200),
    ("lifetimes_v6", {"address": "2001:db8::10/64", "valid_lft": 300, "nodad": True}, "2001:db8::10", 64,
     lambda a: 295 <= a["valid_life_time"] <= 300 and 295 <= a["preferred_life_time"] <= 300),
    ("noprefixroute_v4", {"address": "192.0.2.10/24", "noprefixroute": True}, "192.0.2.10", 24,
     lambda a: a.get("noprefixroute") is True),
    ("noprefixroute_v6", {"address": "2001:db8::10/64", "noprefixroute": True, "nodad": True},
     "2001:db8::10", 64, lambda a: a.get("noprefixroute") is True),
    ("metric", {"address": "192.0.2.10/24", "metric": 300}, "192.0.2.10", 24,
     lambda a: a.get("metric") == 300),
    ("metric_v6", {"address": "2001:db8::10/64", "metric": 300, "nodad": True}, "2001:db8::10", 64,
     lambda a: a.get("metric") == 300),
]


@pytest.mark.parametrize("name,args,local,plen,check", FEATURES, ids=[f[0] for f in FEATURES])
def test_feature(ns, name, args, local, plen, check):
    args = dict(args, dev="br0")
    before = snapshot(ns)

    r = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["write_requests"] == 0
    assert r["commands"] and r["commands"][0].startswith("ip -n %s addr add " % ns), r["commands"]
    assert r["diff"][0]["before"] == "" and local in r["diff"][0]["after"]
    assert stable(snapshot(ns)) == stable(before), "check mode changed the kernel"

    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    a = find(ns, local, plen)
    assert a is not None, addr_info(ns)
    assert check(a), a
    if name.startswith("noprefixroute"):
        fam = "-6" if ":" in local else "-4"
        assert not [rt for rt in run_ip_json(ns, fam, "route", "show", "dev", "br0")
                    if rt["dst"].startswith(local.split(":")[0] if ":" in local else "192.0.2.")]

    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    assert r["commands"] == []

    r = run_module(MOD, dict(args, state="absent"), check=True, diff=True, netns=ns)
    assert r["changed"] and r["diff"][0]["after"] == "" and local in r["diff"][0]["before"]
    assert find(ns, local, plen) is not None

    r = run_module(MOD, dict(args, state="absent"), netns=ns)
    assert r["changed"] and r["commands"][0].startswith("ip -n %s addr del " % ns)
    assert find(ns, local, plen) is None
    r = run_module(MOD, dict(args, state="absent"), netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0


def test_many_in_one_batch_then_noop(ns):
    addrs = ["192.0.2.%d/24" % i for i in range(1, 101)] + ["2001:db8::%x/64" % i for i in range(1, 101)]
    args = {"dev": "br0", "addresses": addrs, "nodad": True}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and r["write_requests"] == 200
    assert len(locals_of(ns, family="inet")) == 100
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0


# -- in-place changes -------------------------------------------------------

class Monitor:
    """``ip monitor address`` in the namespace while a block runs."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        self.proc = subprocess.Popen([IP, "-n", self.ns, "monitor", "address"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, universal_newlines=True)
        time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        time.sleep(0.3)
        self.proc.terminate()
        self.output = self.proc.communicate(timeout=10)[0]


@pytest.mark.parametrize("change", [
    {"valid_lft": 600, "preferred_lft": 500},
    {"metric": 42},
    {"valid_lft": "forever", "preferred_lft": "forever"},
])
def test_change_in_place_v4(ns, change):
    run_ip(ns, "addr", "add", "192.0.2.10/24", "dev", "br0", "valid_lft", "300", "preferred_lft", "300")
    run_ip(ns, "route", "add", "198.51.100.0/24", "dev", "br0", "src", "192.0.2.10")
    args = dict({"dev": "br0", "address": "192.0.2.10/24"}, **change)
    r = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert r["changed"] and r["commands"][0].startswith("ip -n %s addr change " % ns), r
    with Monitor(ns) as mon:
        r = run_module(MOD, args, netns=ns)
    assert r["changed"] and r["write_requests"] == 1, r
    assert "Deleted" not in mon.output, mon.output
    # a route that uses the address as its source dies with the address
    assert run_ip_json(ns, "route", "show", "198.51.100.0/24"), "address was re-created"
    a = find(ns, "192.0.2.10", 24)
    if "metric" in change:
        assert a["metric"] == 42 and 295 <= a["valid_life_time"] <= 300  # countdown kept
    elif change["valid_lft"] == "forever":
        assert a["valid_life_time"] == 4294967295
    else:
        assert 595 <= a["valid_life_time"] <= 600 and 495 <= a["preferred_life_time"] <= 500
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_change_flags_in_place_v6(ns):
    run_ip(ns, "addr", "add", "2001:db8::1/64", "dev", "br0", "nodad")
    args = {"dev": "br0", "address": "2001:db8::1/64", "noprefixroute": True, "metric": 7,
            "peer": "2001:db8::2"}
    with Monitor(ns) as mon:
        r = run_module(MOD, args, netns=ns)
    assert r["changed"] and r["write_requests"] == 1, r
    assert "Deleted" not in mon.output, mon.output
    a = find(ns, "2001:db8::1", 64)
    assert a["noprefixroute"] and a["nodad"] and a["address"] == "2001:db8::2"
    assert run_module(MOD, args, netns=ns)["changed"] is False


def test_lifetime_as_set_after_time_passes(ns):
    args = {"dev": "br0", "address": "192.0.2.10/24", "valid_lft": 100, "preferred_lft": 50}
    assert run_module(MOD, args, netns=ns)["changed"]
    time.sleep(3.2)
    a = find(ns, "192.0.2.10", 24)
    assert a["valid_life_time"] <= 97  # the kernel counted down
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    r = run_module(MOD, dict(args, state="gathered", address=None), netns=ns)
    g = [x for x in r["gathered"] if x["address"] == "192.0.2.10/24"][0]
    assert abs(g["valid_lft"] - 100) <= 1 and abs(g["preferred_lft"] - 50) <= 1


def test_ipv4_immutable_needs_recreate(ns):
    run_ip(ns, "addr", "add", "192.0.2.10/24", "dev", "br0", "label", "br0:a")
    before = snapshot(ns)
    args = {"dev": "br0", "address": "192.0.2.10/24", "label": "br0:b"}
    r = run_module(MOD, args, netns=ns)
    assert r.get("failed") and "label" in r["msg"] and "recreate" in r["msg"], r
    assert stable(snapshot(ns)) == stable(before)
    r = run_module(MOD, dict(args, recreate=True), diff=True, netns=ns)
    assert r["changed"] and r["commands"] == [
        "ip -n %s addr del 192.0.2.10/24 dev br0" % ns, "ip -n %s addr add 192.0.2.10/24 dev br0 label br0:b" % ns], r
    assert find(ns, "192.0.2.10", 24)["label"] == "br0:b"
    assert run_module(MOD, args, netns=ns)["changed"] is False


def test_ipv4_peer_change_recreate(ns):
    run_ip(ns, "addr", "add", "10.0.0.1", "peer", "10.0.0.2", "dev", "br0")
    args = {"dev": "br0", "address": "10.0.0.1/32", "peer": "10.0.0.3", "recreate": True}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"], r
    peers = [a["address"] for a in addr_info(ns) if a["local"] == "10.0.0.1"]
    assert peers == ["10.0.0.3"]
    assert run_module(MOD, args, netns=ns)["changed"] is False


def test_ipv6_prefixlen_change(ns):
    run_ip(ns, "addr", "add", "2001:db8::1/64", "dev", "br0", "nodad")
    args = {"dev": "br0", "address": "2001:db8::1/48", "nodad": True}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and r["commands"] == ["ip -n %s addr del 2001:db8::1/64 dev br0" % ns,
                                              "ip -n %s addr add 2001:db8::1/48 dev br0 nodad" % ns], r
    link_local = [x for x in locals_of(ns, family="inet6") if x.startswith("fe80")]
    assert locals_of(ns, family="inet6") == ["2001:db8::1/48"] + link_local
    assert run_module(MOD, args, netns=ns)["changed"] is False


def test_ipv4_prefixlen_is_another_address(ns):
    run_ip(ns, "addr", "add", "192.0.2.10/24", "dev", "br0")
    r = run_module(MOD, {"dev": "br0", "address": "192.0.2.10/25"}, netns=ns)
    assert r["changed"]
    assert locals_of(ns, family="inet") == ["192.0.2.10/24", "192.0.2.10/25"]
    r = run_module(MOD, {"dev": "br0", "addresses": ["192.0.2.10/25"], "state": "replaced"}, netns=ns)
    assert r["changed"] and locals_of(ns, family="inet") == ["192.0.2.10/25"]


# -- replaced ---------------------------------------------------------------

def test_replaced_keeps_kernel_link_local(ns):
    run_ip(ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    run_ip(ns, "addr", "add", "198.51.100.1/24", "dev", "br0")
    run_ip(ns, "addr", "add", "2001:db8::1/64", "dev", "br0", "nodad")
    run_ip(ns, "addr", "add", "fe80::1234/64", "dev", "br0", "nodad")  # user-made link-local
    ll = [x for x in locals_of(ns, family="inet6") if x.startswith("fe80") and x != "fe80::1234/64"]
    assert ll, "no kernel link-local on br0"
    args = {"dev": "br0", "state": "replaced", "addresses": ["192.0.2.1/24", "2001:db8::2/64"], "nodad": True}
    before = snapshot(ns)
    r = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert r["changed"] and stable(snapshot(ns)) == stable(before)
    assert len(r["diff"]) == 4, r["diff"]
    r = run_module(MOD, args, netns=ns)
    assert r["changed"], r
    assert locals_of(ns) == sorted(["192.0.2.1/24", "2001:db8::2/64"] + ll)
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0
    # an empty list leaves only what the kernel made
    r = run_module(MOD, {"dev": "br0", "state": "replaced", "addresses": []}, netns=ns)
    assert r["changed"] and locals_of(ns) == ll


def test_replaced_lo_keeps_loopback(netns):
    run_ip(netns, "addr", "add", "192.0.2.1/32", "dev", "lo")
    r = run_module(MOD, {"dev": "lo", "state": "replaced", "addresses": []}, netns=netns)
    assert r["changed"] and r["commands"] == ["ip -n %s addr del 192.0.2.1/32 dev lo" % netns], r
    assert "127.0.0.1/8" in locals_of(netns, "lo") and "::1/128" in locals_of(netns, "lo")


def test_replaced_keeps_secondary_when_primary_goes(ns):
    run_ip(ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    run_ip(ns, "addr", "add", "192.0.2.3/24", "dev", "br0")  # secondary of .1
    args = {"dev": "br0", "state": "replaced", "addresses": ["192.0.2.2/24", "192.0.2.3/24"]}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"], r
    assert locals_of(ns, family="inet") == ["192.0.2.2/24", "192.0.2.3/24"], r["commands"]
    primary = [a for a in addr_info(ns) if a["family"] == "inet" and not a.get("secondary")]
    assert primary[0]["local"] == "192.0.2.2"  # the first listed becomes primary
    assert run_module(MOD, args, netns=ns)["changed"] is False


def test_absent_primary_and_secondary(ns):
    run_ip(ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    run_ip(ns, "addr", "add", "192.0.2.3/24", "dev", "br0")
    r = run_module(MOD, {"dev": "br0", "state": "absent", "addresses": ["192.0.2.1/24", "192.0.2.3/24"]},
                   netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["commands"] == ["ip -n %s addr del 192.0.2.3/24 dev br0" % ns, "ip -n %s addr del 192.0.2.1/24 dev br0" % ns]
    assert locals_of(ns, family="inet") == []


# -- devices ----------------------------------------------------------------

def test_absent_on_missing_device_is_ok(ns):
    r = run_module(MOD, {"dev": "nope0", "address": "192.0.2.1/24", "state": "absent"}, netns=ns)
    assert r["changed"] is False and not r.get("failed"), r


def test_gathered_all_devices(ns):
    run_ip(ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    run_ip(ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    run_ip(ns, "addr", "add", "10.0.0.1", "peer", "10.0.0.2", "dev", "veth0")
    r = run_module(MOD, {"state": "gathered"}, netns=ns)
    assert not r["changed"]
    got = sorted((g["dev"], g["address"]) for g in r["gathered"])
    assert ("br0", "192.0.2.1/24") in got and ("veth0", "10.0.0.1/32") in got and ("lo", "127.0.0.1/8") in got
    # gathered is input: feeding it back, as it is, changes nothing
    for dev in ("br0", "veth0", "lo"):
        items = [g for g in r["gathered"] if g["dev"] == dev]
        rr = run_module(MOD, {"dev": dev, "state": "replaced", "addresses": items}, netns=ns)
        assert rr["changed"] is False and rr["write_requests"] == 0, (dev, rr)
    # ... but an item of another device is refused, naming it
    other = [g for g in r["gathered"] if g["dev"] == "lo"]
    rr = run_module(MOD, {"dev": "br0", "state": "replaced", "addresses": other}, netns=ns)
    assert rr["failed"] and "addresses[0].dev" in rr["msg"] and "'lo'" in rr["msg"]


# -- iproute2's defaults, lifetimes that run out, what commands say ----------

def test_loopback_range_default_scope_is_host_as_with_ip(ns, netns_factory):
    """iproute2 adds 127.0.0.0/8 addresses with scope host (and this
    kernel refuses any other scope for them)."""
    args = {"dev": "lo", "addresses": ["127.0.0.2/8", {"address": "127.0.0.3/8", "scope": "host"}]}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["commands"] == ["ip -n %s addr add 127.0.0.2/8 dev lo" % ns,
                             "ip -n %s addr add 127.0.0.3/8 dev lo" % ns], r["commands"]
    assert find(ns, "127.0.0.2", 8, dev="lo")["scope"] == "host"
    again = run_module(MOD, args, netns=ns)
    assert again["changed"] is False and again["write_requests"] == 0, again
    g = [x for x in run_module(MOD, {"dev": "lo", "state": "gathered"}, netns=ns)["gathered"]
         if x["address"] == "127.0.0.2/8"]
    assert g == [{"dev": "lo", "address": "127.0.0.2/8"}], g
    # the commands, run by ip in a fresh namespace, make the same addresses
    other = netns_factory()
    for cmd in r["commands"]:
        run_ip(other, *cmd.split()[3:])
    assert [a for a in stable(snapshot(other))[0] if a[0] == "lo"] == [a for a in stable(snapshot(ns))[0] if a[0] == "lo"]


@pytest.mark.parametrize("address", ["192.0.2.10/24", "2001:db8::10/64"])
def test_preferred_zero_converges(ns, address):
    args = {"dev": "br0", "address": address, "valid_lft": 300, "preferred_lft": 0, "nodad": ":" in address or None}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"], r
    a = find(ns, *address.split("/")[0:1] + [int(address.split("/")[1])])
    assert a.get("deprecated") and a["preferred_life_time"] == 0, a
    time.sleep(2.5)
    again = run_module(MOD, args, netns=ns)
    assert again["changed"] is False and again["write_requests"] == 0, again


def test_ipv4_deprecated_forever_converges(ns):
    args = {"dev": "br0", "address": "192.0.2.10/24", "preferred_lft": 0}
    assert run_module(MOD, args, netns=ns)["changed"]
    assert find(ns, "192.0.2.10", 24).get("deprecated")
    again = run_module(MOD, args, netns=ns)
    assert again["changed"] is False and again["write_requests"] == 0, again
    g = run_module(MOD, {"dev": "br0", "state": "gathered"}, netns=ns)["gathered"]
    assert {"dev": "br0", "address": "192.0.2.10/24", "preferred_lft": 0} in g, g


def test_lifetime_that_ran_out_is_not_resent(ns):
    args = {"dev": "br0", "address": "2001:db8::10/64", "valid_lft": 300, "preferred_lft": 2, "nodad": True}
    assert run_module(MOD, args, netns=ns)["changed"]
    time.sleep(3.5)
    a = find(ns, "2001:db8::10", 64)
    assert a.get("deprecated") and a["preferred_life_time"] == 0, a
    for _run in range(2):
        again = run_module(MOD, args, netns=ns)
        assert again["changed"] is False and again["write_requests"] == 0, again
    assert find(ns, "2001:db8::10", 64).get("deprecated")
    # gathered keeps it deprecated, and feeding it back changes nothing
    g = [x for x in run_module(MOD, {"dev": "br0", "state": "gathered"}, netns=ns)["gathered"]
         if x["address"] == "2001:db8::10/64"]
    assert g[0]["preferred_lft"] == 0 and abs(g[0]["valid_lft"] - 300) <= 1, g
    back = run_module(MOD, {"dev": "br0", "addresses": g}, netns=ns)
    assert back["changed"] is False and back["write_requests"] == 0, back
    assert find(ns, "2001:db8::10", 64).get("deprecated")


def test_update_command_says_what_was_sent(ns, netns_factory):
    """A metric change keeps the countdown: the command says 'change' (the
    request's NLM_F_REPLACE, no NLM_F_CREATE) and the remaining lifetimes,
    and replayed by ip on a copy of the address it gives the same state."""
    run_ip(ns, "addr", "add", "192.0.2.10/24", "dev", "br0", "valid_lft", "300", "preferred_lft", "200")
    time.sleep(2.2)
    r = run_module(MOD, {"dev": "br0", "address": "192.0.2.10/24", "metric": 42}, diff=True, netns=ns)
    (cmd,) = r["commands"]
    # the kernel block travels in the plan, never in what is shown
    assert "kernel" not in r["addresses"][0] and "kernel" not in r["diff"][0]["before"] + r["diff"][0]["after"], r
    words = cmd.split()
    assert words[3:5] == ["addr", "change"], cmd
    valid, preferred = int(words[words.index("valid_lft") + 1]), int(words[words.index("preferred_lft") + 1])
    assert 295 <= valid <= 298 and 195 <= preferred <= 198, cmd
    a = find(ns, "192.0.2.10", 24)
    assert a["metric"] == 42 and valid - 1 <= a["valid_life_time"] <= valid, (a, cmd)
    other = netns_factory()
    run_ip(other, "link", "add", "br0", "type", "bridge")
    run_ip(other, "addr", "add", "192.0.2.10/24", "dev", "br0")
    run_ip(other, *words[3:])
    b = find(other, "192.0.2.10", 24)
    assert (b["metric"], b["valid_life_time"], b["preferred_life_time"]) == (42, valid, preferred), b


# -- replaced without addresses; a device an earlier task creates -------------

def test_replaced_without_addresses_is_refused(ns):
    run_ip(ns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    before = stable(snapshot(ns))
    for check in (True, False):
        r = run_module(MOD, {"dev": "br0", "state": "replaced"}, check=check, netns=ns)
        assert r.get("failed") and "addresses" in r["msg"] and "[]" in r["msg"], r
    assert stable(snapshot(ns)) == before


def test_check_mode_plans_for_a_device_not_made_yet(ns):
    args = {"dev": "br1", "addresses": ["192.0.2.1/24", {"address": "2001:db8::1/64", "nodad": True}]}
    r = run_module(MOD, args, check=True, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["commands"] == ["ip -n %s addr add 192.0.2.1/24 dev br1" % ns,
                             "ip -n %s addr add 2001:db8::1/64 dev br1 nodad" % ns], r
    assert any("br1" in str(w) for w in r.get("warnings", [])), r
    r = run_module(MOD, dict(args, state="replaced"), check=True, netns=ns)
    assert r["changed"] and any("br1" in str(w) for w in r.get("warnings", [])), r
    r = run_module(MOD, args, netns=ns)
    assert r.get("failed") and "dev" in r["msg"] and "br1" in r["msg"] and r.get("write_requests", 0) == 0, r
    run_ip(ns, "link", "add", "br1", "type", "bridge")  # what the earlier task would do
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert locals_of(ns, "br1", "inet") == ["192.0.2.1/24"]


# -- gathered is input ------------------------------------------------------

def test_gathered_round_trips_on_a_realistic_namespace(ns):
    """Primaries and secondaries, peers, labels, broadcast, scopes, IPv6
    flags (nodad, noprefixroute, mngtmpaddr, IFA_PROTO), lifetimes, a
    deprecated address, metrics, lo: nl_addr's gathered output, fed back per
    device, changes nothing (present and replaced), sends nothing."""
    from test_nl_addr_faults import add_raw
    from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import addr as RA

    run_ip(ns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    run_ip(ns, "link", "set", "veth0", "up")
    run_ip(ns, "link", "set", "veth1", "up")
    for args in (
        ["192.0.2.1/24", "dev", "br0", "broadcast", "+"],
        ["192.0.2.2/24", "dev", "br0", "label", "br0:sec"],         # secondary
        ["192.0.2.3/24", "dev", "br0", "valid_lft", "600", "preferred_lft", "0"],
        ["198.51.100.1/25", "dev", "br0", "metric", "50", "noprefixroute"],
        ["169.254.7.7/16", "dev", "br0", "scope", "link"],
        ["10.0.0.1", "peer", "10.0.0.2/30", "dev", "veth0"],
        ["2001:db8::1/64", "dev", "br0", "nodad", "valid_lft", "900", "preferred_lft", "600"],
        ["2001:db8::2/64", "dev", "br0", "nodad", "preferred_lft", "0"],  # deprecated, valid forever
        ["2001:db8:5::1/128", "peer", "2001:db8:5::2", "dev", "veth0", "nodad"],
        ["127.0.0.2/8", "dev", "lo"],
        ["192.0.2.9/32", "dev", "lo"],
    ):
        run_ip(ns, "addr", "add", *args)
    add_raw(ns, "br0", "2001:db8:1::5", 64, proto=7, valid=300, preferred=200,
            flags=RA.IFA_F_MANAGETEMPADDR | RA.IFA_F_NOPREFIXROUTE | RA.IFA_F_NODAD)
    time.sleep(1.5)
    gathered = run_module(MOD, {"state": "gathered"}, netns=ns)["gathered"]
    devs = sorted(set(g["dev"] for g in gathered))
    assert devs == ["br0", "lo", "veth0", "veth1"], devs
    assert {"dev": "br0", "address": "2001:db8::2/64", "preferred_lft": 0, "nodad": True} in gathered, gathered
    for dev in devs:
        items = [g for g in gathered if g["dev"] == dev]
        for state in ("present", "replaced"):
            r = run_module(MOD, {"dev": dev, "state": state, "addresses": items}, netns=ns)
            assert r["changed"] is False and r["write_requests"] == 0, (dev, state, r.get("commands"), r)
