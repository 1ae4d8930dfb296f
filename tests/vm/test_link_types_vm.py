"""nl_link for the link types of the link-type table that the host kernel
lacks: gre, gretap, ip6gre, ip6gretap, ipip, sit, ip6tnl, geneve, ipvlan and
xfrm interfaces, on the VM tier's stock kernels.

For each type: create it with settings (check mode plans it, the run makes
it, a second run changes nothing), read it back, change its mutable
settings in place (same ifindex), refuse an immutable change without
``recreate``, replay the module's ``commands`` with ``ip`` in a fresh
namespace and compare ``ip -d -j link`` of both, then delete it.

The in-place step changes every setting the table marks mutable: a setting
the kernel silently keeps would fail the read-back, which is how the
table's ``mutable`` marks were measured.
"""
import pytest

PARENT = {"name": "d0", "kind": "dummy", "state": "up"}

# type, its settings on create, the mutable settings changed in place,
# an immutable change (or None), spot checks of `ip -d -j` info_data
CASES = [
    ("gre", {"remote": "192.0.2.2", "local": "192.0.2.1", "ttl": 10, "tos": 0x10, "key": 5, "dev": "d0"},
     {"remote": "192.0.2.3", "ttl": 20, "tos": 0x20, "ikey": 6, "okey": 7, "local": "192.0.2.9"},
     None, {"remote": "192.0.2.2", "local": "192.0.2.1", "ttl": 10, "link": "d0"}),
    ("gretap", {"remote": "192.0.2.2", "local": "192.0.2.1", "ttl": 64, "ikey": 1, "okey": 2},
     {"ttl": 32, "okey": 3, "remote": "192.0.2.4"},
     None, {"remote": "192.0.2.2", "ttl": 64}),
    ("ip6gre", {"remote": "2001:db8::2", "local": "2001:db8::1", "ttl": 30, "tclass": 0x28, "flowlabel": 0x12345,
                "encaplimit": 2, "key": 9},
     {"ttl": 40, "tclass": 0x10, "flowlabel": 0x1, "encaplimit": 5, "remote": "2001:db8::3"},
     None, {"remote": "2001:db8::2", "local": "2001:db8::1"}),
    ("ip6gretap", {"remote": "2001:db8::2", "local": "2001:db8::1", "dev": "d0"},
     {"ttl": 10, "ikey": 4},
     None, {"remote": "2001:db8::2", "link": "d0"}),
    ("ipip", {"remote": "192.0.2.2", "local": "192.0.2.1", "ttl": 0, "pmtudisc": False, "mode": "ipip"},
     {"remote": "192.0.2.5", "tos": 0x8},
     {"mode": "any"}, {"remote": "192.0.2.2", "local": "192.0.2.1", "proto": "ipip"}),
    ("sit", {"remote": "192.0.2.2", "local": "192.0.2.1", "ttl": 64, "mode": "ip6ip"},
     {"ttl": 100, "remote": "192.0.2.6"},
     {"mode": "any"}, {"remote": "192.0.2.2", "proto": "ip6ip"}),
    ("ip6tnl", {"remote": "2001:db8::2", "local": "2001:db8::1", "mode": "ip6ip6", "ttl": 20, "tclass": 0x28,
                "flowlabel": 0xabc, "encaplimit": 0, "dev": "d0"},
     {"mode": "any", "ttl": 25, "tclass": 0x4, "flowlabel": 0x5, "encaplimit": 3, "remote": "2001:db8::4"},
     None, {"remote": "2001:db8::2", "proto": "ip6ip6", "link": "d0"}),
    ("geneve", {"id": 100, "remote": "192.0.2.2", "ttl": 10, "tos": 0x10, "dstport": 6082},
     {"ttl": 20, "tos": 0x20, "remote": "192.0.2.3"},
     {"id": 101}, {"id": 100, "remote": "192.0.2.2", "ttl": 10, "port": 6082}),
    ("ipvlan", {"mode": "l2", "flags": "private"},
     {"mode": "l3", "flags": "vepa"},
     None, {"mode": "l2", "private": True}),
    ("xfrm", {"if_id": 42, "dev": "d0"},
     {"if_id": 43},
     None, {"if_id": "0x2a"}),
]


def converge(run_module, ns, args):
    r = run_module("nl_link", args, check=True, diff=True, netns=ns.name)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 0 and r["diff"]
    r1 = run_module("nl_link", args, netns=ns.name)
    assert r1.get("failed") is not True, r1
    assert r1["changed"] is True and r1["commands"] == r["commands"]
    r2 = run_module("nl_link", args, netns=ns.name)
    assert r2.get("failed") is not True, r2
    assert r2["changed"] is False and r2["write_requests"] == 0, r2["commands"]
    return r1


