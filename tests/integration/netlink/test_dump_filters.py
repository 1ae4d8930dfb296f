"""Reads are narrow: the kernel filters dumps (strict checking on) by table,
protocol, ifindex, master and kind, and one object is fetched with one GET."""
import errno
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    NetlinkError, NotFoundError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket

# br0 makes no IPv6 link-local address of its own (addrgenmode none): the
# kernel would add it whenever br0 gets carrier, possibly between two reads
# of a test that compares br0's addresses as the library and ip see them.
SETUP = [
    "link add br0 type bridge",
    "link set br0 addrgenmode none",
    "link add ve0 type veth peer name ve1",
    "link set ve1 master br0",
    "link add mv0 link ve0 type macvlan mode bridge",
    "link set br0 up", "link set ve0 up", "link set ve1 up",
    "addr add 192.0.2.1/24 dev br0",
    "addr add 192.0.2.2/24 dev br0",
    "addr add 2001:db8::1/64 dev br0 nodad",
    "addr add 198.51.100.1/24 dev ve0",
    "addr add 2001:db8:1::1/64 dev ve0 nodad",
]
# table 100: 10 routes of protocol static (4), 5 of protocol bird (12), one v6 static
# table 200 and main: more static ones that the filter must leave out
ROUTES = (["route add 10.0.%d.0/24 via 192.0.2.254 table 100 proto static" % i for i in range(10)]
          + ["route add 10.1.%d.0/24 via 192.0.2.254 table 100 proto bird" % i for i in range(5)]
          + ["route add 10.2.%d.0/24 via 192.0.2.254 table 200 proto static" % i for i in range(5)]
          + ["route add 10.3.%d.0/24 via 192.0.2.254 proto static" % i for i in range(5)]
          + ["route add 2001:db8:100::/48 via 2001:db8::fe table 100 proto static"])


@pytest.fixture
def nl(netns, ip_batch):
    ip_batch(netns, SETUP + ROUTES)
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as sock:
        yield sock


def test_route_dump_filtered_by_table_and_protocol(nl, ip_json, netns):
    msgs = nl.dump(C.RTM_GETROUTE, {"family": C.AF_INET, "table": 100, "protocol": 4})
    dsts = sorted(m.attrs["dst"] for m in msgs)
    assert dsts == sorted("10.0.%d.0" % i for i in range(10))
    for m in msgs:
        assert m.attrs["table"] == 100 and m.header["protocol"] == 4
        assert m.header["family"] == C.AF_INET
        # the kernel did the filtering (not us): it says so on every reply
        assert m.flags & C.NLM_F_DUMP_FILTERED
    # and ip agrees on what table 100 / proto static holds
    theirs = ip_json(netns, "-4", "route", "show", "table", "100", "proto", "static")
    assert sorted(r["dst"].split("/")[0] for r in theirs) == dsts


def test_route_dump_table_filter_alone(nl):
    msgs = nl.dump(C.RTM_GETROUTE, {"family": C.AF_INET, "table": 100})
    assert {m.header["protocol"] for m in msgs} == {4, 12}
    assert len(msgs) == 15
    v6 = nl.dump(C.RTM_GETROUTE, {"family": C.AF_INET6, "table": 100, "protocol": 4})
    assert [m.attrs["dst"] for m in v6] == ["2001:db8:100::"]


def test_strict_checking_is_on(nl):
    """With NETLINK_GET_STRICT_CHK the kernel refuses a dump request whose
    header carries values it cannot filter on, instead of ignoring them."""
    with pytest.raises(NetlinkError) as info:
        nl.dump(C.RTM_GETROUTE, {"family": C.AF_INET, "dst_len": 8})
    assert info.value.errno == errno.EINVAL
    assert info.value.extack and "header" in info.value.extack.lower()


def test_address_dump_filtered_by_ifindex(nl, ip_json, netns):
    br0 = nl.get(C.RTM_GETLINK, {"family": 0}, {"ifname": "br0"}).header["index"]
    msgs = nl.dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC, "index": br0})
    assert msgs and {m.header["index"] for m in msgs} == {br0}
    mine = sorted((m.attrs.get("local") or m.attrs["address"]) for m in msgs)
    theirs = sorted(a["local"] for link in ip_json(netns, "addr", "show", "dev", "br0")
                    for a in link["addr_info"])
    assert mine == theirs and "192.0.2.2" in mine and "2001:db8::1" in mine
    v4 = nl.dump(C.RTM_GETADDR, {"family": C.AF_INET, "index": br0})
    assert sorted(m.attrs["local"] for m in v4) == ["192.0.2.1", "192.0.2.2"]


