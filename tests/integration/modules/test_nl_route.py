"""nl_route against the host kernel, in throwaway namespaces: every field
through check mode, apply, a second run that sends nothing, --diff and
absent; changes in place (one NLM_F_REPLACE, nothing deleted); IPv6
multipath compared as the kernel holds it; table and protocol names.

The module runs in-process (run_module); ``ip`` is the independent client
that reads the kernel back.
"""
import re
import shlex
import shutil
import subprocess
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils.objects import rt_names
from ansible_collections.netlink.host.tests.integration import faults
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

MOD = "nl_route"
IP = shutil.which("ip") or "/usr/sbin/ip"
run_module = run_ip = run_ip_json = None

SETUP = [
    "link add veth0 type veth peer name veth1",
    "link add br0 type bridge",
    "link set veth0 up",
    "link set veth1 up",
    "link set br0 up",
    "addr add 192.0.2.1/24 dev veth0",
    "addr add 198.51.100.1/24 dev br0",
    "addr add 2001:db8::1/64 dev veth0 nodad",
    "addr add 2001:db8:2::1/64 dev br0 nodad",
    "nexthop add id 10 via 192.0.2.2 dev veth0",
    "nexthop add id 11 via 192.0.2.3 dev veth0",
]


@pytest.fixture(autouse=True)
def _helpers(request):
    global run_module, run_ip, run_ip_json
    run_module = request.getfixturevalue("run_module")
    run_ip = request.getfixturevalue("ip")
    run_ip_json = request.getfixturevalue("ip_json")


def setup_ns(ns, ip_batch):
    subprocess.run([IP, "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0"], check=True)
    ip_batch(ns, SETUP)
    # what the kernel adds by itself after 'up' (fe80::/64, multicast)
    settle(ns, take=routes_text)


@pytest.fixture
def ns(netns, ip_batch):
    setup_ns(netns, ip_batch)
    return netns


def routes_text(ns):
    """Every route of every table, both families, as ``ip`` prints them
    (a plain function: other test files' set-ups use it)."""
    return "".join(subprocess.run([IP, "-n", ns, fam, "route", "show", "table", "all"], check=True,
                                  stdout=subprocess.PIPE, universal_newlines=True).stdout for fam in ("-4", "-6"))


def route_line(ns, dst, family=4):
    """The ``ip route show table all`` text of the routes to ``dst``
    (continuation lines of multipath routes joined)."""
    out = run_ip(ns, "-%d" % family, "route", "show", "table", "all")
    lines = []
    for line in out.splitlines():
        if line.startswith((" ", "\t")) and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    # an expiring route counts down: compare it without the seconds left
    return [re.sub(r"expires \d+sec", "expires Nsec", ln) for ln in lines if dst in ln.split()]


