"""nl_link's bridge_port block (IFLA_INFO_SLAVE_DATA of a bridge's port) and
the vxlan fixes, against the host kernel (bridge and vxlan are built in):
idempotent second run, in-place change, replay of ``commands`` with ``ip``
in a fresh namespace."""
import pytest

PORT = {"cost": 5, "priority": 3, "learning": False, "flood": False, "mcast_flood": False,
        "bcast_flood": False, "isolated": True, "hairpin": True, "neigh_suppress": True,
        "proxy_arp": True, "guard": True, "root_block": True}
# iproute2's JSON names of the same settings (ip/iplink_bridge_slave.c)
IP_NAMES = {"cost": "cost", "priority": "priority", "learning": "learning", "flood": "flood",
            "mcast_flood": "mcast_flood", "bcast_flood": "bcast_flood", "isolated": "isolated",
            "hairpin": "hairpin", "neigh_suppress": "neigh_suppress", "proxy_arp": "proxy_arp",
            "guard": "guard", "root_block": "root_block"}


def converge(run_module, ns, args):
    r = run_module("nl_link", args, check=True, diff=True, netns=ns)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 0 and r["diff"]
    r1 = run_module("nl_link", args, netns=ns)
    assert r1.get("failed") is not True, r1
    assert r1["changed"] is True and r1["commands"] == r["commands"]
    r2 = run_module("nl_link", args, netns=ns)
    assert r2.get("failed") is not True, r2
    assert r2["changed"] is False and r2["write_requests"] == 0, r2["commands"]
    return r1


def slave_data(ip_json, ns, name):
    (link,) = ip_json(ns, "-d", "link", "show", "dev", name)
    return link["linkinfo"]["info_slave_data"]


def assert_port(data, want):
    for k, v in want.items():
        assert data[IP_NAMES[k]] == v, (k, data)


STABLE = tuple(IP_NAMES.values())


def replay(ip, commands, src, dst):
    for line in commands:
        for cmd in line.split(" && "):
            words = cmd.split()
            assert words[:3] == ["ip", "-n", src], cmd
            ip(dst, *words[3:])


def test_bridge_port_settings(run_module, netns_factory, ip, ip_json):
    ns, fresh = netns_factory(), netns_factory()
    args = {"links": [{"name": "br0", "kind": "bridge", "state": "up"},
                      {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}, "master": "br0", "state": "up",
                       "bridge_port": PORT}]}
    r = converge(run_module, ns, args)
    assert r["commands"][-1] == ("ip -n %s link set dev v0 type bridge_slave cost 5 priority 3 learning off "
                                 "flood off mcast_flood off bcast_flood off isolated on hairpin on "
                                 "neigh_suppress on proxy_arp on guard on root_block on" % ns)
    assert_port(slave_data(ip_json, ns, "v0"), PORT)
    commands = list(r["commands"])
    # in place, on a link that is already a port
    change = {"cost": 10, "learning": True, "isolated": False, "hairpin": False}
    r = converge(run_module, ns, {"name": "v0", "bridge_port": change})
    assert r["commands"] == ["ip -n %s link set dev v0 type bridge_slave cost 10 learning on isolated off "
                             "hairpin off" % ns]
    assert_port(slave_data(ip_json, ns, "v0"), dict(PORT, **change))
    commands += r["commands"]
    # an existing link that joins a bridge with port settings in one task
    r = converge(run_module, ns, {"name": "v1", "master": "br0", "bridge_port": {"cost": 7, "flood": False}})
    assert len(r["commands"]) == 2 and r["commands"][0].endswith("link set dev v1 master br0")
    assert_port(slave_data(ip_json, ns, "v1"), {"cost": 7, "flood": False})
    commands += r["commands"]
    gathered = dict((l["name"], l) for l in run_module("nl_link", {"state": "gathered"}, netns=ns)["gathered"])
    assert gathered["v0"]["bridge_port"]["cost"] == 10 and "bridge_port" not in gathered["br0"]
    # replayed by iproute2 in a fresh namespace: the same port settings
    replay(ip, commands, ns, fresh)
    for name in ("v0", "v1"):
        a, b = slave_data(ip_json, ns, name), slave_data(ip_json, fresh, name)
        assert dict((k, a[k]) for k in STABLE) == dict((k, b[k]) for k in STABLE)
    # leaving the bridge: no port settings left to compare
    r = converge(run_module, ns, {"name": "v1", "master": ""})
    assert r["commands"] == ["ip -n %s link set dev v1 nomaster" % ns]


