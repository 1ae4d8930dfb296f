"""Capture golden policy-rule (RTM_NEWRULE) and xfrm policy
(XFRM_MSG_NEWPOLICY) messages from the running kernel.  Rerunnable; needs
root.  From the repository root:

    python3 tests/unit/netlink/golden/capture_rule_xfrm.py          # writes rule.json, xfrm_policy.json
    python3 tests/unit/netlink/golden/capture_rule_xfrm.py --check  # capture, compare, write nothing

Same method and format as capture.py (links/addresses/routes): in a
throwaway namespace ``nltest-cap-<random>`` (always deleted) it runs the
``ip`` commands below, dumps rules (NETLINK_ROUTE, RTM_GETRULE) and xfrm
policies (NETLINK_XFRM, XFRM_MSG_GETPOLICY) on its OWN AF_NETLINK socket,
keeps the raw bytes of every reply message, picks for each scenario step
the one message whose decoded fields match its ``expect`` and stores

    {"command": "ip ...", "hex": "<raw nlmsg bytes>", "expect": {"attrs.priority": 100, ...}}

Dotted ``expect`` paths as in capture.py; list items by index
(``attrs.tmpl.0.reqid``).  Byte-string fields (xfrm_address_t, 16 raw
bytes) are written as lowercase hex text; ``test_xfrm_schema.py`` also
checks them as addresses.

SAs cannot be captured here (the host kernel has no ESP/AH/IPcomp); the VM
tier (tests/vm/test_xfrm_sa_library.py) covers them against a stock kernel.
"""
from __future__ import print_function

import socket
import sys

try:  # loaded by path with the collection importable
    from ansible_collections.netlink.host.tests.unit.netlink.golden import capture_common as common
except ImportError:  # run as a script: capture_common.py sits next to this file
    import capture_common as common

AF_INET, AF_INET6 = 2, 10


def hexaddr(text):
    """The hex form of the 16-byte xfrm_address_t holding ``text``."""
    fam = socket.AF_INET6 if ":" in text else socket.AF_INET
    return socket.inet_pton(fam, text).ljust(16, b"\0").hex()


