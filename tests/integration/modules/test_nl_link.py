"""nl_link against the host kernel, in throwaway namespaces.

Every feature: check mode reports changed and leaves the kernel alone; the
real run changes it (read back with ``ip -j``, an independent client); the
second run reports no change and sends no write request; ``--diff`` shows
before/after; ``state: absent`` removes it.
"""
import pytest
import yaml

from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Request
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.modules import nl_link
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples


def links(ip_json, ns):
    return dict((l["ifname"], l) for l in ip_json(ns, "-d", "link", "show"))


def snapshot(ip_json, ns):
    """Everything a failed task must leave as it found it."""
    state = {}
    for what in (("-d", "link", "show"), ("addr", "show"), ("route", "show", "table", "all")):
        data = ip_json(ns, *what)
        for entry in data:
            for volatile in ("stats", "stats64", "carrier_changes", "carrier_up_count", "carrier_down_count"):
                entry.pop(volatile, None)
            info = (entry.get("linkinfo") or {}).get("info_data") or {}
            for timer in ("hello_timer", "tcn_timer", "topology_change_timer", "gc_timer"):
                info.pop(timer, None)
        state[what[-1] if what[0] != "-d" else "link"] = data
    return state


def converge(run_module, ns, args, check_ip=None):
    """check mode -> apply -> re-apply: the contract of every feature."""
    before = snapshot_links = None
    r = run_module("nl_link", args, check=True, diff=True, netns=ns)
    assert r.get("failed") is not True, r
    assert r["changed"] is True, r
    assert r["write_requests"] == 0
    assert r["diff"], "diff mode must show before/after"
    r1 = run_module("nl_link", args, diff=True, netns=ns)
    assert r1.get("failed") is not True, r1
    assert r1["changed"] is True
    assert r1["commands"] == r["commands"], "check mode must plan what the run does"
    r2 = run_module("nl_link", args, netns=ns)
    assert r2.get("failed") is not True, r2
    assert r2["changed"] is False, r2["commands"]
    assert r2["write_requests"] == 0
    assert r2["commands"] == []
    del before, snapshot_links
    return r1


def test_bridge_lifecycle(run_module, netns, ip_json):
    args = {"name": "br0", "kind": "bridge", "state": "up", "mtu": 1400, "alias": "lab",
            "bridge": {"stp": True, "forward_delay": 400, "priority": 4096}}
    r = run_module("nl_link", args, check=True, netns=netns)
    assert r["changed"] and "br0" not in links(ip_json, netns)
    r = converge(run_module, netns, args)
    assert r["commands"][0].startswith("ip -n %s link add br0" % netns)
    br = links(ip_json, netns)["br0"]
    assert br["mtu"] == 1400 and "UP" in br["flags"] and br["ifalias"] == "lab"
    data = br["linkinfo"]["info_data"]
    assert data["stp_state"] == 1 and data["forward_delay"] == 400 and data["priority"] == 4096
    before_index = br["ifindex"]
    # in-place change: same ifindex afterwards
    args2 = dict(args, mtu=1300, state="down", bridge={"stp": False})
    r = converge(run_module, netns, args2)
    assert r["commands"] == ["ip -n %s link set dev br0 mtu 1300 down type bridge stp_state 0" % netns]
    br = links(ip_json, netns)["br0"]
    assert br["ifindex"] == before_index and br["mtu"] == 1300 and "UP" not in br["flags"]
    assert br["linkinfo"]["info_data"]["stp_state"] == 0
    # absent
    r = converge(run_module, netns, {"name": "br0", "state": "absent"})
    assert r["commands"] == ["ip -n %s link del dev br0" % netns]
    assert "br0" not in links(ip_json, netns)