# name, args, family, words that the kernel's route must show
FEATURES = [
    ("gateway", {"dst": "10.1.0.0/16", "gateway": "192.0.2.2"}, 4, ["via 192.0.2.2 dev veth0 proto static"]),
    ("dev_only", {"dst": "10.2.0.0/16", "dev": "br0"}, 4, ["dev br0 proto static scope link"]),
    ("host_route", {"dst": "10.2.3.4", "dev": "br0"}, 4, ["10.2.3.4 dev br0 proto static scope link"]),
    ("src", {"dst": "10.3.0.0/16", "gateway": "192.0.2.2", "src": "198.51.100.1"}, 4, ["src 198.51.100.1"]),
    ("metric", {"dst": "10.4.0.0/16", "gateway": "192.0.2.2", "metric": 50}, 4, ["metric 50"]),
    ("table_number", {"dst": "10.5.0.0/16", "gateway": "192.0.2.2", "table": 100}, 4, ["table 100"]),
    ("table_big", {"dst": "10.5.0.0/16", "gateway": "192.0.2.2", "table": "70000"}, 4, ["table 70000"]),
    ("table_main_by_number", {"dst": "10.5.1.0/24", "gateway": "192.0.2.2", "table": "254"}, 4,
     ["10.5.1.0/24 via 192.0.2.2 dev veth0 proto static"]),
    ("protocol_name", {"dst": "10.6.0.0/16", "gateway": "192.0.2.2", "protocol": "bird"}, 4, ["proto bird"]),
    ("protocol_number", {"dst": "10.6.1.0/24", "gateway": "192.0.2.2", "protocol": 250}, 4, ["proto 250"]),
    ("scope_global_dev", {"dst": "10.7.0.0/16", "dev": "br0", "scope": "global"}, 4,
     ["10.7.0.0/16 dev br0 proto static "]),
    ("scope_host", {"dst": "10.7.1.0/24", "dev": "br0", "scope": "host"}, 4, ["scope host"]),
    ("blackhole", {"dst": "10.8.0.0/16", "type": "blackhole"}, 4, ["blackhole 10.8.0.0/16 proto static"]),
    ("unreachable", {"dst": "10.8.1.0/24", "type": "unreachable", "table": 100}, 4, ["unreachable 10.8.1.0/24"]),
    ("prohibit", {"dst": "10.8.2.0/24", "type": "prohibit", "metric": 7}, 4, ["prohibit 10.8.2.0/24", "metric 7"]),
    ("throw", {"dst": "10.8.3.0/24", "type": "throw", "table": 100}, 4, ["throw 10.8.3.0/24"]),
    ("local", {"dst": "10.8.4.1", "type": "local", "dev": "veth0"}, 4, ["local 10.8.4.1 dev veth0 table local"]),
    ("broadcast", {"dst": "10.8.5.255", "type": "broadcast", "dev": "veth0"}, 4,
     ["broadcast 10.8.5.255 dev veth0 table local"]),
    ("onlink", {"dst": "10.9.0.0/16", "gateway": "203.0.113.1", "dev": "veth0", "onlink": True}, 4, ["onlink"]),
    ("metrics", {"dst": "10.10.0.0/16", "gateway": "192.0.2.2", "mtu": 1400, "lock": ["mtu", "window"],
                 "advmss": 1300, "window": 65535, "rto_min": 50, "hoplimit": 32, "initcwnd": 10, "initrwnd": 20,
                 "quickack": True, "fastopen_no_cookie": True, "congctl": "reno", "features": ["ecn"],
                 "rtt": 100, "rttvar": 50, "ssthresh": 9, "cwnd": 11, "reordering": 5}, 4,
     ["mtu lock 1400", "advmss 1300", "window lock 65535", "rto_min lock 50ms", "rtt 12ms", "rttvar 12ms", "hoplimit 32", "initcwnd 10",
      "initrwnd 20", "quickack 1", "fastopen_no_cookie 1", "congctl reno", "features ecn", "ssthresh 9",
      "cwnd 11", "reordering 5"]),
    ("multipath", {"dst": "10.11.0.0/16", "nexthops": [
        {"gateway": "192.0.2.2", "weight": 3}, {"gateway": "198.51.100.2", "dev": "br0"},
        {"gateway": "203.0.113.9", "dev": "veth0", "onlink": True}]}, 4,
     ["nexthop via 192.0.2.2 dev veth0 weight 3", "nexthop via 198.51.100.2 dev br0 weight 1",
      "nexthop via 203.0.113.9 dev veth0 weight 1 onlink"]),
    ("nhid", {"dst": "10.12.0.0/16", "nhid": 10}, 4, ["10.12.0.0/16 nhid 10"]),
    ("via_inet6", {"dst": "10.13.0.0/16", "gateway": "2001:db8::2", "dev": "veth0"}, 4, ["via inet6 2001:db8::2"]),
    ("tos", {"dst": "10.14.0.0/16", "gateway": "192.0.2.2", "tos": 16}, 4, ["tos 0x10"]),
    ("default_v4_table", {"dst": "default", "gateway": "192.0.2.2", "table": 200}, 4, ["default via 192.0.2.2"]),
    ("v6_gateway", {"dst": "2001:db8:10::/48", "gateway": "2001:db8::2"}, 6,
     ["via 2001:db8::2 dev veth0 proto static metric 1024"]),
    ("v6_metric_pref", {"dst": "2001:db8:11::/48", "gateway": "2001:db8::2", "metric": 10, "pref": "high"}, 6,
     ["metric 10 pref high"]),
    ("v6_expires", {"dst": "2001:db8:12::/48", "gateway": "2001:db8::2", "expires": 600}, 6, ["expires "]),
    ("v6_multipath", {"dst": "2001:db8:13::/48", "nexthops": [
        {"gateway": "2001:db8::2", "dev": "veth0", "weight": 2}, {"gateway": "2001:db8:2::2", "dev": "br0"}]}, 6,
     ["nexthop via 2001:db8::2 dev veth0 weight 2", "nexthop via 2001:db8:2::2 dev br0 weight 1"]),
    ("v6_blackhole", {"dst": "2001:db8:14::/48", "type": "blackhole"}, 6, ["blackhole 2001:db8:14::/48"]),
    ("v6_unreachable_default", {"dst": "default", "family": 6, "type": "unreachable", "table": 300}, 6,
     ["unreachable default", "table 300"]),
    ("v6_src_mtu", {"dst": "2001:db8:15::/48", "gateway": "2001:db8::2", "src": "2001:db8:2::1", "mtu": 1300,
                    "lock": ["mtu"]}, 6, ["src 2001:db8:2::1", "mtu lock 1300"]),
    ("v6_dev_onlink", {"dst": "2001:db8:16::/48", "gateway": "2001:db8:99::1", "dev": "veth0", "onlink": True}, 6,
     ["onlink"]),
]


