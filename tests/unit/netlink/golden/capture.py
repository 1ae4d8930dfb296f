"""Capture golden rtnetlink messages (links, addresses, routes) from the
running kernel.  Rerunnable; needs root.  From the repository root:

    python3 tests/unit/netlink/golden/capture.py          # writes link/addr/route.json
    python3 tests/unit/netlink/golden/capture.py --check  # capture, compare expects, write nothing

What it does: in a throwaway namespace ``nltest-cap-<random>`` (always
deleted, the machine's own namespace is never touched) it runs the ``ip``
commands of ``SCENARIO`` below, then dumps links, addresses and routes on
its OWN AF_NETLINK socket (strict checking on, like the library) and keeps
the raw bytes of every reply message.  For each scenario step that declares
an ``expect`` it picks the one reply message whose decoded fields match
``expect`` (the library decodes them; exactly one must match) and stores

    {"command": "ip ...", "hex": "<raw nlmsg bytes>", "expect": {"attrs.ifname": "br0", ...}}

in ``<kind>.json``.  That format is shared with rule.json/xfrm_policy.json.

``expect`` paths are dotted: ``header.prefixlen``, ``attrs.linkinfo.kind``,
``attrs.multipath.1.hops`` (list index), ``attrs.metrics.lock``.  Values are
what the library decodes (addresses as text, numbers as int).  Volatile
fields (stats, timers, cacheinfo) stay in the bytes: the unit test compares
bytes with bytes and checks only ``expect``.

The scenario is also replayed by tests/integration/netlink/test_crosscheck.py
(loaded by path), so the kernel cross-check sees the same variety.
"""
from __future__ import print_function

import sys

try:  # loaded by path (tests/integration/netlink/test_crosscheck.py) with the collection importable
    from ansible_collections.netlink.host.tests.unit.netlink.golden import capture_common as common
except ImportError:  # run as a script: capture_common.py sits next to this file
    import capture_common as common

# --------------------------------------------------------------------------
# The scenario: (command run as `ip -n NS <command>`, kind, expect).  kind is
# None for set-up steps whose result is not captured.  Order matters.

BRIDGE_OPTS = ("stp_state 0 forward_delay 500 hello_time 300 max_age 2500 ageing_time 10000 "
               "priority 1000 mcast_snooping 0 mcast_querier 1 mcast_igmp_version 3 "
               "group_fwd_mask 0x4000 nf_call_iptables 1")

