# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWROUTE/DELROUTE/GETROUTE: rtmsg + RTA_* (linux/rtnetlink.h), with
RTA_METRICS (nested RTAX_*) and RTA_MULTIPATH (a run of rtnexthop)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import struct

from ..codec import BINARY, BE16, BE32, IP, STRING, U8, U16, U32
from ..errors import DecodeError
from ..ipproto import IPPROTO
from ..schema import Attr, AttrSet, Body, Enum, Struct

# -- value meanings (linux/rtnetlink.h), named in iproute2's words --------

# RTN_* route types.  RTN_UNSPEC (0) has no name: the kernel never reports
# it and iproute2 takes no word for it ("none" is print-only).
RTN_UNICAST = 1
RTN_TYPE = Enum("type", {
    RTN_UNICAST: "unicast", 2: "local", 3: "broadcast", 4: "anycast", 5: "multicast",
    6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw", 10: "nat", 11: "xresolve",
})
# RTPROT_* route origins (all of the uapi header; iproute2 itself knows
# only some without /etc/iproute2/rt_protos: see objects/route.py).
RTPROT_KERNEL = 2
RTPROT_BOOT = 3
RTPROT = Enum("protocol", {
    0: "unspec", 1: "redirect", RTPROT_KERNEL: "kernel", RTPROT_BOOT: "boot", 4: "static",
    8: "gated", 9: "ra", 10: "mrt", 11: "zebra", 12: "bird", 13: "dnrouted", 14: "xorp",
    15: "ntk", 16: "dhcp", 17: "mrouted", 18: "keepalived", 42: "babel", 84: "ovn",
    99: "openr", 186: "bgp", 187: "isis", 188: "ospf", 189: "rip", 192: "eigrp",
})
# RT_SCOPE_*; iproute2 calls RT_SCOPE_UNIVERSE "global" ("universe" is
# accepted on input, never printed).
RT_SCOPE_UNIVERSE = 0
RT_SCOPE_LINK = 253
RT_SCOPE_HOST = 254
RT_SCOPE_NOWHERE = 255
RT_SCOPE = Enum("scope", {
    RT_SCOPE_UNIVERSE: "global", 200: "site", RT_SCOPE_LINK: "link", RT_SCOPE_HOST: "host",
    RT_SCOPE_NOWHERE: "nowhere",
}, aliases={"universe": RT_SCOPE_UNIVERSE})
# RT_TABLE_*: the reserved tables iproute2 names without /etc/iproute2
# (RT_TABLE_UNSPEC 0 and RT_TABLE_COMPAT 252 are numbers to it).
RT_TABLE_MAIN = 254
RT_TABLE = Enum("table", {253: "default", RT_TABLE_MAIN: "main", 255: "local"})
# linux/icmpv6.h router preference (RTA_PREF)
ICMPV6_ROUTER_PREF = Enum("pref", {0: "medium", 1: "high", 3: "low"})

RTMSG = Struct("rtmsg", [
    ("family", "B"), ("dst_len", "B"), ("src_len", "B"), ("tos", "B"),
    ("table", "B", RT_TABLE), ("protocol", "B", RTPROT), ("scope", "B", RT_SCOPE),
    ("type", "B", RTN_TYPE), ("flags", "I"),
])

METRICS = AttrSet("rtax", [
    Attr(1, "lock", U32),                   # RTAX_LOCK
    Attr(2, "mtu", U32),                    # RTAX_MTU
    Attr(3, "window", U32),                 # RTAX_WINDOW
    Attr(4, "rtt", U32),                    # RTAX_RTT
    Attr(5, "rttvar", U32),                 # RTAX_RTTVAR
    Attr(6, "ssthresh", U32),               # RTAX_SSTHRESH
    Attr(7, "cwnd", U32),                   # RTAX_CWND
    Attr(8, "advmss", U32),                 # RTAX_ADVMSS
    Attr(9, "reordering", U32),             # RTAX_REORDERING
    Attr(10, "hoplimit", U32),              # RTAX_HOPLIMIT
    Attr(11, "initcwnd", U32),              # RTAX_INITCWND
    Attr(12, "features", U32),              # RTAX_FEATURES
    Attr(13, "rto_min", U32),               # RTAX_RTO_MIN
    Attr(14, "initrwnd", U32),              # RTAX_INITRWND
    Attr(15, "quickack", U32),              # RTAX_QUICKACK
    Attr(16, "cc_algo", STRING),            # RTAX_CC_ALGO
    Attr(17, "fastopen_no_cookie", U32),    # RTAX_FASTOPEN_NO_COOKIE
])

RTA_CACHEINFO = Struct("rta_cacheinfo", [
    ("clntref", "I"), ("lastuse", "I"), ("expires", "i"), ("error", "I"),
    ("used", "I"), ("id", "I"), ("ts", "I"), ("tsage", "I"),
])


class _Via:
    """RTA_VIA: struct rtvia { __kernel_sa_family_t family; __u8 addr[]; }"""

    name = "rtvia"
    size = None
    _FAM = struct.Struct("=H")

    def decode(self, buf, start, end):
        family = self._FAM.unpack_from(buf, start)[0]
        return {"family": family, "addr": IP.decode(buf, start + 2, end)}

    def encode(self, value):
        return self._FAM.pack(value["family"]) + IP.encode(value["addr"])


VIA = _Via()

