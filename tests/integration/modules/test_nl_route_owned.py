"""nl_route: what a task owns and what it never touches.  ``replaced``
removes only static routes of the tables it names; a refused route in the
middle of a list leaves nothing behind; a route with encapsulation is not
stripped; bad input changes nothing; the EXAMPLES run; ``commands``
replayed with ``ip -batch`` in a fresh namespace give the same routes.
"""
import shlex

import pytest
import yaml

from ansible_collections.netlink.host.plugins.modules import nl_route
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples
from ansible_collections.netlink.host.tests.integration import faults
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot
from test_nl_route import setup_ns

MOD = "nl_route"
run_module = None


@pytest.fixture(autouse=True)
def _helpers(request):
    global run_module
    run_module = request.getfixturevalue("run_module")


FOREIGN = [
    "route add 10.20.0.0/16 via 192.0.2.2 table 100 proto static metric 10",   # key changes below
    "route add 10.21.0.0/16 via 192.0.2.2 table 100 proto static",             # not listed: goes
    "route add 10.22.0.0/16 via 192.0.2.2 table 100 proto bird",
    "route add 10.23.0.0/16 via 192.0.2.2 table 100 proto bgp",
    "route add 10.24.0.0/16 via 192.0.2.2 table 100 proto boot",
    "route add 10.25.0.0/16 via 192.0.2.2 table 100 proto dhcp",
    "route add 10.26.0.0/16 via 192.0.2.2 table 100 proto zebra",
    "route add 10.27.0.0/16 dev veth0 table 100 proto kernel scope link",
    "route add 10.28.0.0/16 via 192.0.2.2 proto static",                       # table main: not named
    "route add 10.29.0.0/16 via 192.0.2.2 table 100 proto static encap ip id 7 dst 192.0.2.9",  # goes, undo keeps encap
    "route add 2001:db8:20::/48 via 2001:db8::2 table 100 proto static",       # IPv6 static: goes
    "route add 2001:db8:21::/48 via 2001:db8::2 table 100 proto ra",
]

REPLACED = {"state": "replaced", "table": 100, "routes": [
    {"dst": "10.20.0.0/16", "gateway": "192.0.2.2", "metric": 20},      # new identity: add + delete
    {"dst": "10.30.0.0/16", "gateway": "198.51.100.2"},                # new
    {"dst": "default", "gateway": "192.0.2.3"},                        # new
    {"dst": "2001:db8:22::/48", "gateway": "2001:db8:2::2"},           # new
]}


@pytest.fixture
def ns(netns, ip_batch):
    setup_ns(netns, ip_batch)
    ip_batch(netns, FOREIGN)
    settle(netns)
    return netns


def static_in(ns, ip_json, table):
    return sorted((r["dst"], r.get("metric", 0)) for fam in ("-4", "-6")
                  for r in ip_json(ns, fam, "route", "show", "table", str(table)) if r.get("protocol") == "static")


