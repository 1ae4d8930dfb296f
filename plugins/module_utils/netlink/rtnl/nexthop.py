# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWNEXTHOP/DELNEXTHOP/GETNEXTHOP: ``struct nhmsg`` + NHA_*
(linux/nexthop.h), the kernel's nexthop objects (5.3+) that routes use by
id (RTA_NH_ID).

Equivalents: RTM_NEWNEXTHOP is ``ip nexthop add|replace`` (NLM_F_CREATE |
NLM_F_EXCL, NLM_F_REPLACE), RTM_DELNEXTHOP ``ip nexthop del id N``, an
RTM_GETNEXTHOP dump ``ip nexthop show``; a dump is filtered by the kernel
on NHA_OIF, NHA_GROUPS (groups only), NHA_MASTER and NHA_FDB, a GET with
NHA_ID reads one.  A nexthop is one of: a gateway and/or a device
(NHA_GATEWAY, NHA_OIF, ``nh_flags`` RTNH_F_ONLINK), NHA_BLACKHOLE, or a
group (NHA_GROUP: back-to-back ``struct nexthop_grp``, NHA_GROUP_TYPE,
and for a resilient group the nest NHA_RES_GROUP).  NHA_FDB marks one
for the bridge/VXLAN FDB.  ``nexthop_grp.weight`` is the weight minus one
(iproute2's ``id/weight``: 1..256); 6.12+ carries the high byte of a
16-bit weight in the former ``resvd1`` (``weight_high``).  Resilient group
timers are clock_t (USER_HZ, 100 a second) on the wire.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..codec import BINARY, FLAG, IP, U16, U32, U64
from ..schema import Array, Attr, AttrSet, Body, Enum, Struct
from .route import RT_SCOPE, RTPROT

# linux/nexthop.h: NEXTHOP_GRP_TYPE_* (NHA_GROUP_TYPE), iproute2's words
NEXTHOP_GRP_TYPE_MPATH = 0
NEXTHOP_GRP_TYPE_RES = 1
GROUP_TYPE = Enum("group_type", {NEXTHOP_GRP_TYPE_MPATH: "mpath", NEXTHOP_GRP_TYPE_RES: "resilient"})

NHMSG = Struct("nhmsg", [                        # 8 bytes
    ("family", "B"), ("scope", "B", RT_SCOPE), ("protocol", "B", RTPROT), ("resvd", "B"),
    ("flags", "I"),                              # RTNH_F_* (route.py)
])

NEXTHOP_GRP = Struct("nexthop_grp", [            # 8 bytes
    ("id", "I"), ("weight", "B"), ("weight_high", "B"), ("resvd2", "H"),
])

# NHA_RES_GROUP_* (nested in NHA_RES_GROUP); 0 is the u64 pad, kept raw
RES_GROUP_ATTRS = AttrSet("nha_res_group", [
    Attr(1, "buckets", U16),                 # NHA_RES_GROUP_BUCKETS
    Attr(2, "idle_timer", U32),              # NHA_RES_GROUP_IDLE_TIMER (clock_t)
    Attr(3, "unbalanced_timer", U32),        # NHA_RES_GROUP_UNBALANCED_TIMER (clock_t)
    Attr(4, "unbalanced_time", U64),         # NHA_RES_GROUP_UNBALANCED_TIME (clock_t, read only)
])

# NHA_RES_BUCKET_* (nested in NHA_RES_BUCKET, RTM_*NEXTHOPBUCKET only)
RES_BUCKET_ATTRS = AttrSet("nha_res_bucket", [
    Attr(1, "index", U16),                   # NHA_RES_BUCKET_INDEX
    Attr(2, "idle_time", U64),               # NHA_RES_BUCKET_IDLE_TIME (clock_t)
    Attr(3, "nh_id", U32),                   # NHA_RES_BUCKET_NH_ID
])

NEXTHOP_ATTRS = AttrSet("nha", [
    Attr(1, "id", U32),                      # NHA_ID (0 in a request: the kernel picks one)
    Attr(2, "group", Array(NEXTHOP_GRP)),    # NHA_GROUP
    Attr(3, "group_type", U16, enum=GROUP_TYPE),  # NHA_GROUP_TYPE
    Attr(4, "blackhole", FLAG),              # NHA_BLACKHOLE
    Attr(5, "oif", U32),                     # NHA_OIF (also a dump filter)
    Attr(6, "gateway", IP),                  # NHA_GATEWAY (4 or 16 bytes)
    Attr(7, "encap_type", U16),              # NHA_ENCAP_TYPE (LWTUNNEL_ENCAP_*)
    # NHA_ENCAP, kept raw as routes keep RTA_ENCAP; unlike RTA_ENCAP the
    # kernel parses it strictly (rtm_nh_policy_new: NLA_NESTED), so a
    # request without NLA_F_NESTED is refused ("NLA_F_NESTED is missing"),
    # though its dumps send it without the flag
    Attr(8, "encap", BINARY, nested_flag=True),
    Attr(9, "groups", FLAG),                 # NHA_GROUPS (dump filter: groups only)
    Attr(10, "master", U32),                 # NHA_MASTER (dump filter)
    Attr(11, "fdb", FLAG),                   # NHA_FDB
    Attr(12, "res_group", RES_GROUP_ATTRS, nested_flag=True),    # NHA_RES_GROUP
    Attr(13, "res_bucket", RES_BUCKET_ATTRS, nested_flag=True),  # NHA_RES_BUCKET
    Attr(14, "op_flags", U32),               # NHA_OP_FLAGS (6.10+: dump/get asks for stats)
    Attr(15, "group_stats", BINARY),         # NHA_GROUP_STATS (6.10+, read only; kept raw)
    Attr(16, "hw_stats_enable", U32),        # NHA_HW_STATS_ENABLE (6.10+)
    Attr(17, "hw_stats_used", U32),          # NHA_HW_STATS_USED (6.10+, read only)
])

NEXTHOP = Body("nexthop", NHMSG, NEXTHOP_ATTRS)