def test_link_dump_filtered_by_master_and_kind(nl):
    br0 = nl.get(C.RTM_GETLINK, {"family": 0}, {"ifname": "br0"}).header["index"]
    ports = nl.dump(C.RTM_GETLINK, {"family": 0}, {"master": br0})
    assert [m.attrs["ifname"] for m in ports] == ["ve1"]
    macvlans = nl.dump(C.RTM_GETLINK, {"family": 0}, {"linkinfo": {"kind": "macvlan"}})
    assert [m.attrs["ifname"] for m in macvlans] == ["mv0"]


def test_get_one_link_by_name(nl, ip_json, netns):
    msg = nl.get(C.RTM_GETLINK, {"family": 0}, {"ifname": "ve0"})
    assert msg.attrs["ifname"] == "ve0"
    assert msg.attrs["linkinfo"]["kind"] == "veth"
    (theirs,) = ip_json(netns, "link", "show", "dev", "ve0")
    assert msg.header["index"] == theirs["ifindex"]
    assert msg.attrs["address"] == theirs["address"]
    by_index = nl.get(C.RTM_GETLINK, {"family": 0, "index": theirs["ifindex"]})
    assert by_index.attrs["ifname"] == "ve0"


def test_get_missing_link_is_not_found(nl):
    with pytest.raises(NotFoundError) as info:
        nl.get(C.RTM_GETLINK, {"family": 0}, {"ifname": "nosuchlink"})
    assert info.value.errno == errno.ENODEV


def test_get_route_lookup(nl):
    """RTM_GETROUTE without DUMP is a FIB lookup: the route that would be used."""
    msg = nl.get(C.RTM_GETROUTE, {"family": C.AF_INET, "dst_len": 32}, {"dst": "10.3.2.7"})
    assert msg.attrs["gateway"] == "192.0.2.254"


def test_neigh_dump_filtered_by_ifindex(nl, ip_batch, netns):
    """nl_neigh reads one device's entries (NDA_IFINDEX), both families,
    and its proxy table (NTF_PROXY in the header) the same way."""
    ip_batch(netns, ["neigh add 192.0.2.%d lladdr 02:00:00:00:00:%02x dev br0 nud permanent" % (i, i)
                     for i in range(10, 20)]
             + ["neigh add 198.51.100.%d lladdr 02:00:00:00:01:%02x dev ve0 nud permanent" % (i, i)
                for i in range(10, 15)]
             + ["neigh add 2001:db8:1::9 lladdr 02:00:00:00:00:09 dev ve0 nud noarp",
                "neigh add proxy 2001:db8:1::10 dev ve0", "neigh add proxy 2001:db8::10 dev br0"])
    index = nl.get(C.RTM_GETLINK, {"family": C.AF_UNSPEC}, {"ifname": "ve0"}).header["index"]
    msgs = [m for m in nl.dump(C.RTM_GETNEIGH, {"family": C.AF_UNSPEC}, {"ifindex": index})
            if not m.attrs["dst"].startswith("ff02:")]
    assert sorted(m.attrs["dst"] for m in msgs) == ["198.51.100.%d" % i for i in range(10, 15)] + ["2001:db8:1::9"]
    assert all(m.header["ifindex"] == index and m.flags & C.NLM_F_DUMP_FILTERED for m in msgs)
    proxies = nl.dump(C.RTM_GETNEIGH, {"family": C.AF_UNSPEC, "flags": 0x08}, {"ifindex": index})
    assert [m.attrs["dst"] for m in proxies] == ["2001:db8:1::10"]
    assert all(m.flags & C.NLM_F_DUMP_FILTERED for m in proxies)


def test_fdb_dump_filtered_by_ifindex(nl, ip_batch, netns):
    """nl_fdb reads one device's FDB entries (family AF_BRIDGE, NDA_IFINDEX):
    the VXLAN device's remotes, not its neighbour's entries."""
    ip_batch(netns, ["link add vxf type vxlan id 7 dstport 4789 local 192.0.2.1 nolearning",
                     "link add vxg type vxlan id 8 dstport 4790 local 192.0.2.1 nolearning"])
    lines = ["fdb append 00:00:00:00:00:00 dev vxf dst 192.0.2.%d" % i for i in range(10, 13)]
    lines += ["fdb add 02:00:00:00:00:%02x dev vxg dst 192.0.2.9" % i for i in range(10, 15)]
    subprocess.run(["bridge", "-n", netns, "-batch", "-"], input="\n".join(lines) + "\n", universal_newlines=True,
                   check=True, timeout=30)
    index = nl.get(C.RTM_GETLINK, {"family": C.AF_UNSPEC}, {"ifname": "vxf"}).header["index"]
    msgs = nl.dump(C.RTM_GETNEIGH, {"family": C.AF_BRIDGE}, {"ifindex": index})
    assert sorted(m.attrs["dst"] for m in msgs) == ["192.0.2.10", "192.0.2.11", "192.0.2.12"]
    # the kernel filters the FDB dump (vxg's entries never come) but, unlike
    # the neighbour dump, does not flag its replies NLM_F_DUMP_FILTERED
    assert all(m.header["ifindex"] == index for m in msgs)