def test_veth_ports_macvlan_vxlan_ifb_in_one_task(run_module, netns, ip_json):
    args = {"links": [
        {"name": "br0", "kind": "bridge", "state": "up"},
        {"name": "veth0", "kind": "veth", "veth": {"peer": "veth1"}, "master": "br0", "state": "up"},
        {"name": "veth1", "state": "up", "mtu": 1450},
        {"name": "mv0", "kind": "macvlan", "link": "veth1", "macvlan": {"mode": "bridge"}},
        {"name": "vx42", "kind": "vxlan",
         "vxlan": {"id": 42, "remote": "192.0.2.2", "local": "192.0.2.1", "dstport": 4789, "ttl": 16,
                   "learning": False}},
        {"name": "ifb0", "kind": "ifb"},
    ]}
    r = converge(run_module, netns, args)
    assert r["write_requests"] == 6
    got = links(ip_json, netns)
    assert got["veth0"]["master"] == "br0" and got["veth1"]["link"] == "veth0"
    assert got["veth1"]["mtu"] == 1450 and "UP" in got["veth1"]["flags"]
    assert got["mv0"]["link"] == "veth1" and got["mv0"]["linkinfo"]["info_data"]["mode"] == "bridge"
    vx = got["vx42"]["linkinfo"]["info_data"]
    assert vx["id"] == 42 and vx["remote"] == "192.0.2.2" and vx["local"] == "192.0.2.1"
    assert vx["port"] == 4789 and vx["ttl"] == 16 and vx["learning"] is False
    assert got["ifb0"]["linkinfo"]["info_kind"] == "ifb"
    # release from master, change macvlan mode and vxlan ttl in place
    args2 = {"links": [{"name": "veth0", "master": ""}, {"name": "mv0", "macvlan": {"mode": "private"}},
                       {"name": "vx42", "vxlan": {"ttl": 32, "learning": True}}]}
    converge(run_module, netns, args2)
    got = links(ip_json, netns)
    assert "master" not in got["veth0"]
    assert got["mv0"]["linkinfo"]["info_data"]["mode"] == "private"
    assert got["vx42"]["linkinfo"]["info_data"]["ttl"] == 32
    assert got["vx42"]["linkinfo"]["info_data"]["learning"] is True
    # deleting both ends of a veth pair sends one request
    r = converge(run_module, netns, {"links": [{"name": "veth0", "state": "absent"},
                                               {"name": "veth1", "state": "absent"}]})
    assert r["write_requests"] == 1
    got = links(ip_json, netns)
    assert "veth0" not in got and "veth1" not in got and "mv0" not in got


def test_immutable_setting_needs_recreate(run_module, netns, ip_json):
    run_module("nl_link", {"name": "vx1", "kind": "vxlan", "vxlan": {"id": 1, "dstport": 4789}}, netns=netns)
    before = snapshot(ip_json, netns)
    r = run_module("nl_link", {"name": "vx1", "kind": "vxlan", "vxlan": {"id": 2}}, netns=netns)
    assert r["failed"] and "vxlan.id" in r["msg"] and "recreate" in r["msg"]
    assert snapshot(ip_json, netns) == before
    r = run_module("nl_link", {"name": "vx1", "kind": "vxlan", "vxlan": {"id": 2}, "recreate": True},
                   diff=True, netns=netns)
    assert r["changed"] and [d for d in r["diff"] if "re-created" in d["before_header"]]
    assert links(ip_json, netns)["vx1"]["linkinfo"]["info_data"]["id"] == 2