def test_bridge_port_needs_a_bridge_master(run_module, netns, ip_json):
    r = run_module("nl_link", {"name": "d9", "kind": "veth", "veth": {"peer": "d8"}, "bridge_port": {"cost": 3}},
                   netns=netns)
    assert r.get("failed") and "bridge_port" in r["msg"] and "master" in r["msg"], r
    assert [l["ifname"] for l in ip_json(netns, "link", "show")] == ["lo"]


def test_dumped_vxlan_with_ttl_inherit_re_encodes(run_module, netns_factory, ip, ip_json):
    """IFLA_VXLAN_TTL_INHERIT is an NLA_FLAG in the kernel's policy but
    dumped as a u8: a vxlan made by iproute2 with `ttl inherit`, read by the
    module and sent back as a create request (in a second namespace), is
    accepted and has ttl inherit again."""
    a, b = netns_factory(), netns_factory()
    ip(a, "link", "add", "vx0", "type", "vxlan", "id", "7", "ttl", "inherit", "dstport", "4789",
       "remote", "192.0.2.7")
    got = run_module("nl_link", {"state": "gathered", "name": "vx0"}, netns=a)["gathered"]
    assert got[0]["vxlan"]["ttl_inherit"] is True
    assert run_module("nl_link", {"links": got}, netns=a)["changed"] is False
    r = run_module("nl_link", {"links": got}, netns=b)
    assert r.get("failed") is not True, r
    assert " ttl inherit" in r["commands"][0], r["commands"]
    # iproute2 prints "ttl inherit" in text only (its JSON leaves ttl out)
    assert " ttl inherit " in ip(b, "-d", "link", "show", "dev", "vx0")
    # and ttl_inherit cannot change in place (the kernel refuses it on changelink)
    r = run_module("nl_link", {"name": "vx0", "vxlan": {"ttl_inherit": False}}, netns=b)
    assert r.get("failed") and "vxlan.ttl_inherit" in r["msg"], r


@pytest.mark.parametrize("block,needle", [
    ({"id": 1, "group": "192.0.2.1"}, "vxlan.group=192.0.2.1: not a multicast address"),
    ({"id": 1, "remote": "ff05::1"}, "vxlan.remote=ff05::1: not a unicast address"),
])
def test_vxlan_endpoint_of_the_wrong_cast_is_refused(run_module, netns, ip_json, block, needle):
    r = run_module("nl_link", {"name": "vx1", "kind": "vxlan", "vxlan": block}, netns=netns)
    assert r.get("failed") and needle in r["msg"], r
    assert [l["ifname"] for l in ip_json(netns, "link", "show")] == ["lo"]


def test_gathered_tunnel_like_links_round_trip(run_module, netns, ip):
    """Gathered output carries no kernel block and no kind the module cannot
    create (a tap here; a tunnel module's fallback devices on the VM
    kernels), so pasted back as input it changes nothing."""
    ip(netns, "tuntap", "add", "dev", "tap0", "mode", "tap")
    ip(netns, "link", "add", "vx0", "type", "vxlan", "id", "7", "ttl", "inherit", "dstport", "4789")
    got = run_module("nl_link", {"state": "gathered"}, netns=netns)["gathered"]
    by_name = dict((l["name"], l) for l in got)
    assert "kind" not in by_name["tap0"] and by_name["vx0"]["kind"] == "vxlan"
    assert not [l for l in got if "kernel" in l]
    r = run_module("nl_link", {"links": [l for l in got if l["name"] != "lo"]}, netns=netns)
    assert r.get("failed") is not True, r
    assert r["changed"] is False and r["write_requests"] == 0
