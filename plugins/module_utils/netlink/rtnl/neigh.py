# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWNEIGH/DELNEIGH/GETNEIGH: ``struct ndmsg`` + NDA_*
(linux/neighbour.h), the neighbour tables (ARP, NDP) and, with family
AF_BRIDGE, the bridge/VXLAN forwarding database.

Equivalents: RTM_NEWNEIGH is ``ip neigh add|change|replace`` (NLM_F_CREATE
| NLM_F_EXCL, NLM_F_REPLACE, both), RTM_DELNEIGH ``ip neigh del``, an
RTM_GETNEIGH dump ``ip neigh show``.  A dump is filtered by the kernel on
NDA_IFINDEX / NDA_MASTER (with strict checking the header's ifindex must be
0); ``ndm_flags`` NTF_PROXY in a dump request reads the proxy table
instead.  NUD_* are one state of ``ndm_state`` (a bit each), NTF_* the bits
of ``ndm_flags``; the flags beyond its 8 bits travel in NDA_FLAGS_EXT.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..codec import BE16, FLAG, IP, MAC, S32, U8, U16, U32
from ..schema import Attr, AttrSet, Body, Flags, Struct
from .route import RTPROT

# linux/neighbour.h NUD_* (ndm_state): one of them at a time; NOARP and
# PERMANENT are the static "dummy" states, the others the dynamic ones.
NUD_NONE = 0x00
NUD_INCOMPLETE = 0x01
NUD_REACHABLE = 0x02
NUD_STALE = 0x04
NUD_DELAY = 0x08
NUD_PROBE = 0x10
NUD_FAILED = 0x20
NUD_NOARP = 0x40
NUD_PERMANENT = 0x80
# In iproute2's words (``nud permanent``; ip-neighbour(8)).
NUD = Flags("nud", {
    NUD_INCOMPLETE: "incomplete", NUD_REACHABLE: "reachable", NUD_STALE: "stale", NUD_DELAY: "delay",
    NUD_PROBE: "probe", NUD_FAILED: "failed", NUD_NOARP: "noarp", NUD_PERMANENT: "permanent",
})

# linux/neighbour.h NTF_* (ndm_flags)
NTF_USE = 1 << 0
NTF_SELF = 1 << 1
NTF_MASTER = 1 << 2
NTF_PROXY = 1 << 3          # == ATF_PUBL
NTF_EXT_LEARNED = 1 << 4
NTF_OFFLOADED = 1 << 5
NTF_STICKY = 1 << 6
NTF_ROUTER = 1 << 7
NTF = Flags("ntf", {
    NTF_USE: "use", NTF_SELF: "self", NTF_MASTER: "master", NTF_PROXY: "proxy",
    NTF_EXT_LEARNED: "extern_learn", NTF_OFFLOADED: "offload", NTF_STICKY: "sticky", NTF_ROUTER: "router",
})
# Extended flags, in NDA_FLAGS_EXT
NTF_EXT_MANAGED = 1 << 0
NTF_EXT_LOCKED = 1 << 1           # bridge FDB, 6.2+
NTF_EXT_EXT_VALIDATED = 1 << 2    # 6.17+
NTF_EXT = Flags("ntf_ext", {
    NTF_EXT_MANAGED: "managed", NTF_EXT_LOCKED: "locked", NTF_EXT_EXT_VALIDATED: "extern_valid",
})

NDMSG = Struct("ndmsg", [                      # 12 bytes
    ("family", "B"), ("pad1", "B"), ("pad2", "H"), ("ifindex", "i"),
    ("state", "H", NUD), ("flags", "B", NTF), ("type", "B"),
])

NDA_CACHEINFO = Struct("nda_cacheinfo", [      # 16 bytes, times in clock ticks (USER_HZ)
    ("confirmed", "I"), ("used", "I"), ("updated", "I"), ("refcnt", "I"),
])

# linux/neighbour.h enum: NFEA_* (nested in NDA_FDB_EXT_ATTRS)
FDB_EXT_ATTRS = AttrSet("nfea", [
    Attr(1, "activity_notify", U8),         # NFEA_ACTIVITY_NOTIFY
    Attr(2, "dont_refresh", FLAG),          # NFEA_DONT_REFRESH
])

NEIGH_ATTRS = AttrSet("nda", [
    Attr(1, "dst", IP),                     # NDA_DST (a VTEP's address in a VXLAN FDB entry)
    Attr(2, "lladdr", MAC),                 # NDA_LLADDR (dev->addr_len bytes; 4 on an IPv4 tunnel)
    Attr(3, "cacheinfo", NDA_CACHEINFO),    # NDA_CACHEINFO
    Attr(4, "probes", U32),                 # NDA_PROBES
    Attr(5, "vlan", U16),                   # NDA_VLAN
    Attr(6, "port", BE16),                  # NDA_PORT (__be16, VXLAN FDB)
    Attr(7, "vni", U32),                    # NDA_VNI
    Attr(8, "ifindex", U32),                # NDA_IFINDEX (VXLAN FDB: the remote's oif; dump filter)
    Attr(9, "master", U32),                 # NDA_MASTER (dump filter: ports of this master)
    Attr(10, "link_netnsid", S32),          # NDA_LINK_NETNSID
    Attr(11, "src_vni", U32),               # NDA_SRC_VNI
    Attr(12, "protocol", U8, enum=RTPROT),  # NDA_PROTOCOL (originator of the entry, RTPROT_*)
    Attr(13, "nh_id", U32),                 # NDA_NH_ID
    Attr(14, "fdb_ext_attrs", FDB_EXT_ATTRS, nested_flag=True),  # NDA_FDB_EXT_ATTRS
    Attr(15, "flags_ext", U32, enum=NTF_EXT),   # NDA_FLAGS_EXT
    Attr(16, "ndm_state_mask", U16),        # NDA_NDM_STATE_MASK (bulk delete)
    Attr(17, "ndm_flags_mask", U8),         # NDA_NDM_FLAGS_MASK (bulk delete)
])

NEIGH = Body("neigh", NDMSG, NEIGH_ATTRS)