VOLATILE = ("ifindex", "link_index", "address", "broadcast", "permaddr", "stats", "stats64", "operstate", "carrier_changes",
            "carrier_up_count", "carrier_down_count", "linkinfo_xstats", "inet6_addr_gen_mode", "addr_info")


def details(ns, names):
    """`ip -d -j link` of links ``names`` of a namespace, without what
    differs between two namespaces built the same way (indexes, random
    MACs and the random permanent address of ip6 tunnels, counters).  The tunnel modules' fallback devices (gre0, ip6tnl0,
    ...) are left out: each namespace gets its own."""
    out = {}
    for link in ns.ip_json("-d", "link", "show"):
        if link["ifname"] not in names:
            continue
        out[link["ifname"]] = dict((k, v) for k, v in link.items() if k not in VOLATILE)
    return out


def replay(commands, src, dst):
    for line in commands:
        for cmd in line.split(" && "):
            words = cmd.split()
            assert words[:3] == ["ip", "-n", src.name], cmd
            dst.ip(*words[3:])


@pytest.mark.parametrize("kind,create,change,immutable,spot", CASES, ids=[c[0] for c in CASES])
def test_link_type(netns_factory, run_module, kind, create, change, immutable, spot):
    ns, fresh = netns_factory(), netns_factory()
    name = kind + "1"
    item = {"name": name, "kind": kind, "state": "up", kind: create}
    if kind == "ipvlan":
        item["link"] = "d0"
    commands = converge(run_module, ns, {"links": [PARENT, item]})["commands"]
    if kind in ("xfrm", "ip6tnl", "ip6gretap", "gre"):
        assert ns.link(name)["link"] == "d0"  # its dev is the link's iflink
    info = ns.link(name)["linkinfo"]
    assert info["info_kind"] == kind
    for key, want in spot.items():
        assert info["info_data"].get(key) == want, (key, info["info_data"])
    got = dict((l["name"], l) for l in run_module("nl_link", {"state": "gathered"}, netns=ns.name)["gathered"])
    for key, want in create.items():
        if key == "key":
            assert got[name][kind]["ikey"] == want and got[name][kind]["okey"] == want
        else:
            assert got[name][kind][key] == want, (key, got[name][kind])

    # every mutable setting changed in place: same ifindex, all read back
    index = ns.link(name)["ifindex"]
    commands += converge(run_module, ns, {"name": name, kind: change})["commands"]
    assert ns.link(name)["ifindex"] == index
    got = dict((l["name"], l) for l in run_module("nl_link", {"state": "gathered"}, netns=ns.name)["gathered"])
    for key, want in change.items():
        assert got[name][kind][key] == want, (key, got[name][kind])

    if immutable:
        r = run_module("nl_link", {"name": name, kind: immutable}, netns=ns.name)
        key = sorted(immutable)[0]
        assert r.get("failed") and "%s.%s" % (kind, key) in r["msg"] and "recreate" in r["msg"], r

    # the commands, run by iproute2 in a fresh namespace, make the same links
    replay(commands, ns, fresh)
    want, have = details(ns, ("d0", name)), details(fresh, ("d0", name))
    for link in want:
        diff = dict((k, (want[link].get(k), have[link].get(k))) for k in set(want[link]) | set(have[link])
                    if want[link].get(k) != have[link].get(k))
        assert not diff, (link, diff)
    assert sorted(want) == sorted(have) == ["d0", name]

    converge(run_module, ns, {"name": name, "state": "absent"})
    assert name not in [l["ifname"] for l in ns.ip_json("link", "show")]


def test_geneve_id_and_port_need_recreate(netns, run_module):
    run_module("nl_link", {"name": "gnv0", "kind": "geneve", "geneve": {"id": 1, "remote": "192.0.2.1"}},
               netns=netns.name)
    for block in ({"id": 2}, {"dstport": 7000}):
        r = run_module("nl_link", {"name": "gnv0", "geneve": dict(block, remote="192.0.2.1")}, netns=netns.name)
        assert r.get("failed"), r
    r = run_module("nl_link", {"name": "gnv0", "kind": "geneve", "geneve": {"id": 2, "remote": "192.0.2.1"},
                               "recreate": True}, netns=netns.name)
    assert r.get("failed") is not True and netns.link("gnv0")["linkinfo"]["info_data"]["id"] == 2