@pytest.mark.parametrize("name,args,family,words", FEATURES, ids=[f[0] for f in FEATURES])
def test_feature(ns, name, args, family, words):
    dst = args["dst"]
    before = routes_text(ns)

    r = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["write_requests"] == 0
    assert len(r["commands"]) == 1 and " route add " in r["commands"][0], r["commands"]
    assert r["diff"][0]["before"] == "" and dst in r["diff"][0]["after"]
    assert r["routes"] and r["routes"][0]["dst"] in (dst, dst + "/32", "default")
    assert routes_text(ns) == before, "check mode changed the kernel"

    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["write_requests"] == 1
    lines = route_line(ns, dst, family)
    assert lines, routes_text(ns)
    text = " ".join(lines)
    for w in words:
        assert w in text, (w, text)
    assert len(r["routes"]) == 1

    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0 and r["commands"] == [], r

    r = run_module(MOD, dict(args, state="absent"), check=True, diff=True, netns=ns)
    assert r["changed"] and r["diff"][0]["after"] == "" and r["write_requests"] == 0, r
    assert " route del " in r["commands"][0]
    assert route_line(ns, dst, family) == lines

    r = run_module(MOD, dict(args, state="absent"), netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert routes_text(ns) == before
    r = run_module(MOD, dict(args, state="absent"), netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0


def test_table_and_protocol_names_from_the_hosts_files(ns, monkeypatch):
    """rt_tables / rt_protos names are resolved when the task is validated:
    the request, the command and the result hold numbers."""
    files = {"rt_tables": {"uplink": 200}, "rt_protos": {"mybgp": 201}}
    monkeypatch.setattr(rt_names, "names", lambda db, **kw: dict(files.get(db, {})))
    args = {"dst": "10.40.0.0/16", "gateway": "192.0.2.2", "table": "uplink", "protocol": "mybgp"}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert r["commands"] == ["ip -n %s route add 10.40.0.0/16 table 200 proto 201 via 192.0.2.2" % ns]
    assert r["routes"][0]["table"] == 200 and r["routes"][0]["protocol"] == 201
    assert "proto 201" in " ".join(route_line(ns, "10.40.0.0/16"))
    assert run_module(MOD, args, netns=ns)["changed"] is False
    r = run_module(MOD, dict(args, table="nosuch"), netns=ns)
    assert r.get("failed") and "table=nosuch" in r["msg"] and "uplink" in r["msg"], r


def test_many_routes_one_batch_then_noop(ns):
    routes = [{"dst": "10.%d.%d.0/24" % (100 + i // 256, i % 256), "gateway": "192.0.2.2"} for i in range(300)]
    routes += [{"dst": "2001:db8:%x::/48" % (0x100 + i), "gateway": "2001:db8::2"} for i in range(100)]
    r = run_module(MOD, {"routes": routes}, netns=ns)
    assert r["changed"] and r["write_requests"] == 400, r.get("msg")
    r = run_module(MOD, {"routes": routes}, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0


def test_defaults_from_top_level_options(ns):
    args = {"dev": "veth0", "table": 100, "metric": 5, "routes": [
        {"dst": "10.50.0.0/16", "gateway": "192.0.2.2"},
        {"dst": "10.51.0.0/16", "gateway": "198.51.100.2", "dev": "br0", "metric": 6},
        {"dst": "10.52.0.0/16", "type": "blackhole"}]}
    r = run_module(MOD, args, netns=ns)
    assert not r.get("failed"), r
    assert [c.split(" route ")[1] for c in r["commands"]] == [
        "add 10.50.0.0/16 table 100 metric 5 proto static via 192.0.2.2 dev veth0",
        "add 10.51.0.0/16 table 100 metric 6 proto static via 198.51.100.2 dev br0",
        "add blackhole 10.52.0.0/16 table 100 metric 5 proto static"]
    assert run_module(MOD, args, netns=ns)["changed"] is False


# -- changes in place -------------------------------------------------------

class Monitor:
    """``ip monitor route`` in the namespace while a block runs."""

    def __init__(self, ns):
        self.ns = ns

    def __enter__(self):
        self.proc = subprocess.Popen([IP, "-n", self.ns, "monitor", "route"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, universal_newlines=True)
        time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        time.sleep(0.3)
        self.proc.terminate()
        self.output = self.proc.communicate(timeout=10)[0]


IN_PLACE = [
    ("gateway", "route add 10.60.0.0/16 via 192.0.2.2 proto static",
     {"dst": "10.60.0.0/16", "gateway": "192.0.2.3"}, "via 192.0.2.3 dev veth0"),
    ("dev", "route add 10.60.0.0/16 dev veth0 proto static",
     {"dst": "10.60.0.0/16", "dev": "br0"}, "10.60.0.0/16 dev br0"),
    ("metrics", "route add 10.60.0.0/16 via 192.0.2.2 proto static mtu 1400",
     {"dst": "10.60.0.0/16", "gateway": "192.0.2.2", "mtu": 1300, "lock": ["mtu"]}, "mtu lock 1300"),
    ("multipath_to_single", "route add 10.60.0.0/16 proto static nexthop via 192.0.2.2 nexthop via 198.51.100.2",
     {"dst": "10.60.0.0/16", "gateway": "198.51.100.2"}, "10.60.0.0/16 via 198.51.100.2 dev br0"),
    ("single_to_multipath", "route add 10.60.0.0/16 via 192.0.2.2 proto static",
     {"dst": "10.60.0.0/16", "nexthops": [{"gateway": "192.0.2.2"}, {"gateway": "192.0.2.3", "weight": 5}]},
     "nexthop via 192.0.2.3 dev veth0 weight 5"),
    ("type", "route add 10.60.0.0/16 via 192.0.2.2 proto static",
     {"dst": "10.60.0.0/16", "type": "unreachable"}, "unreachable 10.60.0.0/16"),
    ("nhid", "route add 10.60.0.0/16 nhid 10 proto static", {"dst": "10.60.0.0/16", "nhid": 11}, "nhid 11"),
    ("v6_gateway", "-6 route add 2001:db8:60::/48 via 2001:db8::2 proto static",
     {"dst": "2001:db8:60::/48", "gateway": "2001:db8:2::2"}, "via 2001:db8:2::2 dev br0"),
    ("v6_multipath_weights", "-6 route add 2001:db8:60::/48 proto static nexthop via 2001:db8::2 dev veth0 "
     "nexthop via 2001:db8:2::2 dev br0",
     {"dst": "2001:db8:60::/48", "nexthops": [{"gateway": "2001:db8::2", "dev": "veth0", "weight": 4},
                                              {"gateway": "2001:db8:2::2", "dev": "br0"}]}, "weight 4"),
    ("v6_pref", "-6 route add 2001:db8:60::/48 via 2001:db8::2 proto static pref low",
     {"dst": "2001:db8:60::/48", "gateway": "2001:db8::2", "pref": "high"}, "pref high"),
]


@pytest.mark.parametrize("name,setup,args,word", IN_PLACE, ids=[c[0] for c in IN_PLACE])
def test_change_in_place_is_one_replace(ns, name, setup, args, word):
    run_ip(ns, *setup.split())
    r = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert r["changed"] and len(r["commands"]) == 1 and " route replace " in r["commands"][0], r
    assert r["diff"][0]["before"] and r["diff"][0]["after"]
    with Monitor(ns) as mon:
        r = run_module(MOD, args, netns=ns)
    assert r["changed"] and r["write_requests"] == 1, r
    assert "Deleted" not in mon.output, mon.output
    family = 6 if ":" in args["dst"] else 4
    assert word in " ".join(route_line(ns, args["dst"], family)), routes_text(ns)
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_present_leaves_what_it_is_not_given(ns):
    """Metrics, src and pref the task does not give stay as they are."""
    run_ip(ns, "route", "add", "10.61.0.0/16", "via", "192.0.2.2", "src", "192.0.2.1", "proto", "static",
           "mtu", "1400", "advmss", "1300")
    r = run_module(MOD, {"dst": "10.61.0.0/16", "gateway": "192.0.2.2", "advmss": 1200}, netns=ns)
    assert r["changed"] and r["commands"][0].endswith("src 192.0.2.1 mtu 1400 advmss 1200"), r["commands"]
    text = " ".join(route_line(ns, "10.61.0.0/16"))
    assert "mtu 1400" in text and "advmss 1200" in text and "src 192.0.2.1" in text


def test_v6_multipath_as_siblings_compares_unchanged(ns):
    """Hops given in another order, a hop added with ``ip route append``
    (an IPv6 sibling): the same ECMP set, no change."""
    run_ip(ns, "-6", "route", "add", "2001:db8:70::/48", "via", "2001:db8::2", "dev", "veth0", "proto", "static")
    run_ip(ns, "-6", "route", "append", "2001:db8:70::/48", "via", "2001:db8:2::2", "dev", "br0", "proto", "static")
    args = {"dst": "2001:db8:70::/48", "nexthops": [{"gateway": "2001:db8:2::2"}, {"gateway": "2001:db8::2"}]}
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    hops = r["routes"][0]["nexthops"]
    assert sorted(h["gateway"] for h in hops) == ["2001:db8:2::2", "2001:db8::2"]
    gathered = run_module(MOD, {"state": "gathered", "family": 6, "protocol": "static"}, netns=ns)["gathered"]
    again = run_module(MOD, {"routes": gathered}, netns=ns)
    assert again["changed"] is False and again["write_requests"] == 0, again


def test_a_route_of_another_protocol_is_not_taken_over(ns):
    """Same identity, protocol bgp: the task does not see it (its read is
    filtered on protocol static), the kernel refuses the add, nothing
    changes."""
    run_ip(ns, "route", "add", "10.62.0.0/16", "via", "192.0.2.3", "proto", "bgp")
    before = routes_text(ns)
    r = run_module(MOD, {"dst": "10.62.0.0/16", "gateway": "192.0.2.2"}, netns=ns)
    assert r.get("failed") and "File exists" in r["msg"], r
    assert r["undone"] is True and r["changed"] is False
    assert routes_text(ns) == before
    r = run_module(MOD, {"dst": "10.62.0.0/16", "state": "absent"}, netns=ns)
    assert r["changed"] is False and routes_text(ns) == before
    r = run_module(MOD, {"dst": "10.62.0.0/16", "gateway": "192.0.2.2", "protocol": "bgp"}, netns=ns)
    assert r["changed"] and " route replace " in r["commands"][0], r


def test_expires_second_run_keeps_the_countdown(ns):
    args = {"dst": "2001:db8:80::/48", "gateway": "2001:db8::2", "expires": 300}
    assert run_module(MOD, args, netns=ns)["changed"]
    time.sleep(1.1)
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    assert 290 <= r["routes"][0]["expires"] <= 300
    r = run_module(MOD, dict(args, expires=100), netns=ns)
    assert r["changed"] and "expires 100" in r["commands"][0], r


def test_gathered_filters_and_round_trip(ns, ip_batch):
    ip_batch(ns, ["route add 10.70.0.0/16 via 192.0.2.2 proto static",
                  "route add 10.71.0.0/16 via 198.51.100.2 proto bird table 100",
                  "route add 10.72.0.0/16 dev br0 proto static table 100 mtu lock 1300",
                  "route add 2001:db8:71::/48 via 2001:db8::2 proto static pref high"])
    r = run_module(MOD, {"state": "gathered", "table": 100}, netns=ns)
    assert not r.get("failed"), r
    dsts = sorted(g["dst"] for g in r["gathered"])
    assert dsts == ["10.71.0.0/16", "10.72.0.0/16"], r["gathered"]
    g = run_module(MOD, {"state": "gathered", "protocol": "static"}, netns=ns)["gathered"]
    assert sorted(x["dst"] for x in g) == ["10.70.0.0/16", "10.72.0.0/16", "2001:db8:71::/48"], g
    g = run_module(MOD, {"state": "gathered", "dev": "br0", "family": 4}, netns=ns)["gathered"]
    assert "10.72.0.0/16" in [x["dst"] for x in g] and all(x.get("dev") == "br0" for x in g), g
    g = run_module(MOD, {"state": "gathered", "family": "inet6", "table": "main"}, netns=ns)["gathered"]
    assert {"dst": "2001:db8:71::/48", "gateway": "2001:db8::2", "dev": "veth0", "pref": "high"} in g, g
    # every route of every table, fed back as input: nothing to change,
    # the kernel's own included (each link's fe80::/64 is its own route)
    everything = run_module(MOD, {"state": "gathered"}, netns=ns)["gathered"]
    assert sorted(x.get("dev") for x in everything if x["dst"] == "fe80::/64") == ["br0", "veth0", "veth1"]
    mine = [x for x in everything if x.get("protocol") != "kernel"]
    assert len(mine) == 4, mine
    assert len(everything) > len(mine) + 3, everything
    before = routes_text(ns)
    again = run_module(MOD, {"routes": everything}, netns=ns)
    assert again.get("changed") is False and again["write_requests"] == 0, again
    assert routes_text(ns) == before
    r = run_module(MOD, {"state": "gathered", "table": 4242}, netns=ns)
    assert r["gathered"] == [] and not r.get("failed"), r


# -- IPv6 routes that differ only by device ----------------------------------

V6DEV = "2001:db8:90::/64"
V6DEV_ROUTES = [{"dst": V6DEV, "dev": "veth0"}, {"dst": V6DEV, "dev": "br0"}]


def v6dev_routes(ns, dst=V6DEV):
    """The kernel's routes to ``dst``, by device (``ip -j -6 route show``)."""
    out = {}
    for r in run_ip_json(ns, "-6", "route", "show", "table", "all", dst):
        assert r["dev"] not in out, r
        out[r["dev"]] = r
    return out


def test_v6_device_routes_differing_by_device_are_two_routes(ns):
    r = run_module(MOD, {"routes": V6DEV_ROUTES}, check=True, netns=ns)
    assert r["changed"] and r["write_requests"] == 0 and v6dev_routes(ns) == {}, r
    r = run_module(MOD, {"routes": V6DEV_ROUTES}, netns=ns)
    assert r["changed"] and not r.get("failed") and r["write_requests"] == 2, r
    assert [c.split(" route ")[1] for c in r["commands"]] == [
        "append %s proto static dev veth0" % V6DEV, "append %s proto static dev br0" % V6DEV]
    assert sorted(v6dev_routes(ns)) == ["br0", "veth0"]
    assert sorted(x["dev"] for x in r["routes"]) == ["br0", "veth0"], r["routes"]
    r = run_module(MOD, {"routes": V6DEV_ROUTES}, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r

    gone = dict(V6DEV_ROUTES[0], state="absent")
    r = run_module(MOD, gone, netns=ns)
    assert r["changed"] and r["write_requests"] == 1, r
    assert r["commands"] == ["ip -n %s -6 route del %s dev veth0" % (ns, V6DEV)]
    assert sorted(v6dev_routes(ns)) == ["br0"]
    r = run_module(MOD, gone, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r
    assert sorted(v6dev_routes(ns)) == ["br0"]


def test_v6_device_route_absent_without_dev_takes_every_device(ns):
    assert run_module(MOD, {"routes": V6DEV_ROUTES}, netns=ns)["write_requests"] == 2
    r = run_module(MOD, {"dst": V6DEV, "state": "absent"}, netns=ns)
    assert r["changed"] and r["write_requests"] == 2, r
    assert v6dev_routes(ns) == {}


def test_v6_device_route_update_leaves_the_other_devices_route(ns):
    assert run_module(MOD, {"routes": V6DEV_ROUTES}, netns=ns)["write_requests"] == 2
    other = v6dev_routes(ns)["veth0"]
    args = dict(V6DEV_ROUTES[1], mtu=1300, pref="high")
    r = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert r["changed"] and r["write_requests"] == 0, r
    assert [c.split(" route ")[1] for c in r["commands"]] == [
        "del %s dev br0" % V6DEV, "append %s proto static dev br0 pref high mtu 1300" % V6DEV], r["commands"]
    assert any("deleted and appended again" in str(d) for d in r["diff"]), r["diff"]
    with Monitor(ns) as mon:
        r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed") and r["write_requests"] == 2, r
    assert "dev veth0" not in mon.output, mon.output
    now = v6dev_routes(ns)
    assert now["veth0"] == other
    assert now["br0"].get("pref") == "high" and now["br0"]["metrics"] == [{"mtu": 1300}], now["br0"]
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_v6_device_routes_kernel_refusal_undoes_everything(ns, monkeypatch):
    """A plan that updates one device route (delete + append), appends
    another beside it and adds a third route; a refusal at each of its
    requests leaves the namespace as it was."""
    run_ip(ns, "-6", "route", "append", V6DEV, "dev", "veth0", "proto", "static", "mtu", "1400")
    routes = [dict(V6DEV_ROUTES[0], mtu=1300), V6DEV_ROUTES[1], {"dst": "2001:db8:91::/64", "dev": "br0"}]
    before = snapshot(ns)
    planned = run_module(MOD, {"routes": routes}, check=True, netns=ns)
    assert len(planned["commands"]) == 4, planned["commands"]
    for k in range(4):
        with monkeypatch.context() as m:
            faults.inject(m, lambda n, req, k=k: n == k)
            r = run_module(MOD, {"routes": routes}, netns=ns)
        assert r.get("failed") and r["undone"] is True and r["undo_failures"] == [], (k, r)
        assert_same(before, snapshot(ns))
    r = run_module(MOD, {"routes": routes}, netns=ns)
    assert r["changed"] and r["write_requests"] == 4, r
    assert v6dev_routes(ns)["veth0"]["metrics"] == [{"mtu": 1300}]


def test_v6_device_route_and_gateway_route_take_each_others_place(ns):
    """A gateway route and a device route of one destination and metric
    cannot both be there (only device routes stay side by side): the new
    one replaces the old one, deleted first, as a replace did."""
    run_ip(ns, "-6", "route", "add", V6DEV, "via", "2001:db8::2", "proto", "static")
    r = run_module(MOD, V6DEV_ROUTES[1], netns=ns)
    assert r["changed"] and r["write_requests"] == 2 and " route del " in r["commands"][0], r
    assert sorted(v6dev_routes(ns)) == ["br0"] and "gateway" not in v6dev_routes(ns)["br0"]
    r = run_module(MOD, {"dst": V6DEV, "gateway": "2001:db8::2"}, netns=ns)
    assert r["changed"] and r["write_requests"] == 2, r
    assert v6dev_routes(ns)["veth0"]["gateway"] == "2001:db8::2" and list(v6dev_routes(ns)) == ["veth0"]


def test_v6_device_route_commands_replay_with_ip(netns_factory, ip_batch):
    mine, theirs = netns_factory(), netns_factory()
    for ns_ in (mine, theirs):
        setup_ns(ns_, ip_batch)
    tasks = [{"routes": V6DEV_ROUTES + [{"dst": "2001:db8:92::/64", "dev": "veth0", "metric": 5}]},
             dict(V6DEV_ROUTES[1], mtu=1300, pref="low"),
             dict(V6DEV_ROUTES[0], state="absent"),
             {"dst": "2001:db8:92::/64", "dev": "br0", "metric": 5}]
    prefix = "ip -n %s " % mine
    for args in tasks:
        r = run_module(MOD, args, netns=mine)
        assert r["changed"] and not r.get("failed"), r
        for cmd in r["commands"]:
            assert cmd.startswith(prefix), cmd
            run_ip(theirs, *shlex.split(cmd[len(prefix):]))

    def state(ns_):
        return sorted((r for r in run_ip_json(ns_, "-6", "route", "show", "table", "all")
                       if r.get("protocol") != "kernel"), key=repr)
    assert state(mine) == state(theirs)
    assert len([r for r in state(mine) if r["dst"] in (V6DEV, "2001:db8:92::/64")]) == 3, state(mine)


@pytest.mark.parametrize("old,new", [
    ({"dst": V6DEV, "dev": "veth0"}, {"dst": V6DEV, "gateway": "2001:db8::2"}),
    ({"dst": V6DEV, "gateway": "2001:db8::2"}, {"dst": V6DEV, "dev": "br0"}),
], ids=["device-to-gateway", "gateway-to-device"])
def test_v6_absent_route_makes_room_for_a_new_one_at_its_place(ns, old, new):
    """One task removes a route (state absent) and adds another at the same
    destination and metric that the kernel will not keep beside it: the
    delete runs first, whatever the order of the list."""
    assert run_module(MOD, old, netns=ns)["write_requests"] == 1
    routes = [new, dict(old, state="absent")]
    r = run_module(MOD, {"routes": routes}, check=True, netns=ns)
    assert [c.split(" route ")[1].split()[0] for c in r["commands"]] == ["del", "add" if "gateway" in new else "append"], r
    r = run_module(MOD, {"routes": routes}, netns=ns)
    assert r["changed"] and not r.get("failed") and r["write_requests"] == 2, r
    now = v6dev_routes(ns)
    assert list(now) == [new.get("dev", "veth0")] and now[list(now)[0]].get("gateway") == new.get("gateway"), now
    r = run_module(MOD, {"routes": routes}, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_v6_absent_device_route_beside_a_new_one_goes_after_it(ns):
    """Two device routes do stay side by side: the new one is appended
    before the old one goes (make before break)."""
    assert run_module(MOD, V6DEV_ROUTES[0], netns=ns)["write_requests"] == 1
    routes = [dict(V6DEV_ROUTES[0], state="absent"), V6DEV_ROUTES[1]]
    r = run_module(MOD, {"routes": routes}, netns=ns)
    assert [c.split(" route ")[1] for c in r["commands"]] == [
        "append %s proto static dev br0" % V6DEV, "del %s dev veth0" % V6DEV], r["commands"]
    assert sorted(v6dev_routes(ns)) == ["br0"]


def test_a_refused_task_reports_only_the_requests_sent(ns, monkeypatch):
    """When the kernel refuses a request, ``commands``, the diff and
    ``write_requests`` say what reached the kernel: the delete of a later
    stage, never sent, is not listed as if it had been."""
    run_ip(ns, "route", "add", "203.0.113.0/24", "via", "192.0.2.2", "proto", "static")
    args = {"routes": [{"dst": "203.0.113.0/24", "state": "absent"}, {"dst": "192.0.2.128/25", "dev": "veth0"}]}
    planned = run_module(MOD, args, check=True, diff=True, netns=ns)
    assert [c.split(" route ")[1].split()[0] for c in planned["commands"]] == ["add", "del"], planned["commands"]
    assert len(planned["diff"]) == 2, planned["diff"]
    before = snapshot(ns)
    with monkeypatch.context() as m:
        faults.inject(m, lambda n, req: n == 0)
        r = run_module(MOD, args, diff=True, netns=ns)
    assert r.get("failed") and r["undone"] is True and r["changed"] is False, r
    assert len(r["commands"]) == 1 and r["commands"][0].startswith(planned["commands"][0] + "  # refused: "), r["commands"]
    assert r["diff"] == planned["diff"][:1], r["diff"]
    assert r["write_requests"] == 1, r
    assert_same(before, snapshot(ns))
