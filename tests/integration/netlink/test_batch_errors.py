"""Batched writes and errors against the real kernel: which requests were
applied / failed / never sent, errno and ext-ack text, NotFound vs Exists,
a missing namespace, and a namespace's requests never reaching the root
namespace."""
import errno
import os

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    ExistsError, NetlinkError, NetnsError, NotFoundError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
    NetlinkSocket, Request)

NEW = C.NLM_F_CREATE | C.NLM_F_EXCL


def route_add(dst, gateway="192.0.2.254", table=100, plen=24):
    return Request(C.RTM_NEWROUTE, NEW,
                   {"family": C.AF_INET, "dst_len": plen, "table": 0, "protocol": 4,
                    "scope": 0, "type": 1},
                   {"dst": dst, "gateway": gateway, "table": table},
                   label="ip route add %s/%d via %s table %d" % (dst, plen, gateway, table))


def route_del(dst, table=100, plen=24):
    return Request(C.RTM_DELROUTE, 0, {"family": C.AF_INET, "dst_len": plen, "table": 0},
                   {"dst": dst, "table": table}, label="ip route del %s/%d table %d" % (dst, plen, table))


@pytest.fixture
def nl(netns, ip_batch):
    ip_batch(netns, ["link add br0 type bridge", "link set br0 up", "addr add 192.0.2.1/24 dev br0"])
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as sock:
        yield sock


def table100(ip_json, netns):
    return {r["dst"] for r in ip_json(netns, "-4", "route", "show", "table", "100")}


@pytest.mark.parametrize("k", [0, 3, 7])
def test_batch_failure_at_k_in_one_chunk(nl, ip_json, netns, k):
    n = 8
    reqs = [route_add("10.0.%d.0" % i) if i != k else route_add("10.0.%d.0" % i, gateway="203.0.113.1")
            for i in range(n)]
    sent_before = nl.sent_requests
    res = nl.batch(reqs)
    assert not res.ok
    assert res.failed == k
    assert isinstance(res.error, NetlinkError) and not isinstance(res.error, (NotFoundError, ExistsError))
    assert res.error.errno == errno.ENETUNREACH
    assert res.error.extack == "Nexthop has invalid gateway"
    assert res.error.request is reqs[k]
    assert "ip route add 10.0.%d.0/24 via 203.0.113.1" % k in str(res.error)
    assert "Nexthop has invalid gateway" in str(res.error)
    # one chunk: the kernel processed every request of it; only k failed
    assert res.applied == [i for i in range(n) if i != k]
    assert set(res.errors) == {k}
    assert res.not_sent == []
    assert nl.sent_requests - sent_before == n
    assert table100(ip_json, netns) == {"10.0.%d.0/24" % i for i in res.applied}


def test_batch_failure_stops_after_its_chunk(nl, ip_json, netns, monkeypatch):
    """Requests in chunks after the failing one are never sent."""
    monkeypatch.setattr(nlsocket, "BATCH_CHUNK_MESSAGES", 4)
    n, k = 12, 5
    reqs = [route_add("10.1.%d.0" % i, gateway="203.0.113.1" if i == k else "192.0.2.254")
            for i in range(n)]
    res = nl.batch(reqs)
    assert res.failed == k
    assert res.applied == [0, 1, 2, 3, 4, 6, 7]  # chunks 0-3 and 4-7 went out
    assert res.not_sent == [8, 9, 10, 11]
    assert table100(ip_json, netns) == {"10.1.%d.0/24" % i for i in res.applied}


def test_batch_all_ok(nl, ip_json, netns):
    reqs = [route_add("10.%d.%d.0" % (20 + i // 250, i % 250)) for i in range(300)]  # 3 chunks
    res = nl.batch(reqs)
    assert res.ok and res.failed is None and res.error is None
    assert res.applied == list(range(300)) and res.not_sent == [] and res.errors == {}
    assert len(table100(ip_json, netns)) == 300


def test_exists_and_not_found_are_distinguishable(nl):
    nl.request(route_add("10.3.0.0"))
    with pytest.raises(ExistsError) as exists:
        nl.request(route_add("10.3.0.0"))
    assert exists.value.errno == errno.EEXIST
    assert not isinstance(exists.value, NotFoundError)
    nl.request(route_del("10.3.0.0"))
    with pytest.raises(NotFoundError) as missing:
        nl.request(route_del("10.3.0.0"))
    assert missing.value.errno == errno.ESRCH
    assert not isinstance(missing.value, ExistsError)
    with pytest.raises(NotFoundError) as nodev:
        nl.request(Request(C.RTM_DELLINK, 0, {"family": 0}, {"ifname": "nosuchdev"}))
    assert nodev.value.errno == errno.ENODEV


def test_kernel_extack_on_link_error(nl):
    """Ext-ack text also comes back for link requests (unknown kind)."""
    with pytest.raises(NetlinkError) as info:
        nl.request(Request(C.RTM_NEWLINK, NEW, {"family": 0},
                           {"ifname": "x0", "linkinfo": {"kind": "no-such-kind"}}))
    assert info.value.errno == errno.EOPNOTSUPP
    assert info.value.extack == "Unknown device type"


def test_missing_netns_is_netns_error():
    with pytest.raises(NetnsError) as info:
        NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns="nltest-does-not-exist-42")
    assert "nltest-does-not-exist-42" in str(info.value)


def _root_snapshot(ip_json):
    """Read-only view of the root namespace (volatile lifetimes dropped)."""
    links = ip_json(None, "link", "show")
    addrs = ip_json(None, "addr", "show")
    for link in addrs:
        for a in link.get("addr_info", []):
            a.pop("valid_life_time", None)
            a.pop("preferred_life_time", None)
    routes = ip_json(None, "route", "show", "table", "all")
    for r in routes:
        r.pop("expires", None)
    return links, addrs, routes


def test_requests_in_a_netns_never_touch_the_root_namespace(netns, ip_json):
    before = _root_snapshot(ip_json)
    own_ns = os.readlink("/proc/thread-self/ns/net")
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=netns) as nl:
        assert os.readlink("/proc/thread-self/ns/net") == own_ns  # we are back at once
        res = nl.batch([
            Request(C.RTM_NEWLINK, NEW, {"family": 0},
                    {"ifname": "nlt-iso0", "linkinfo": {"kind": "bridge"}}),
            Request(C.RTM_NEWLINK, NEW, {"family": 0, "flags": 1, "change": 1},
                    {"ifname": "nlt-iso1", "linkinfo": {"kind": "ifb"}}),
        ])
        assert res.ok, res.error
        idx = nl.get(C.RTM_GETLINK, {"family": 0}, {"ifname": "nlt-iso0"}).header["index"]
        nl.batch([
            Request(C.RTM_NEWADDR, NEW, {"family": C.AF_INET, "prefixlen": 24, "index": idx},
                    {"local": "192.0.2.77", "address": "192.0.2.77"}),
            Request(C.RTM_NEWLINK, 0, {"family": 0, "index": idx, "flags": 1, "change": 1}),
        ])
        nl.request(route_add("10.77.0.0", gateway="192.0.2.254", table=254))
    in_ns = {link["ifname"] for link in ip_json(netns, "link", "show")}
    assert {"nlt-iso0", "nlt-iso1"} <= in_ns
    assert any(r["dst"] == "10.77.0.0/24" for r in ip_json(netns, "route", "show"))
    after = _root_snapshot(ip_json)
    assert after == before
    assert "nlt-iso0" not in {link["ifname"] for link in after[0]}