# (command run as `ip -n NS <command>`, kind, expect); kind None: set-up only.
RULE_SCENARIO = [
    ("rule add pref 100 from 10.1.0.0/16 to 10.2.0.0/24 iif lo oif lo fwmark 0x10/0xff "
     "table 100 uidrange 1000-2000 ipproto udp sport 1000-2000 dport 53 protocol 99 tos 0x10",
     "rule", {
         "header.family": AF_INET, "header.src_len": 16, "header.dst_len": 24,
         "header.tos": 0x10, "header.table": 100, "header.action": 1, "header.flags": 0,
         "attrs.priority": 100, "attrs.src": "10.1.0.0", "attrs.dst": "10.2.0.0",
         "attrs.iifname": "lo", "attrs.oifname": "lo", "attrs.fwmark": 0x10,
         "attrs.fwmask": 0xFF, "attrs.table": 100, "attrs.uid_range.start": 1000,
         "attrs.uid_range.end": 2000, "attrs.ip_proto": 17,
         "attrs.sport_range.start": 1000, "attrs.sport_range.end": 2000,
         "attrs.dport_range.start": 53, "attrs.dport_range.end": 53, "attrs.protocol": 99,
     }),
    ("rule add pref 110 not from 10.3.0.0/16 lookup 200", "rule", {
        "attrs.priority": 110, "header.flags": 2, "attrs.src": "10.3.0.0",
        "header.src_len": 16, "attrs.table": 200, "header.table": 200,
    }),
    ("rule add pref 120 lookup main suppress_prefixlength 0", "rule", {
        "attrs.priority": 120, "attrs.suppress_prefixlen": 0, "attrs.table": 254,
    }),
    ("rule add pref 130 lookup main suppress_ifgroup 5", "rule", {
        "attrs.priority": 130, "attrs.suppress_ifgroup": 5,
        "attrs.suppress_prefixlen": 0xFFFFFFFF,
    }),
    ("rule add pref 140 fwmark 0x20 goto 200", "rule", {
        "attrs.priority": 140, "header.action": 2, "attrs.goto": 200, "attrs.fwmark": 0x20,
        "attrs.fwmask": 0xFFFFFFFF,
    }),
    ("rule add pref 150 nop", "rule", {
        "attrs.priority": 150, "header.action": 3,
    }),
    ("rule add pref 151 from 10.5.0.0/16 blackhole", "rule", {
        "attrs.priority": 151, "header.action": 6, "attrs.src": "10.5.0.0",
    }),
    ("rule add pref 152 to 10.6.0.0/16 unreachable", "rule", {
        "attrs.priority": 152, "header.action": 7, "attrs.dst": "10.6.0.0",
    }),
    ("rule add pref 153 iif lo prohibit", "rule", {
        "attrs.priority": 153, "header.action": 8, "attrs.iifname": "lo",
    }),
    ("rule add pref 160 tun_id 42 lookup 100", "rule", {
        "attrs.priority": 160, "attrs.tun_id": 42, "attrs.table": 100,
    }),
    ("rule add pref 170 realms 3/4 lookup 100", "rule", {
        "attrs.priority": 170, "attrs.flow": (3 << 16) | 4,
    }),
    ("rule add pref 180 l3mdev", "rule", {
        "attrs.priority": 180, "attrs.l3mdev": 1, "header.action": 1,
    }),
    ("rule add pref 190 table 1000 ipproto tcp dport 80-90", "rule", {
        "attrs.priority": 190, "header.table": 252, "attrs.table": 1000, "attrs.ip_proto": 6,
        "attrs.dport_range.start": 80, "attrs.dport_range.end": 90,
    }),
    ("rule add pref 200 from 192.0.2.0/24 lookup 300 protocol static", "rule", {
        "attrs.priority": 200, "attrs.table": 300, "attrs.protocol": 4,
    }),
    ("-6 rule add pref 300 from 2001:db8::/32 to 2001:db8:1::/48 iif lo lookup 100 "
     "ipproto tcp sport 22", "rule", {
         "header.family": AF_INET6, "header.src_len": 32, "header.dst_len": 48,
         "attrs.priority": 300, "attrs.src": "2001:db8::", "attrs.dst": "2001:db8:1::",
         "attrs.iifname": "lo", "attrs.ip_proto": 6, "attrs.sport_range.start": 22,
         "attrs.sport_range.end": 22,
     }),
    ("-6 rule add pref 310 fwmark 0x1 lookup 101 uidrange 0-0", "rule", {
        "header.family": AF_INET6, "attrs.priority": 310, "attrs.fwmark": 1,
        "attrs.uid_range.start": 0, "attrs.uid_range.end": 0, "attrs.table": 101,
    }),
    ("-6 rule add pref 320 oif lo blackhole", "rule", {
        "header.family": AF_INET6, "attrs.priority": 320, "header.action": 6,
        "attrs.oifname": "lo",
    }),
    # the rules every namespace starts with
    (None, "rule", {
        "header.family": AF_INET, "header.table": 255, "attrs.table": 255, "attrs.protocol": 2,
        "header.action": 1,
    }),
    (None, "rule", {
        "header.family": AF_INET, "attrs.priority": 32766, "attrs.table": 254,
    }),
    (None, "rule", {
        "header.family": AF_INET, "attrs.priority": 32767, "attrs.table": 253,
    }),
    (None, "rule", {
        "header.family": AF_INET6, "attrs.priority": 32766, "attrs.table": 254,
    }),
]