SCENARIO = [
    # ---- links -----------------------------------------------------------
    ("link add br0 address 02:00:00:00:b0:00 type bridge " + BRIDGE_OPTS, "link", {
        "attrs.ifname": "br0", "attrs.address": "02:00:00:00:b0:00",
        "attrs.linkinfo.kind": "bridge",
        "attrs.linkinfo.data.stp_state": 0, "attrs.linkinfo.data.forward_delay": 500,
        "attrs.linkinfo.data.hello_time": 300, "attrs.linkinfo.data.max_age": 2500,
        "attrs.linkinfo.data.ageing_time": 10000, "attrs.linkinfo.data.priority": 1000,
        "attrs.linkinfo.data.mcast_snooping": 0, "attrs.linkinfo.data.group_fwd_mask": 0x4000,
        "attrs.linkinfo.data.mcast_querier": 1, "attrs.linkinfo.data.mcast_igmp_version": 3,
        "attrs.linkinfo.data.nf_call_iptables": 1,
        "attrs.prop_list.alt_ifname": ["bridge-zero"],
    }),
    ("link property add dev br0 altname bridge-zero", None, None),
    ("link add br1 type bridge stp_state 1 priority 4096", "link", {
        "attrs.ifname": "br1", "attrs.linkinfo.kind": "bridge",
        "attrs.linkinfo.data.stp_state": 1, "attrs.linkinfo.data.priority": 4096,
        "attrs.operstate": 2,
    }),
    ("link add ve0 address 02:00:00:00:0e:00 mtu 1400 type veth peer name ve1 mtu 1400", "link", {
        "attrs.ifname": "ve0", "attrs.address": "02:00:00:00:0e:00", "attrs.mtu": 1400,
        "attrs.linkinfo.kind": "veth", "attrs.operstate": 6,
    }),
    ("link set ve1 master br0", "link", {
        "attrs.ifname": "ve1", "attrs.linkinfo.kind": "veth",
        "attrs.linkinfo.slave_kind": "bridge", "attrs.mtu": 1400,
    }),
    ("link set ve1 up", None, None),
    ("link set ve0 up", None, None),
    ("link set br0 up", None, None),
    ("link add vp0 type veth peer name vp1", None, None),
    ("link set vp0 up", None, None),
    ("link add mv-private link ve0 type macvlan mode private", "link", {
        "attrs.ifname": "mv-private", "attrs.linkinfo.kind": "macvlan",
        "attrs.linkinfo.data.mode": 1,
    }),
    ("link add mv-vepa link ve0 type macvlan mode vepa", "link", {
        "attrs.ifname": "mv-vepa", "attrs.linkinfo.data.mode": 2,
    }),
    ("link add mv-bridge link ve0 type macvlan mode bridge", "link", {
        "attrs.ifname": "mv-bridge", "attrs.linkinfo.data.mode": 4,
    }),
    ("link add mv-source link ve0 type macvlan mode source", "link", {
        "attrs.ifname": "mv-source", "attrs.linkinfo.data.mode": 16,
        "attrs.linkinfo.data.macaddr_count": 0,
    }),
    ("link add mv-pass link vp0 type macvlan mode passthru", "link", {
        "attrs.ifname": "mv-pass", "attrs.linkinfo.kind": "macvlan",
        "attrs.linkinfo.data.mode": 8,
    }),
    ("link add mvtap0 link vp1 type macvtap mode bridge", "link", {
        "attrs.ifname": "mvtap0", "attrs.linkinfo.kind": "macvtap",
        "attrs.linkinfo.data.mode": 4,
    }),
    ("link add vx0 type vxlan id 42 remote 192.0.2.9 local 192.0.2.1 dstport 4789 ttl 64 nolearning",
     "link", {
         "attrs.ifname": "vx0", "attrs.linkinfo.kind": "vxlan",
         "attrs.linkinfo.data.id": 42, "attrs.linkinfo.data.group": "192.0.2.9",
         "attrs.linkinfo.data.local": "192.0.2.1", "attrs.linkinfo.data.port": 4789,
         "attrs.linkinfo.data.ttl": 64, "attrs.linkinfo.data.learning": 0,
         "attrs.linkinfo.data.ttl_inherit": 0,
     }),
    ("link add vx1 type vxlan id 43 group 239.1.1.1 dev ve0 dstport 8472 ttl 10 learning "
     "srcport 40000 40100", "link", {
         "attrs.ifname": "vx1", "attrs.linkinfo.data.id": 43,
         "attrs.linkinfo.data.group": "239.1.1.1", "attrs.linkinfo.data.port": 8472,
         "attrs.linkinfo.data.ttl": 10, "attrs.linkinfo.data.learning": 1,
         "attrs.linkinfo.data.port_range.low": 40000, "attrs.linkinfo.data.port_range.high": 40100,
     }),
    ("link add vx6 type vxlan id 44 remote 2001:db8::9 local 2001:db8::1 dstport 4790", "link", {
        "attrs.ifname": "vx6", "attrs.linkinfo.data.id": 44,
        "attrs.linkinfo.data.group6": "2001:db8::9", "attrs.linkinfo.data.local6": "2001:db8::1",
        "attrs.linkinfo.data.port": 4790,
    }),
    ("link add ifb0 address 02:00:00:00:1f:b0 txqueuelen 32 type ifb", "link", {
        "attrs.ifname": "ifb0", "attrs.linkinfo.kind": "ifb",
        "attrs.address": "02:00:00:00:1f:b0", "attrs.txqlen": 32, "attrs.ifalias": "golden ifb",
    }),
    ("link set ifb0 alias 'golden ifb'", None, None),
    ("tuntap add dev tap0 mode tap", "link", {
        "attrs.ifname": "tap0", "attrs.linkinfo.kind": "tun",
    }),
    ("tuntap add dev tun0 mode tun", "link", {
        "attrs.ifname": "tun0", "attrs.linkinfo.kind": "tun", "header.type": 65534,
    }),
    ("link set lo up", "link", {
        "attrs.ifname": "lo", "header.index": 1, "header.type": 772, "attrs.mtu": 65536,
    }),
    # ---- addresses -----------------------------------------------------------
    ("addr add 192.0.2.1/24 brd + dev br0 label br0:main", "addr", {
        "header.family": 2, "header.prefixlen": 24, "header.scope": 0,
        "attrs.local": "192.0.2.1", "attrs.address": "192.0.2.1",
        "attrs.broadcast": "192.0.2.255", "attrs.label": "br0:main",
        "attrs.cacheinfo.valid": 0xFFFFFFFF, "attrs.cacheinfo.preferred": 0xFFFFFFFF,
    }),
    ("addr add 192.0.2.2/24 dev br0", "addr", {
        "attrs.local": "192.0.2.2", "header.prefixlen": 24, "header.flags": 0x81,
        "attrs.label": "br0",
    }),
    ("addr add 198.51.100.1/32 peer 198.51.100.2/32 dev ve0", "addr", {
        "attrs.local": "198.51.100.1", "attrs.address": "198.51.100.2", "header.prefixlen": 32,
    }),
    ("addr add 203.0.113.5/24 dev ve0 valid_lft 3600 preferred_lft 1800 noprefixroute", "addr", {
        "attrs.local": "203.0.113.5", "attrs.flags": 0x200, "header.flags": 0,
    }),
    ("addr add 10.250.0.1/8 dev lo scope host label lo:golden", "addr", {
        "attrs.local": "10.250.0.1", "header.scope": 254, "attrs.label": "lo:golden",
    }),
    ("addr add 2001:db8:1::1/64 dev br0 nodad", "addr", {
        "header.family": 10, "header.prefixlen": 64, "attrs.address": "2001:db8:1::1",
        "attrs.flags": 0x82,
    }),
    ("addr add 2001:db8:2::1/64 dev ve0 nodad noprefixroute valid_lft 7200 preferred_lft 600", "addr", {
        "header.family": 10, "attrs.address": "2001:db8:2::1", "attrs.flags": 0x202,
    }),
    ("addr add 2001:db8:3::1/128 peer 2001:db8:3::2/128 dev ve0 nodad", "addr", {
        "header.family": 10, "attrs.local": "2001:db8:3::1", "attrs.address": "2001:db8:3::2",
        "header.prefixlen": 128,
    }),
    ("addr add 2001:db8:5::1/64 dev ve0 nodad", None, None),
    ("addr add 2001:db8:4::1/64 dev br0 nodad home", "addr", {
        "attrs.address": "2001:db8:4::1", "attrs.flags": 0x92,
    }),
    # ---- routes ------------------------------------------------------------------
    ("route add 10.1.0.0/16 via 192.0.2.254 dev br0", "route", {
        "header.family": 2, "header.dst_len": 16, "header.table": 254, "header.protocol": 3,
        "header.type": 1, "header.scope": 0, "attrs.dst": "10.1.0.0",
        "attrs.gateway": "192.0.2.254", "attrs.table": 254,
    }),
    ("route add 10.2.0.0/16 dev ve0", "route", {
        "attrs.dst": "10.2.0.0", "header.scope": 253, "header.type": 1,
    }),
    ("route add 10.3.0.0/16 via 192.0.2.254 src 192.0.2.1 metric 50 proto static", "route", {
        "attrs.dst": "10.3.0.0", "attrs.prefsrc": "192.0.2.1", "attrs.priority": 50,
        "header.protocol": 4,
    }),
    ("route add 10.4.0.0/16 nexthop via 192.0.2.254 dev br0 weight 1 "
     "nexthop via 198.51.100.2 dev ve0 weight 3", "route", {
         "attrs.dst": "10.4.0.0", "attrs.multipath.0.attrs.gateway": "192.0.2.254",
         "attrs.multipath.0.hops": 0, "attrs.multipath.1.attrs.gateway": "198.51.100.2",
         "attrs.multipath.1.hops": 2,
     }),
    ("route add 10.5.0.0/16 via 192.0.2.254 mtu lock 1400 advmss 1360 initcwnd 10 proto boot",
     "route", {
         "attrs.dst": "10.5.0.0", "attrs.metrics.mtu": 1400, "attrs.metrics.lock": 1 << 2,
         "attrs.metrics.advmss": 1360, "attrs.metrics.initcwnd": 10,
     }),
    ("route add blackhole 10.6.0.0/16", "route", {"attrs.dst": "10.6.0.0", "header.type": 6}),
    ("route add unreachable 10.7.0.0/16", "route", {"attrs.dst": "10.7.0.0", "header.type": 7}),
    ("route add prohibit 10.8.0.0/16", "route", {"attrs.dst": "10.8.0.0", "header.type": 8}),
    ("route add throw 10.9.0.0/16 table 100", "route", {
        "attrs.dst": "10.9.0.0", "header.type": 9, "header.table": 100,
    }),
    ("route add 10.10.0.0/16 via 192.0.2.254 table 100 proto static metric 7", "route", {
        "attrs.dst": "10.10.0.0", "header.table": 100, "attrs.table": 100,
        "header.protocol": 4, "attrs.priority": 7,
    }),
    ("route add default via 192.0.2.254 table 100 proto bird", "route", {
        "header.dst_len": 0, "header.table": 100, "header.protocol": 12,
        "attrs.gateway": "192.0.2.254",
    }),
    ("route add 10.11.0.0/16 dev br0 table 1000 scope link proto 200", "route", {
        "attrs.dst": "10.11.0.0", "header.table": 252, "attrs.table": 1000,
        "header.protocol": 200,
    }),
    ("route add 10.12.0.0/24 via 192.0.2.254 dev br0 onlink table 200 tos 0x10", "route", {
        "attrs.dst": "10.12.0.0", "header.tos": 0x10, "attrs.table": 200,
        "header.flags": 4,
    }),
    ("-6 route add 2001:db8:10::/48 via 2001:db8:1::fe dev br0 pref high", "route", {
        "header.family": 10, "attrs.dst": "2001:db8:10::", "header.dst_len": 48,
        "attrs.gateway": "2001:db8:1::fe", "attrs.pref": 1, "attrs.priority": 1024,
    }),
    ("-6 route add 2001:db8:11::/48 dev ve0 metric 256 pref low", "route", {
        "attrs.dst": "2001:db8:11::", "attrs.priority": 256, "attrs.pref": 3,
    }),
    ("-6 route add 2001:db8:12::/48 nexthop via 2001:db8:1::fe dev br0 weight 2 "
     "nexthop via 2001:db8:5::fe dev ve0 weight 5", "route", {
         "attrs.dst": "2001:db8:12::", "attrs.multipath.0.attrs.gateway": "2001:db8:1::fe",
         "attrs.multipath.0.hops": 1, "attrs.multipath.1.attrs.gateway": "2001:db8:5::fe",
         "attrs.multipath.1.hops": 4,
     }),
    ("-6 route add blackhole 2001:db8:13::/48", "route", {
        "attrs.dst": "2001:db8:13::", "header.type": 6,
    }),
    ("-6 route add unreachable 2001:db8:14::/48 table 100 metric 9", "route", {
        "attrs.dst": "2001:db8:14::", "header.type": 7, "header.table": 100,
        "attrs.priority": 9,
    }),
    ("-6 route add 2001:db8:15::/64 via 2001:db8:1::fe mtu 1300 hoplimit 9 proto static "
     "expires 600", "route", {
         "attrs.dst": "2001:db8:15::", "attrs.metrics.mtu": 1300,
         "attrs.metrics.hoplimit": 9, "header.protocol": 4,
     }),
    # routes the kernel made itself
    (None, "route", {
        "header.family": 2, "header.table": 255, "header.type": 2,
        "attrs.dst": "192.0.2.1", "header.protocol": 2, "header.scope": 254,
    }),
    (None, "route", {
        "header.family": 2, "header.table": 254, "attrs.dst": "192.0.2.0",
        "header.dst_len": 24, "header.protocol": 2, "header.scope": 253,
        "attrs.prefsrc": "192.0.2.1",
    }),
]

# --------------------------------------------------------------------------

KINDS = ("link", "addr", "route")


def populate(netns, scenario=None):
    common.run_commands(netns, SCENARIO if scenario is None else scenario)


def capture(scenario=None):
    """Run the scenario in a throwaway namespace; return ({kind: [entries]}, problems)."""
    scenario = SCENARIO if scenario is None else scenario
    common.setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl

    get = {"link": C.RTM_GETLINK, "addr": C.RTM_GETADDR, "route": C.RTM_GETROUTE}
    with common.throwaway_netns() as netns:
        populate(netns, scenario)
        dumps = {kind: (rtnl.SCHEMAS, common.raw_dump(netns, C.NETLINK_ROUTE, rtnl.SCHEMAS, get[kind],
                                                      {"family": C.AF_UNSPEC}))
                 for kind in KINDS}
    return common.pick_all(dumps, dict.fromkeys(KINDS, scenario))


if __name__ == "__main__":
    sys.exit(common.main(__doc__, capture))