def test_replaced_removes_only_static_routes_of_named_tables(ns, ip_json):
    before = snapshot(ns)
    r = run_module(MOD, REPLACED, check=True, diff=True, netns=ns)
    assert r["changed"] and r["write_requests"] == 0, r
    assert_same(before, snapshot(ns))
    cmds = [c.split(" route ", 1)[1] for c in r["commands"]]
    assert cmds[:4] == ["add 10.20.0.0/16 table 100 metric 20 proto static via 192.0.2.2",
                        "add 10.30.0.0/16 table 100 proto static via 198.51.100.2",
                        "add default table 100 proto static via 192.0.2.3",
                        "add 2001:db8:22::/48 table 100 proto static via 2001:db8:2::2"], cmds
    assert sorted(cmds[4:]) == ["del 10.20.0.0/16 table 100 metric 10", "del 10.21.0.0/16 table 100",
                                "del 10.29.0.0/16 table 100", "del 2001:db8:20::/48 table 100"], cmds
    notes = [d["before_header"] for d in r["diff"] if "re-created" in d["before_header"]]
    assert len(notes) == 2 and all("metric 10 -> 20" in n for n in notes), r["diff"]

    r = run_module(MOD, REPLACED, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert static_in(ns, ip_json, 100) == sorted([("10.20.0.0/16", 20), ("10.30.0.0/16", 0), ("default", 0),
                                                  ("2001:db8:22::/48", 1024)])
    after = {(r["dst"], r.get("protocol", "boot")) for fam in ("-4", "-6")
             for r in ip_json(ns, fam, "route", "show", "table", "100")}
    for proto, dst in (("bird", "10.22.0.0/16"), ("bgp", "10.23.0.0/16"), ("boot", "10.24.0.0/16"),
                       ("dhcp", "10.25.0.0/16"), ("zebra", "10.26.0.0/16"), ("kernel", "10.27.0.0/16"),
                       ("ra", "2001:db8:21::/48")):
        assert (dst, proto) in after, (dst, proto, after)
    assert ("10.28.0.0/16", 0) in static_in(ns, ip_json, "main")
    r = run_module(MOD, REPLACED, netns=ns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_replaced_with_no_routes_empties_the_tables_static_routes(ns, ip_json):
    r = run_module(MOD, {"state": "replaced", "table": 100, "routes": []}, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert static_in(ns, ip_json, 100) == []
    assert len(ip_json(ns, "route", "show", "table", "100")) == 6  # bird bgp boot dhcp zebra kernel


def test_refused_route_in_the_middle_leaves_nothing_behind(ns):
    """The kernel's own refusal (a gateway no link reaches) at the second
    of three adds: the first is undone, the task fails with the kernel's
    message."""
    before = snapshot(ns)
    args = {"routes": [{"dst": "10.40.0.0/16", "gateway": "192.0.2.2"},
                       {"dst": "10.41.0.0/16", "gateway": "203.0.113.1"},
                       {"dst": "10.42.0.0/16", "gateway": "192.0.2.2"}]}
    r = run_module(MOD, args, netns=ns)
    assert r.get("failed") and r["undone"] is True and r["changed"] is False, r
    assert "10.41.0.0/16" in r["msg"] and "Nexthop has invalid gateway" in r["msg"], r["msg"]
    assert "undone" in r["msg"]
    assert_same(before, snapshot(ns))


def test_refusal_at_every_position_of_a_replaced_plan_is_undone(ns, monkeypatch):
    """Adds, an in-place replace and deletes (one with encapsulation): a
    refusal at each request leaves the namespace exactly as it was."""
    args = dict(REPLACED, routes=REPLACED["routes"] + [
        {"dst": "10.22.0.0/16", "gateway": "198.51.100.2", "protocol": "bird"}])  # replace in place
    before = snapshot(ns)
    n = len(run_module(MOD, args, check=True, netns=ns)["commands"])
    assert n == 9
    for k in range(n):
        with monkeypatch.context() as m:
            faults.inject(m, lambda i, req, k=k: i == k)
            r = run_module(MOD, args, netns=ns)
        assert r.get("failed") and r["undone"] is True and r["changed"] is False, (k, r)
        assert_same(before, snapshot(ns))
    r = run_module(MOD, args, netns=ns)
    assert r["changed"] and not r.get("failed"), r


def test_encapsulated_route_is_not_stripped(ns, ip):
    line = " ".join(ip(ns, "route", "show", "table", "100", "10.29.0.0/16").split())
    assert "encap ip id 7" in line
    before = snapshot(ns)
    r = run_module(MOD, {"dst": "10.29.0.0/16", "gateway": "192.0.2.3", "table": 100}, netns=ns)
    assert r.get("failed") and "encapsulation" in r["msg"] and "ip" in r["msg"], r
    assert_same(before, snapshot(ns))
    # described as it is (same gateway): nothing to change, nothing refused
    r = run_module(MOD, {"dst": "10.29.0.0/16", "gateway": "192.0.2.2", "table": 100}, netns=ns)
    assert r["changed"] is False and r["routes"][0]["encap"] == "ip", r
    g = run_module(MOD, {"state": "gathered", "table": 100, "protocol": "static"}, netns=ns)["gathered"]
    assert {"dst": "10.29.0.0/16", "gateway": "192.0.2.2", "dev": "veth0", "table": 100, "encap": "ip"} in g, g
    # gathered is input: fed back, the encapsulated route matches itself
    r = run_module(MOD, {"routes": [dict(x) for x in g]}, netns=ns)
    assert r.get("failed") is not True and r["changed"] is False and r["write_requests"] == 0, r
    assert_same(before, snapshot(ns))
    # ... but says the encapsulation is not made or changed here
    other = [dict(x, encap="ip6") if x["dst"] == "10.29.0.0/16" else x for x in g]
    r = run_module(MOD, {"routes": other}, netns=ns)
    assert r.get("failed") and "encap=ip6" in r["msg"] and "holds ip" in r["msg"], r
    assert_same(before, snapshot(ns))
    r = run_module(MOD, {"dst": "10.29.0.0/16", "table": 100, "state": "absent"}, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert ip(ns, "route", "show", "table", "100", "10.29.0.0/16").strip() == ""


# -- bad input --------------------------------------------------------------

BAD = [
    ("no_dst", {"gateway": "192.0.2.2"}, ["dst"]),
    ("bad_dst", {"dst": "10.0.0.300/8", "gateway": "192.0.2.2"}, ["dst", "10.0.0.300/8"]),
    ("host_bits", {"dst": "10.0.0.1/8", "gateway": "192.0.2.2"}, ["dst=10.0.0.1/8", "10.0.0.0/8"]),
    ("bad_gateway", {"dst": "10.0.0.0/8", "gateway": "192.0.2.x"}, ["gateway=192.0.2.x"]),
    ("v6_via_v4", {"dst": "2001:db8::/32", "gateway": "192.0.2.2"}, ["gateway=192.0.2.2", "IPv6"]),
    ("src_family", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "src": "2001:db8::1"}, ["src=2001:db8::1"]),
    ("unknown_table", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "table": "nosuchtable"},
     ["table=nosuchtable"]),
    ("table_zero", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "table": 0}, ["table=0"]),
    ("unknown_protocol", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "protocol": "nosuchproto"},
     ["protocol=nosuchproto"]),
    ("protocol_range", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "protocol": 300}, ["protocol=300"]),
    ("bad_type", {"dst": "10.0.0.0/8", "type": "wormhole"}, ["type", "wormhole"]),
    ("blackhole_with_gateway", {"dst": "10.0.0.0/8", "type": "blackhole", "gateway": "192.0.2.2"},
     ["gateway=192.0.2.2", "blackhole"]),
    ("unicast_no_path", {"dst": "10.0.0.0/8"}, ["dst=10.0.0.0/8", "gateway"]),
    ("local_no_dev", {"dst": "10.0.0.1", "type": "local"}, ["dev", "local"]),
    ("scope_v6", {"dst": "2001:db8::/32", "gateway": "2001:db8::2", "scope": "link"}, ["scope=link", "IPv4"]),
    ("bad_scope", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "scope": "galactic"}, ["scope=galactic"]),
    ("pref_v4", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "pref": "high"}, ["pref=high", "IPv6"]),
    ("expires_v4", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "expires": 30}, ["expires=30", "IPv6"]),
    ("expires_zero", {"dst": "2001:db8::/32", "gateway": "2001:db8::2", "expires": 0}, ["expires=0"]),
    ("tos_v6", {"dst": "2001:db8::/32", "gateway": "2001:db8::2", "tos": 4}, ["tos=4"]),
    ("metric_negative", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "metric": -1}, ["metric=-1"]),
    ("onlink_no_gateway", {"dst": "10.0.0.0/8", "dev": "veth0", "onlink": True}, ["onlink"]),
    ("nhid_and_dev", {"dst": "10.0.0.0/8", "nhid": 10, "dev": "veth0"}, ["nhid=10"]),
    ("hop_without_gateway_or_dev", {"dst": "10.0.0.0/8", "nexthops": [{"weight": 2}, {"gateway": "192.0.2.2"}]},
     ["nexthops[0]"]),
    ("hop_weight", {"dst": "10.0.0.0/8", "nexthops": [{"gateway": "192.0.2.2", "weight": 300},
                                                      {"gateway": "192.0.2.3"}]}, ["nexthops[0].weight=300"]),
    ("lock_unknown", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "mtu": 1400, "lock": ["mtu", "speed"]},
     ["lock", "speed"]),
    ("lock_not_given", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "lock": ["mtu"]}, ["lock", "mtu"]),
    ("features", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "features": ["sack"]}, ["features", "sack"]),
    ("hoplimit", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "hoplimit": 256}, ["hoplimit=256"]),
    ("congctl_long", {"dst": "10.0.0.0/8", "gateway": "192.0.2.2", "congctl": "x" * 20}, ["congctl"]),
    ("bad_item_in_middle", {"routes": [{"dst": "10.1.0.0/16", "gateway": "192.0.2.2"},
                                       {"dst": "10.2.0.0/16", "gateway": "nope"},
                                       {"dst": "10.3.0.0/16", "gateway": "192.0.2.2"}]},
     ["routes[1].gateway=nope"]),
    ("unknown_item_key", {"routes": [{"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "via": "x"}]},
     ["routes[0]", "via"]),
    ("item_state", {"routes": [{"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "state": "replaced"}]},
     ["routes[0].state=replaced"]),
    ("listed_twice", {"routes": [{"dst": "10.1.0.0/16", "gateway": "192.0.2.2"},
                                 {"dst": "10.1.0.0/16", "gateway": "192.0.2.3"}]}, ["routes[1].dst", "twice"]),
    ("dst_and_routes", {"dst": "10.1.0.0/16", "routes": []}, ["dst", "routes"]),
    ("top_gateway_with_routes", {"gateway": "192.0.2.2", "routes": [{"dst": "10.1.0.0/16", "dev": "veth0"}]},
     ["gateway=192.0.2.2"]),
    ("missing_dev", {"dst": "10.0.0.0/8", "dev": "nosuchdev"}, ["dev=nosuchdev"]),
    ("bad_dev_name", {"dst": "10.0.0.0/8", "dev": "a/b"}, ["dev=a/b"]),
    ("replaced_nothing_named", {"state": "replaced", "routes": []}, ["replaced"]),
    ("gathered_with_dst", {"state": "gathered", "dst": "10.0.0.0/8"}, ["dst", "gathered"]),
    ("gathered_unknown_dev", {"state": "gathered", "dev": "nosuchdev"}, ["dev=nosuchdev"]),
    ("encap_in_input", {"routes": [{"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "encap": "mpls"}]},
     ["route 10.1.0.0/16", "encap=mpls", "does not model", "holds none"]),
    ("encap_unknown", {"routes": [{"dst": "10.1.0.0/16", "gateway": "192.0.2.2", "encap": "teapot"}]},
     ["routes[0].encap", "teapot"]),
    ("family_word", {"dst": "default", "family": "ipx", "type": "unreachable"}, ["family=ipx"]),
    ("nothing", {}, ["dst or routes"]),
]


@pytest.mark.parametrize("name,args,words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_changes_nothing(ns, name, args, words):
    before = snapshot(ns)
    r = run_module(MOD, args, netns=ns)
    assert r.get("failed"), r
    for w in words:
        assert w in r["msg"], (w, r["msg"])
    assert r.get("write_requests", 0) == 0
    assert_same(before, snapshot(ns))


# -- the documentation's EXAMPLES run ---------------------------------------

def test_examples_run(netns, ip_batch, tmp_path):
    setup_ns(netns, ip_batch)
    tasks = yaml.safe_load(nl_route.EXAMPLES)
    assert len(tasks) >= 6
    examples = Examples()
    for task in tasks:
        args, fed_back = examples.args(task, MOD)
        if "gathered_file" in args:
            args["gathered_file"] = str(tmp_path / "gathered.json")  # never the machine's own files
        r = run_module(MOD, args, netns=netns)
        examples.keep(task, r)
        assert not r.get("failed"), (task["name"], r)
        if fed_back:  # gathered output as input: nothing to do
            assert r["changed"] is False and r["write_requests"] == 0, (task["name"], r)
            continue
        if args.get("state") == "gathered":
            assert r.get("gathered") or r.get("gathered_count"), task["name"]
            continue
        assert r["changed"], task["name"]
        again = run_module(MOD, args, netns=netns)
        assert again["changed"] is False and again["write_requests"] == 0, (task["name"], again)


# -- commands replayed with ip ------------------------------------------------

REPLAY_TASKS = [
    {"routes": [dict(f[1]) for f in __import__("test_nl_route").FEATURES if f[0] not in ("protocol_number",)]},
    {"state": "replaced", "table": 100, "routes": [{"dst": "10.5.0.0/16", "gateway": "198.51.100.2"}]},
    {"dst": "10.10.0.0/16", "gateway": "192.0.2.3", "mtu": 1300},
    {"dst": "2001:db8:13::/48", "nexthops": [{"gateway": "2001:db8::2", "weight": 5},
                                             {"gateway": "2001:db8:2::2"}]},
    {"dst": "10.1.0.0/16", "state": "absent"},
]


def routes_state(ns, ip_json):
    """Every route but the kernel's own (their link-local addresses are
    random per namespace) and the expiring one's countdown."""
    out = []
    for fam in ("-4", "-6"):
        for r in ip_json(ns, fam, "route", "show", "table", "all"):
            r.pop("expires", None)
            if r.get("protocol") != "kernel":
                out.append(r)
    return sorted(out, key=repr)


def test_commands_replayed_with_ip_give_the_same_routes(netns_factory, ip_batch, ip_json, ip):
    """Each command run as printed, but in the other namespace (one ``ip``
    each: ``ip -batch`` takes no ``-6``, which IPv6 commands without an
    address need)."""
    mine, theirs = netns_factory(), netns_factory()
    for ns in (mine, theirs):
        setup_ns(ns, ip_batch)
    replayed = 0
    for args in REPLAY_TASKS:
        r = run_module(MOD, args, netns=mine)
        assert r["changed"] and not r.get("failed"), r
        prefix = "ip -n %s " % mine
        for cmd in r["commands"]:
            assert cmd.startswith(prefix), cmd
            ip(theirs, *shlex.split(cmd[len(prefix):]))
            replayed += 1
    assert replayed >= len(REPLAY_TASKS[0]["routes"]) + 4
    assert routes_state(mine, ip_json) == routes_state(theirs, ip_json)
