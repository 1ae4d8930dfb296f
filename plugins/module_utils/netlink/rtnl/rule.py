# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWRULE/DELRULE/GETRULE: policy routing rules, ``struct
fib_rule_hdr`` + FRA_* (linux/fib_rules.h), for AF_INET and AF_INET6.

Equivalents: RTM_NEWRULE is ``ip rule add``, RTM_DELRULE ``ip rule del``,
an RTM_GETRULE dump ``ip rule show``.  fib_rule_hdr.table holds the table
only when it is < 256; FRA_TABLE always carries the full 32-bit id.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..codec import BE32, BE64, BINARY, IP, STRING, U8, U16, U32
from ..ipproto import IPPROTO
from ..schema import Attr, AttrSet, Body, Enum, Struct
from .route import RT_TABLE, RTPROT

# linux/fib_rules.h enum: FR_ACT_* (fib_rule_hdr.action)
FR_ACT_UNSPEC = 0
FR_ACT_TO_TBL = 1
FR_ACT_GOTO = 2
FR_ACT_NOP = 3
FR_ACT_RES3 = 4
FR_ACT_RES4 = 5
FR_ACT_BLACKHOLE = 6
FR_ACT_UNREACHABLE = 7
FR_ACT_PROHIBIT = 8
# The actions in iproute2's words (``ip rule ... lookup|goto|nop|blackhole|
# unreachable|prohibit``; ip-rule(8) calls FR_ACT_TO_TBL ``lookup``, with
# ``table`` as its synonym, accepted on input).  FR_ACT_UNSPEC/RES3/RES4
# have no word: the kernel keeps such a rule (it matches and fails the
# lookup), iproute2 makes one only as ``type N``, so they stay numbers.
FR_ACTION = Enum("action", {
    FR_ACT_TO_TBL: "lookup", FR_ACT_GOTO: "goto", FR_ACT_NOP: "nop",
    FR_ACT_BLACKHOLE: "blackhole", FR_ACT_UNREACHABLE: "unreachable", FR_ACT_PROHIBIT: "prohibit",
}, aliases={"table": FR_ACT_TO_TBL})

FIB_RULE_HDR = Struct("fib_rule_hdr", [          # 12 bytes
    ("family", "B"), ("dst_len", "B"), ("src_len", "B"), ("tos", "B"),
    ("table", "B", RT_TABLE), ("res1", "B"), ("res2", "B"), ("action", "B", FR_ACTION),
    ("flags", "I"),
])

FIB_RULE_UID_RANGE = Struct("fib_rule_uid_range", [      # 8 bytes
    ("start", "I"), ("end", "I"),
])

# Ports in host byte order (the kernel compares them with ntohs(port)).
FIB_RULE_PORT_RANGE = Struct("fib_rule_port_range", [    # 4 bytes
    ("start", "H"), ("end", "H"),
])

RULE_ATTRS = AttrSet("fra", [
    Attr(1, "dst", IP),                         # FRA_DST
    Attr(2, "src", IP),                         # FRA_SRC
    Attr(3, "iifname", STRING),                 # FRA_IIFNAME (FRA_IFNAME)
    Attr(4, "goto", U32),                       # FRA_GOTO (target priority)
    Attr(6, "priority", U32),                   # FRA_PRIORITY (preference)
    Attr(10, "fwmark", U32),                    # FRA_FWMARK
    Attr(11, "flow", U32),                      # FRA_FLOW (realms: to | from << 16)
    Attr(12, "tun_id", BE64),                   # FRA_TUN_ID
    Attr(13, "suppress_ifgroup", U32),          # FRA_SUPPRESS_IFGROUP
    Attr(14, "suppress_prefixlen", U32),        # FRA_SUPPRESS_PREFIXLEN
    Attr(15, "table", U32, enum=RT_TABLE),      # FRA_TABLE
    Attr(16, "fwmask", U32),                    # FRA_FWMASK
    Attr(17, "oifname", STRING),                # FRA_OIFNAME
    Attr(18, "pad", BINARY),                    # FRA_PAD
    Attr(19, "l3mdev", U8),                     # FRA_L3MDEV
    Attr(20, "uid_range", FIB_RULE_UID_RANGE),  # FRA_UID_RANGE
    Attr(21, "protocol", U8, enum=RTPROT),      # FRA_PROTOCOL (RTPROT_*)
    Attr(22, "ip_proto", U8, enum=IPPROTO),     # FRA_IP_PROTO
    Attr(23, "sport_range", FIB_RULE_PORT_RANGE),   # FRA_SPORT_RANGE
    Attr(24, "dport_range", FIB_RULE_PORT_RANGE),   # FRA_DPORT_RANGE
    Attr(25, "dscp", U8),                       # FRA_DSCP (6.10+)
    Attr(26, "flowlabel", BE32),                # FRA_FLOWLABEL (__be32, 6.14+)
    Attr(27, "flowlabel_mask", BE32),           # FRA_FLOWLABEL_MASK (__be32)
    Attr(28, "sport_mask", U16),                # FRA_SPORT_MASK (6.15+)
    Attr(29, "dport_mask", U16),                # FRA_DPORT_MASK
    Attr(30, "dscp_mask", U8),                  # FRA_DSCP_MASK
])

RULE = Body("rule", FIB_RULE_HDR, RULE_ATTRS)

# linux/fib_rules.h fib_rule_hdr.flags
FIB_RULE_PERMANENT = 0x00000001
FIB_RULE_INVERT = 0x00000002        # ``ip rule add not ...``
FIB_RULE_UNRESOLVED = 0x00000004    # goto target missing
FIB_RULE_IIF_DETACHED = 0x00000008
FIB_RULE_DEV_DETACHED = FIB_RULE_IIF_DETACHED
FIB_RULE_OIF_DETACHED = 0x00000010
FIB_RULE_FIND_SADDR = 0x00010000
