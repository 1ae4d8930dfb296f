"""nl_link bad input, against the host kernel in throwaway namespaces:
every case fails with a message naming the option and the value, before
any change: no write request is sent at all, and ``ip -d -j link``,
``ip -j addr`` and ``ip -j route`` read the same before and after.

Cases that need what exists (a missing master, parent, vxlan underlay, peer
namespace; an MTU outside the device's own limits) are checked after the
read and before the plan; the rest before anything is read.
"""
import subprocess
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket

from test_nl_link import snapshot


@pytest.fixture
def populated(netns, ip_batch, ip_json):
    """A namespace with a bridge (address, route), a veth pair on it.  No
    IPv6, so that DAD adds nothing while a case runs."""
    for conf in ("all", "default"):
        subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % conf],
                       check=True)
    ip_batch(netns, [
        "link add keep0 type bridge",
        "link set keep0 up",
        "addr add 192.0.2.1/24 dev keep0",
        "route add 198.51.100.0/24 via 192.0.2.254",
        "link add kv0 master keep0 type veth peer name kv1",
    ])
    # The bridge's carrier and operstate settle a moment after it comes up
    # (UNKNOWN, then DOWN: its only port is down): wait for a stable read.
    last = None
    for _attempt in range(50):
        now = snapshot(ip_json, netns)
        if now == last:
            return netns
        last = now
        time.sleep(0.1)
    raise AssertionError("the namespace did not settle")


@pytest.fixture
def writes(monkeypatch):
    """Counts the write requests any socket sends."""
    sent = []
    real = nlsocket.NetlinkSocket.batch

    def batch(self, requests):
        sent.extend(requests)
        return real(self, requests)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "batch", batch)
    return sent


BAD = [
    # link names the kernel would not keep as given
    ({"name": "veth%d", "kind": "bridge"}, "name=veth%d"),
    ({"name": "all", "kind": "bridge"}, "name=all"),
    ({"name": "default", "kind": "bridge"}, "name=default"),
    ({"name": "kv9", "kind": "veth", "veth": {"peer": "p%d"}}, "veth.peer=p%d"),
    # references to links that are not there and not created by the task
    ({"name": "p0", "kind": "bridge", "master": "nope0"}, "master=nope0"),
    ({"links": [{"name": "ok0", "kind": "bridge"},
                {"name": "mv0", "kind": "macvlan", "link": "nope0", "macvlan": {"mode": "bridge"}}]},
     "links[1].link=nope0"),
    ({"links": [{"name": "ok0", "kind": "bridge"},
                {"name": "vx1", "kind": "vxlan", "vxlan": {"id": 5, "dev": "nope0", "dstport": 4789}}]},
     "links[1].vxlan.dev=nope0"),
    ({"links": [{"name": "keep0", "state": "absent"}, {"name": "p1", "kind": "bridge", "master": "keep0"}]},
     "links[1].master=keep0"),
    # a veth needs its peer, a free peer name and an existing peer namespace
    ({"links": [{"name": "ok0", "kind": "bridge"}, {"name": "v0", "kind": "veth"}]}, "links[1].veth.peer"),
    ({"name": "v0", "kind": "veth", "veth": {"peer": "keep0"}}, "veth.peer=keep0"),
    ({"links": [{"name": "ok0", "kind": "bridge"},
                {"name": "v0", "kind": "veth", "veth": {"peer": "c0", "peer_netns": "nltest-no-such-ns"}}]},
     "links[1].veth.peer_netns=nltest-no-such-ns"),
    ({"name": "v0", "kind": "veth", "veth": {"peer": "c0", "peer_netns": "run/netns/x"}},
     "veth.peer_netns='run/netns/x'"),
    # MTU within the device's own limits (a bridge: 68-65535)
    ({"links": [{"name": "ok0", "kind": "bridge"}, {"name": "keep0", "mtu": 70000}]}, "links[1].mtu=70000"),
    ({"links": [{"name": "ok0", "kind": "bridge"}, {"name": "keep0", "mtu": 10}]}, "links[1].mtu=10"),
    ({"name": "br9", "kind": "bridge", "mtu": 65536}, "mtu=65536"),
    ({"name": "lo", "mtu": 2 ** 31}, "mtu=2147483648"),
]


@pytest.mark.parametrize("args,needle", BAD, ids=[case[1] for case in BAD])
def test_bad_input_fails_before_any_change(run_module, populated, ip_json, writes, args, needle):
    before = snapshot(ip_json, populated)
    r = run_module("nl_link", args, netns=populated)
    assert r.get("failed") is True, r
    assert needle in r["msg"], r["msg"]
    assert writes == [], "a write request went out before the input was refused: %r" % writes
    assert snapshot(ip_json, populated) == before


BAD_NETNS = [
    ("", "netns=''"),
    ("nltest-x/ns", "netns='nltest-x/ns'"),
    ("..", "netns='..'"),
    ("n" * 256, "netns='nnnn"),
]


@pytest.mark.parametrize("module,args", [("nl_link", {"name": "nltestbr0", "kind": "bridge"}),
                                         ("nl_addr", {"dev": "lo", "address": "192.0.2.9/32"})])
@pytest.mark.parametrize("value,needle", BAD_NETNS, ids=["empty", "relative", "dotdot", "too-long"])
def test_bad_netns_fails_before_anything_is_read(run_module, netns, ip_json, monkeypatch, module, args,
                                                 value, needle):
    """Check mode, so that the unfixed module (which ran in the host's own
    namespace for netns='') could never write there."""
    opened = []
    real_init = nlsocket.NetlinkSocket.__init__

    def init(self, *a, **kw):
        opened.append(kw.get("netns"))
        real_init(self, *a, **kw)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "__init__", init)
    before = snapshot(ip_json, netns)
    r = run_module(module, dict(args, netns=value), check=True)
    assert r.get("failed") is True, r
    assert needle in r["msg"] and "netns" in r["msg"], r["msg"]
    assert opened == [], "a socket was opened for netns=%r" % value
    assert snapshot(ip_json, netns) == before


def test_links_created_by_the_task_count_as_existing(run_module, netns, ip_json):
    """A master, a parent or an underlay the same task creates (in any
    order of the list), and a veth peer its veth makes, are not missing."""
    args = {"links": [
        {"name": "p0", "kind": "veth", "veth": {"peer": "p1"}, "master": "br5"},
        {"name": "mv5", "kind": "macvlan", "link": "p1", "macvlan": {"mode": "bridge"}},
        {"name": "vx5", "kind": "vxlan", "vxlan": {"id": 5, "dev": "p1", "dstport": 4789}},
        {"name": "p1", "mtu": 1400},
        {"name": "br5", "kind": "bridge"},
    ]}
    r = run_module("nl_link", args, netns=netns)
    assert r.get("failed") is not True, r
    got = dict((l["ifname"], l) for l in ip_json(netns, "-d", "link", "show"))
    assert got["p0"]["master"] == "br5" and got["p1"]["mtu"] == 1400 and got["mv5"]["link"] == "p1"
    r = run_module("nl_link", args, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r["commands"]


def test_lo_mtu_65536_and_ifb_without_limits_are_accepted(run_module, netns, ip_json):
    """The MTU range is the device's: lo and ifb set no upper limit."""
    r = run_module("nl_link", {"links": [{"name": "lo", "mtu": 65536},
                                         {"name": "ifb0", "kind": "ifb", "mtu": 70000}]}, netns=netns)
    assert r.get("failed") is not True, r
    got = dict((l["ifname"], l["mtu"]) for l in ip_json(netns, "link", "show"))
    assert got["lo"] == 65536 and got["ifb0"] == 70000