XFRM_POLICY_SCENARIO = [
    ("xfrm policy add src 10.0.0.1/32 dst 10.0.0.2/32 proto udp sport 500 dport 4500 dir out "
     "priority 5 mark 0x5 mask 0xff tmpl src 10.0.0.1 dst 10.0.0.2 proto esp reqid 7 mode tunnel",
     "xfrm_policy", {
         "header.sel.family": AF_INET, "header.sel.daddr": hexaddr("10.0.0.2"),
         "header.sel.saddr": hexaddr("10.0.0.1"), "header.sel.prefixlen_d": 32,
         "header.sel.prefixlen_s": 32, "header.sel.proto": 17, "header.sel.sport": 500,
         "header.sel.sport_mask": 0xFFFF, "header.sel.dport": 4500, "header.dir": 1,
         "header.priority": 5, "header.action": 0,
         "header.lft.soft_byte_limit": 0xFFFFFFFFFFFFFFFF,
         "attrs.mark.v": 5, "attrs.mark.m": 0xFF, "attrs.policy_type.type": 0,
         "attrs.tmpl.0.id.proto": 50, "attrs.tmpl.0.id.daddr": hexaddr("10.0.0.2"),
         "attrs.tmpl.0.saddr": hexaddr("10.0.0.1"), "attrs.tmpl.0.family": AF_INET,
         "attrs.tmpl.0.reqid": 7, "attrs.tmpl.0.mode": 1, "attrs.tmpl.0.optional": 0,
         "attrs.tmpl.0.ealgos": 0xFFFFFFFF,
     }),
    ("xfrm policy add src 10.0.0.2/32 dst 10.0.0.1/32 dir in priority 10 "
     "tmpl src 10.0.0.2 dst 10.0.0.1 proto esp reqid 8 mode transport", "xfrm_policy", {
         "header.dir": 0, "header.priority": 10, "header.sel.daddr": hexaddr("10.0.0.1"),
         "attrs.tmpl.0.reqid": 8, "attrs.tmpl.0.mode": 0,
     }),
    ("xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir fwd action block", "xfrm_policy", {
        "header.dir": 2, "header.action": 1, "header.sel.prefixlen_s": 16,
        "header.sel.prefixlen_d": 16, "header.sel.saddr": hexaddr("10.9.0.0"),
    }),
    ("xfrm policy add src 10.0.0.3/32 dst 10.0.0.4/32 proto icmp type 8 code 0 dev lo dir in "
     "flag localok icmp limit time-soft 60 limit time-hard 120 limit byte-soft 1000 "
     "limit packet-hard 50 tmpl src 10.0.0.4 dst 10.0.0.3 proto ah mode transport level use",
     "xfrm_policy", {
         "header.sel.proto": 1, "header.sel.sport": 8, "header.sel.dport": 0,
         "header.sel.ifindex": 1, "header.flags": 3,
         "header.lft.soft_add_expires_seconds": 60, "header.lft.hard_add_expires_seconds": 120,
         "header.lft.soft_byte_limit": 1000, "header.lft.hard_packet_limit": 50,
         "attrs.tmpl.0.id.proto": 51, "attrs.tmpl.0.optional": 1,
     }),
    ("xfrm policy add src 10.0.0.5/32 dst 10.0.0.6/32 dir out if_id 0x5 "
     "tmpl src 10.0.0.5 dst 10.0.0.6 proto esp mode tunnel", "xfrm_policy", {
         "header.sel.saddr": hexaddr("10.0.0.5"), "attrs.if_id": 5,
     }),
    ("xfrm policy add src 10.0.0.7/32 dst 10.0.0.8/32 dir out "
     "tmpl src 10.0.0.7 dst 10.0.0.8 proto comp spi 0x1000 mode tunnel "
     "tmpl src 10.0.0.7 dst 10.0.0.8 proto esp spi 0x2000 mode transport",
     "xfrm_policy", {
         "header.sel.saddr": hexaddr("10.0.0.7"), "attrs.tmpl.0.id.proto": 108,
         "attrs.tmpl.0.id.spi": 0x1000, "attrs.tmpl.1.id.proto": 50,
         "attrs.tmpl.1.id.spi": 0x2000, "attrs.tmpl.1.mode": 0,
     }),
    ("xfrm policy add src 10.0.0.0/8 dst 10.1.0.0/16 dir out ptype sub", "xfrm_policy", {
        "header.sel.prefixlen_s": 8, "attrs.policy_type.type": 1,
    }),
    ("xfrm policy add src 2001:db8::1/128 dst 2001:db8::2/128 proto tcp dport 443 dir out "
     "tmpl src 2001:db8::1 dst 2001:db8::2 proto esp reqid 9 mode transport", "xfrm_policy", {
         "header.sel.family": AF_INET6, "header.sel.daddr": hexaddr("2001:db8::2"),
         "header.sel.saddr": hexaddr("2001:db8::1"), "header.sel.prefixlen_d": 128,
         "header.sel.proto": 6, "header.sel.dport": 443, "attrs.tmpl.0.family": AF_INET6,
         "attrs.tmpl.0.reqid": 9, "attrs.tmpl.0.id.daddr": hexaddr("2001:db8::2"),
     }),
    ("xfrm policy add src 2001:db8:1::/48 dst 2001:db8:2::/48 dir fwd "
     "tmpl src 2001:db8::a dst 2001:db8::b proto esp reqid 10 mode tunnel", "xfrm_policy", {
         "header.sel.family": AF_INET6, "header.dir": 2, "header.sel.prefixlen_s": 48,
         "attrs.tmpl.0.saddr": hexaddr("2001:db8::a"), "attrs.tmpl.0.mode": 1,
     }),
]

SCENARIOS = {"rule": RULE_SCENARIO, "xfrm_policy": XFRM_POLICY_SCENARIO}

# --------------------------------------------------------------------------


def capture():
    """Run both scenarios in a throwaway namespace; return ({kind: [entries]}, problems)."""
    common.setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl, xfrm

    with common.throwaway_netns() as netns:
        for scenario in SCENARIOS.values():
            common.run_commands(netns, scenario)
        dumps = {
            "rule": (rtnl.SCHEMAS, common.raw_dump(netns, C.NETLINK_ROUTE, rtnl.SCHEMAS, C.RTM_GETRULE,
                                                   {"family": C.AF_UNSPEC})),
            "xfrm_policy": (xfrm.SCHEMAS, common.raw_dump(netns, C.NETLINK_XFRM, xfrm.SCHEMAS,
                                                          C.XFRM_MSG_GETPOLICY)),
        }
    return common.pick_all(dumps, SCENARIOS)


if __name__ == "__main__":
    sys.exit(common.main(__doc__, capture))