def test_gathered_round_trips(run_module, netns, ip_json):
    run_module("nl_link", {"links": [{"name": "br0", "kind": "bridge", "state": "up", "mtu": 1400},
                                     {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0"}]},
               netns=netns)
    r = run_module("nl_link", {"state": "gathered"}, netns=netns)
    assert r["changed"] is False
    names = [l["name"] for l in r["gathered"]]
    assert {"br0", "v0", "v1", "lo"} <= set(names)
    # pasting the gathered links back as input changes nothing
    items = [l for l in r["gathered"] if l["name"] != "lo"]
    r2 = run_module("nl_link", {"links": items}, netns=netns)
    assert r2.get("failed") is not True, r2
    assert r2["changed"] is False and r2["write_requests"] == 0


BAD_INPUTS = [
    ({"name": "br0", "kind": "teapot"}, "kind"),
    ({"name": "a-name-longer-than-15", "kind": "bridge"}, "a-name-longer-than-15"),
    ({"name": "br0", "kind": "bridge", "mtu": 70000}, "mtu=70000"),
    ({"name": "br0", "kind": "bridge", "mtu": 10}, "mtu=10"),
    ({"name": "br0", "kind": "bridge", "address": "zz:00:00:00:00:01"}, "address=zz:00:00:00:00:01"),
    ({"name": "br0", "kind": "bridge", "address": "01:00:5e:00:00:01"}, "address=01:00:5e:00:00:01"),
    ({"name": "nosuchdev", "mtu": 1400}, "nosuchdev"),
    ({"name": "v10", "kind": "vlan", "link": "lo", "vlan": {"id": 4095}}, "vlan.id=4095"),
    ({"name": "vx", "kind": "vxlan", "vxlan": {"id": 1 << 24}}, "vxlan.id=16777216"),
    ({"name": "vx", "kind": "vxlan", "vxlan": {"id": 1, "remote": "192.0.2.1", "group": "239.1.1.1"}},
     "remote=192.0.2.1"),
    ({"name": "vx", "kind": "vxlan", "vxlan": {"id": 1, "remote": "not-an-ip"}}, "remote=not-an-ip"),
    ({"name": "br0", "kind": "bridge", "vlan": {"id": 5}}, "vlan"),
    ({"name": "mv", "kind": "macvlan"}, "link"),
    ({"name": "br0", "kind": "bridge", "master": "br0"}, "master=br0"),
    ({"name": "br0", "kind": "bridge", "bridge": {"stp": True, "forward_delay": 5}}, "forward_delay=5"),
    ({"links": [{"name": "ok0", "kind": "bridge"}, {"name": "bad/name", "kind": "bridge"},
                {"name": "ok1", "kind": "bridge"}]}, "links[1].name=bad/name"),
    ({"links": [{"name": "ok0", "kind": "bridge"}, {"name": "p0", "kind": "veth", "master": "nope0"}]},
     "master=nope0"),
]


@pytest.mark.parametrize("args,needle", BAD_INPUTS, ids=[case[1] for case in BAD_INPUTS])
def test_bad_input_changes_nothing(run_module, netns, ip_json, args, needle):
    run_module("nl_link", {"name": "keep0", "kind": "bridge", "state": "up"}, netns=netns)
    before = snapshot(ip_json, netns)
    r = run_module("nl_link", args, netns=netns)
    assert r.get("failed") is True, r
    assert needle in r["msg"], r["msg"]
    assert snapshot(ip_json, netns) == before


PLAN = {"links": [
    {"name": "br0", "kind": "bridge", "state": "up", "alias": "x"},
    {"name": "br1", "kind": "bridge", "mtu": 1400},
    {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up"},
    {"name": "v1", "master": "br1", "state": "up"},
    {"name": "keep0", "mtu": 1300, "state": "down"},
    {"name": "gone0", "state": "absent"},
]}
PLAN_REQUESTS = 7  # br0, br1, alias, v0, v1, keep0, gone0


@pytest.mark.parametrize("fail_at", range(PLAN_REQUESTS))
def test_kernel_refusal_at_any_position_is_undone(run_module, netns, ip_json, monkeypatch, fail_at):
    """Fault injection: the kernel really refuses request k (it is swapped
    for a request on an ifindex that does not exist); everything applied
    before it must be undone."""
    run_module("nl_link", {"links": [{"name": "keep0", "kind": "bridge", "state": "up"},
                                     {"name": "gone0", "kind": "bridge", "mtu": 1280}]}, netns=netns)
    before = snapshot(ip_json, netns)
    seen = {"n": 0}
    real_batch = nlsocket.NetlinkSocket.batch

    def batch(self, requests):
        out = []
        for req in requests:
            if seen["n"] == fail_at:
                req = Request(C.RTM_NEWLINK, 0, {"index": 0x7FFFFFF0}, {"mtu": 1500}, label=req.label)
            seen["n"] += 1
            out.append(req)
        return real_batch(self, out)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "batch", batch)
    r = run_module("nl_link", PLAN, netns=netns)
    monkeypatch.setattr(nlsocket.NetlinkSocket, "batch", real_batch)
    assert r.get("failed") is True and r["undone"] is True, r
    assert "kernel refused" in r["msg"]
    after = snapshot(ip_json, netns)

    # Re-created links get new ifindexes; compare what a user configures.
    def view(state):
        return sorted((l["ifname"], l.get("mtu"), l.get("master"), "UP" in l["flags"], l.get("ifalias"),
                       (l.get("linkinfo") or {}).get("info_kind")) for l in state["link"])
    assert view(after) == view(before)
    assert seen["n"] > fail_at


HOST_LACKS = ("gre", "gretap", "ip6gre", "ip6gretap", "ipip", "sit", "ip6tnl", "geneve", "ipvlan", "xfrm")


def test_examples_run(run_module, netns, netns_factory, ip_json):
    """Every task of EXAMPLES runs, in order, in a namespace (the one an
    example moves a link to is another throwaway one)."""
    web = netns_factory()
    examples = Examples()
    for task in yaml.safe_load(nl_link.EXAMPLES):
        args, fed_back = examples.args(task, "nl_link")
        if args.get("to_netns"):
            args["to_netns"] = web
        # The host kernel lacks gre and xfrm interfaces: those are planned
        # (check mode); tests/vm runs the types for real.
        r = run_module("nl_link", args, netns=netns, check=args.get("kind") in HOST_LACKS)
        examples.keep(task, r)
        assert r.get("failed") is not True, (task["name"], r)
        if fed_back:  # gathered output as input: nothing to do
            assert r["changed"] is False and r["write_requests"] == 0, (task["name"], r)
    got = links(ip_json, netns)
    assert {"br0", "veth0", "vx42"} <= set(got) and "mv0" not in got and "veth1" not in got
    assert "veth1" in links(ip_json, web)


def test_no_op_run_reads_the_links_once(run_module, netns, monkeypatch):
    """A run that changes nothing costs one link dump and no write."""
    args = {"links": [{"name": "br0", "kind": "bridge", "state": "up"},
                      {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0"}]}
    run_module("nl_link", args, netns=netns)
    dumps = []
    real_dump = nlsocket.NetlinkSocket.dump

    def dump(self, msg_type, *args, **kw):
        dumps.append(msg_type)
        return real_dump(self, msg_type, *args, **kw)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "dump", dump)
    r = run_module("nl_link", args, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0
    assert dumps == [C.RTM_GETLINK]
    assert [l["name"] for l in r["links"]] == ["br0", "v0"]