# Attributes allowed inside one rtnexthop (a subset of RTA_*).
NEXTHOP_ATTRS = AttrSet("rtnh_attrs", [
    Attr(5, "gateway", IP),                 # RTA_GATEWAY
    Attr(11, "flow", U32),                  # RTA_FLOW
    Attr(18, "via", VIA),                   # RTA_VIA
    Attr(21, "encap_type", U16),            # RTA_ENCAP_TYPE
    Attr(22, "encap", BINARY),              # RTA_ENCAP
])

_RTNEXTHOP = struct.Struct("=HBBi")  # rtnh_len, rtnh_flags, rtnh_hops, rtnh_ifindex
# _Multipath.decode: raw RTA_MULTIPATH payload -> its decoded list, shared
# by every route with the same paths (a full table through one group or
# one set of 16 gateways repeats the same bytes a million times; the
# kernel also expands a route's nexthop object into RTA_MULTIPATH in
# dumps, nexthop_compat_mode).  Callers treat decoded values as read-only.
# Cleared when full: a table has few distinct sets of paths.
_DECODED_PATHS = {}
_DECODED_PATHS_MAX = 4096


class _Multipath:
    """RTA_MULTIPATH: back-to-back ``struct rtnexthop`` records, each
    followed by its own attributes; rtnh_len covers both.  Decoded as a
    list of dicts {flags, hops (weight - 1), ifindex, attrs}."""

    name = "rtnexthop[]"
    size = None

    def decode(self, buf, start, end):
        raw = bytes(buf[start:end])
        out = _DECODED_PATHS.get(raw)
        if out is not None:
            return out
        out = []
        off = start
        while off + 8 <= end:
            rlen, flags, hops, ifindex = _RTNEXTHOP.unpack_from(buf, off)
            if rlen < 8 or off + rlen > end:
                raise DecodeError("rtnexthop: bad length %d" % rlen)
            out.append({"flags": flags, "hops": hops, "ifindex": ifindex,
                        "attrs": NEXTHOP_ATTRS.decode(buf, off + 8, off + rlen)})
            off += (rlen + 3) & ~3
        if len(_DECODED_PATHS) >= _DECODED_PATHS_MAX:
            _DECODED_PATHS.clear()
        _DECODED_PATHS[raw] = out
        return out

    def encode(self, value):
        parts = []
        for hop in value:
            attrs = NEXTHOP_ATTRS.encode(hop.get("attrs") or {})
            parts.append(_RTNEXTHOP.pack(8 + len(attrs), hop.get("flags", 0),
                                         hop.get("hops", 0), hop.get("ifindex", 0)) + attrs)
        return b"".join(parts)


MULTIPATH = _Multipath()

ROUTE_ATTRS = AttrSet("rta", [
    Attr(1, "dst", IP),                     # RTA_DST
    Attr(2, "src", IP),                     # RTA_SRC
    Attr(3, "iif", U32),                    # RTA_IIF
    Attr(4, "oif", U32),                    # RTA_OIF
    Attr(5, "gateway", IP),                 # RTA_GATEWAY
    Attr(6, "priority", U32),               # RTA_PRIORITY (metric)
    Attr(7, "prefsrc", IP),                 # RTA_PREFSRC
    Attr(8, "metrics", METRICS),            # RTA_METRICS
    Attr(9, "multipath", MULTIPATH),        # RTA_MULTIPATH
    Attr(11, "flow", U32),                  # RTA_FLOW
    Attr(12, "cacheinfo", RTA_CACHEINFO),   # RTA_CACHEINFO
    Attr(15, "table", U32, enum=RT_TABLE),  # RTA_TABLE
    Attr(16, "mark", U32),                  # RTA_MARK
    Attr(17, "mfc_stats", BINARY),          # RTA_MFC_STATS
    Attr(18, "via", VIA),                   # RTA_VIA
    Attr(19, "newdst", BINARY),             # RTA_NEWDST
    Attr(20, "pref", U8, enum=ICMPV6_ROUTER_PREF),  # RTA_PREF
    Attr(21, "encap_type", U16),            # RTA_ENCAP_TYPE
    Attr(22, "encap", BINARY),              # RTA_ENCAP
    Attr(23, "expires", U32),               # RTA_EXPIRES
    Attr(24, "pad", BINARY),                # RTA_PAD
    Attr(25, "uid", U32),                   # RTA_UID
    Attr(26, "ttl_propagate", U8),          # RTA_TTL_PROPAGATE
    Attr(27, "ip_proto", U8, enum=IPPROTO),  # RTA_IP_PROTO
    Attr(28, "sport", BE16),                # RTA_SPORT
    Attr(29, "dport", BE16),                # RTA_DPORT
    Attr(30, "nh_id", U32),                 # RTA_NH_ID
    Attr(31, "flowlabel", BE32),            # RTA_FLOWLABEL (__be32, NLA_BE32)
])

ROUTE = Body("route", RTMSG, ROUTE_ATTRS)

# linux/rtnetlink.h next-hop flags (RTNH_F_*)
RTNH_F_DEAD = 1
RTNH_F_PERVASIVE = 2
RTNH_F_ONLINK = 4
RTNH_F_OFFLOAD = 8
RTNH_F_LINKDOWN = 16
RTNH_F_UNRESOLVED = 32
RTNH_F_TRAP = 64
