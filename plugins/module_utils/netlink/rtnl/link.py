# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWLINK/DELLINK/GETLINK/SETLINK: ifinfomsg + IFLA_* (linux/if_link.h,
linux/rtnetlink.h), with IFLA_LINKINFO's kind-selected IFLA_INFO_DATA."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import struct

from ..codec import BINARY, BE16, BE32, FLAG, IP, MAC, S32, STRING, U8, U16, U32, U64, Codec
from ..errors import EncodeError
from ..schema import Attr, AttrSet, Body, Struct, SubMessage, nla


def _flag_or_u8_decode(buf, start, end):
    return True if end == start else U8.decode(buf, start, end)


def _flag_or_u8_encode(value):
    return b"" if value is True else U8.encode(value)


# IFLA_VXLAN_TTL_INHERIT: the kernel takes it as a flag (NLA_FLAG policy) but
# reports it as a u8 0/1 (vxlan_fill_info).  Decoded: 0/1 from the kernel,
# True from a flag; encoded: True as the flag, an int as the u8.
FLAG_OR_U8 = Codec("flag|u8", _flag_or_u8_decode, _flag_or_u8_encode)

IFINFOMSG = Struct("ifinfomsg", [
    ("family", "B"), ("_pad", "x"), ("type", "H"), ("index", "i"),
    ("flags", "I"), ("change", "I"),
])

# linux/if.h net_device_flags
IFF_UP = 0x1
IFF_BROADCAST = 0x2
IFF_LOOPBACK = 0x8
IFF_POINTOPOINT = 0x10
IFF_RUNNING = 0x40
IFF_NOARP = 0x80
IFF_PROMISC = 0x100
IFF_MULTICAST = 0x1000
IFF_LOWER_UP = 0x10000

# IFLA_OPERSTATE values (linux/if.h, RFC 2863)
OPERSTATES = {0: "UNKNOWN", 1: "NOTPRESENT", 2: "DOWN", 3: "LOWERLAYERDOWN",
              4: "TESTING", 5: "DORMANT", 6: "UP"}

# -- per-kind IFLA_INFO_DATA -------------------------------------------------

BRIDGE_DATA = AttrSet("ifla_br", [
    Attr(1, "forward_delay", U32),          # IFLA_BR_FORWARD_DELAY (centiseconds)
    Attr(2, "hello_time", U32),             # IFLA_BR_HELLO_TIME
    Attr(3, "max_age", U32),                # IFLA_BR_MAX_AGE
    Attr(4, "ageing_time", U32),            # IFLA_BR_AGEING_TIME
    Attr(5, "stp_state", U32),              # IFLA_BR_STP_STATE
    Attr(6, "priority", U16),               # IFLA_BR_PRIORITY
    Attr(7, "vlan_filtering", U8),          # IFLA_BR_VLAN_FILTERING
    Attr(8, "vlan_protocol", BE16),         # IFLA_BR_VLAN_PROTOCOL
    Attr(9, "group_fwd_mask", U16),         # IFLA_BR_GROUP_FWD_MASK
    Attr(10, "root_id", BINARY),            # IFLA_BR_ROOT_ID (struct ifla_bridge_id)
    Attr(11, "bridge_id", BINARY),          # IFLA_BR_BRIDGE_ID
    Attr(12, "root_port", U16),             # IFLA_BR_ROOT_PORT
    Attr(13, "root_path_cost", U32),        # IFLA_BR_ROOT_PATH_COST
    Attr(14, "topology_change", U8),        # IFLA_BR_TOPOLOGY_CHANGE
    Attr(15, "topology_change_detected", U8),  # IFLA_BR_TOPOLOGY_CHANGE_DETECTED
    Attr(16, "hello_timer", U64),           # IFLA_BR_HELLO_TIMER
    Attr(17, "tcn_timer", U64),             # IFLA_BR_TCN_TIMER
    Attr(18, "topology_change_timer", U64),  # IFLA_BR_TOPOLOGY_CHANGE_TIMER
    Attr(19, "gc_timer", U64),              # IFLA_BR_GC_TIMER
    Attr(20, "group_addr", MAC),            # IFLA_BR_GROUP_ADDR
    Attr(21, "fdb_flush", FLAG),            # IFLA_BR_FDB_FLUSH
    Attr(22, "mcast_router", U8),           # IFLA_BR_MCAST_ROUTER
    Attr(23, "mcast_snooping", U8),         # IFLA_BR_MCAST_SNOOPING
    Attr(24, "mcast_query_use_ifaddr", U8),  # IFLA_BR_MCAST_QUERY_USE_IFADDR
    Attr(25, "mcast_querier", U8),          # IFLA_BR_MCAST_QUERIER
    Attr(26, "mcast_hash_elasticity", U32),  # IFLA_BR_MCAST_HASH_ELASTICITY
    Attr(27, "mcast_hash_max", U32),        # IFLA_BR_MCAST_HASH_MAX
    Attr(28, "mcast_last_member_cnt", U32),  # IFLA_BR_MCAST_LAST_MEMBER_CNT
    Attr(29, "mcast_startup_query_cnt", U32),  # IFLA_BR_MCAST_STARTUP_QUERY_CNT
    Attr(30, "mcast_last_member_intvl", U64),  # IFLA_BR_MCAST_LAST_MEMBER_INTVL
    Attr(31, "mcast_membership_intvl", U64),  # IFLA_BR_MCAST_MEMBERSHIP_INTVL
    Attr(32, "mcast_querier_intvl", U64),   # IFLA_BR_MCAST_QUERIER_INTVL
    Attr(33, "mcast_query_intvl", U64),     # IFLA_BR_MCAST_QUERY_INTVL
    Attr(34, "mcast_query_response_intvl", U64),  # IFLA_BR_MCAST_QUERY_RESPONSE_INTVL
    Attr(35, "mcast_startup_query_intvl", U64),  # IFLA_BR_MCAST_STARTUP_QUERY_INTVL
    Attr(36, "nf_call_iptables", U8),       # IFLA_BR_NF_CALL_IPTABLES
    Attr(37, "nf_call_ip6tables", U8),      # IFLA_BR_NF_CALL_IP6TABLES
    Attr(38, "nf_call_arptables", U8),      # IFLA_BR_NF_CALL_ARPTABLES
    Attr(39, "vlan_default_pvid", U16),     # IFLA_BR_VLAN_DEFAULT_PVID
    Attr(40, "pad", BINARY),                # IFLA_BR_PAD
    Attr(41, "vlan_stats_enabled", U8),     # IFLA_BR_VLAN_STATS_ENABLED
    Attr(42, "mcast_stats_enabled", U8),    # IFLA_BR_MCAST_STATS_ENABLED
    Attr(43, "mcast_igmp_version", U8),     # IFLA_BR_MCAST_IGMP_VERSION
    Attr(44, "mcast_mld_version", U8),      # IFLA_BR_MCAST_MLD_VERSION
    Attr(45, "vlan_stats_per_port", U8),    # IFLA_BR_VLAN_STATS_PER_PORT
    Attr(46, "multi_boolopt", BINARY),      # IFLA_BR_MULTI_BOOLOPT (struct br_boolopt_multi)
    Attr(47, "mcast_querier_state", BINARY),  # IFLA_BR_MCAST_QUERIER_STATE (nest)
    Attr(48, "fdb_n_learned", U32),         # IFLA_BR_FDB_N_LEARNED
    Attr(49, "fdb_max_learned", U32),       # IFLA_BR_FDB_MAX_LEARNED
])

VETH_DATA = AttrSet("veth", [])  # filled below: VETH_INFO_PEER embeds a link body

VLAN_QOS_MAPPING = Struct("ifla_vlan_qos_mapping", [("from", "I"), ("to", "I")])
VLAN_QOS = AttrSet("ifla_vlan_qos", [
    Attr(1, "mapping", VLAN_QOS_MAPPING, multi=True),  # IFLA_VLAN_QOS_MAPPING
])
VLAN_DATA = AttrSet("ifla_vlan", [
    Attr(1, "id", U16),                     # IFLA_VLAN_ID
    Attr(2, "flags", Struct("ifla_vlan_flags", [("flags", "I"), ("mask", "I")])),  # IFLA_VLAN_FLAGS
    Attr(3, "egress_qos", VLAN_QOS),        # IFLA_VLAN_EGRESS_QOS
    Attr(4, "ingress_qos", VLAN_QOS),       # IFLA_VLAN_INGRESS_QOS
    Attr(5, "protocol", BE16),              # IFLA_VLAN_PROTOCOL
])

MACVLAN_DATA = AttrSet("ifla_macvlan", [
    Attr(1, "mode", U32),                   # IFLA_MACVLAN_MODE
    Attr(2, "flags", U16),                  # IFLA_MACVLAN_FLAGS
    Attr(3, "macaddr_mode", U32),           # IFLA_MACVLAN_MACADDR_MODE
    Attr(4, "macaddr", MAC),                # IFLA_MACVLAN_MACADDR
    Attr(5, "macaddr_data", BINARY),        # IFLA_MACVLAN_MACADDR_DATA (nest)
    Attr(6, "macaddr_count", U32),          # IFLA_MACVLAN_MACADDR_COUNT
    Attr(7, "bc_queue_len", U32),           # IFLA_MACVLAN_BC_QUEUE_LEN
    Attr(8, "bc_queue_len_used", U32),      # IFLA_MACVLAN_BC_QUEUE_LEN_USED
    Attr(9, "bc_cutoff", S32),              # IFLA_MACVLAN_BC_CUTOFF
])

VXLAN_DATA = AttrSet("ifla_vxlan", [
    Attr(1, "id", U32),                     # IFLA_VXLAN_ID
    Attr(2, "group", IP),                   # IFLA_VXLAN_GROUP (IPv4 group or remote)
    Attr(3, "link", U32),                   # IFLA_VXLAN_LINK
    Attr(4, "local", IP),                   # IFLA_VXLAN_LOCAL
    Attr(5, "ttl", U8),                     # IFLA_VXLAN_TTL
    Attr(6, "tos", U8),                     # IFLA_VXLAN_TOS
    Attr(7, "learning", U8),                # IFLA_VXLAN_LEARNING
    Attr(8, "ageing", U32),                 # IFLA_VXLAN_AGEING
    Attr(9, "limit", U32),                  # IFLA_VXLAN_LIMIT
    Attr(10, "port_range", Struct("ifla_vxlan_port_range", [("low", "!H"), ("high", "!H")])),  # IFLA_VXLAN_PORT_RANGE
    Attr(11, "proxy", U8),                  # IFLA_VXLAN_PROXY
    Attr(12, "rsc", U8),                    # IFLA_VXLAN_RSC
    Attr(13, "l2miss", U8),                 # IFLA_VXLAN_L2MISS
    Attr(14, "l3miss", U8),                 # IFLA_VXLAN_L3MISS
    Attr(15, "port", BE16),                 # IFLA_VXLAN_PORT
    Attr(16, "group6", IP),                 # IFLA_VXLAN_GROUP6
    Attr(17, "local6", IP),                 # IFLA_VXLAN_LOCAL6
    Attr(18, "udp_csum", U8),               # IFLA_VXLAN_UDP_CSUM
    Attr(19, "udp_zero_csum6_tx", U8),      # IFLA_VXLAN_UDP_ZERO_CSUM6_TX
    Attr(20, "udp_zero_csum6_rx", U8),      # IFLA_VXLAN_UDP_ZERO_CSUM6_RX
    Attr(21, "remcsum_tx", U8),             # IFLA_VXLAN_REMCSUM_TX
    Attr(22, "remcsum_rx", U8),             # IFLA_VXLAN_REMCSUM_RX
    Attr(23, "gbp", FLAG),                  # IFLA_VXLAN_GBP
    Attr(24, "remcsum_nopartial", FLAG),    # IFLA_VXLAN_REMCSUM_NOPARTIAL
    Attr(25, "collect_metadata", U8),       # IFLA_VXLAN_COLLECT_METADATA
    Attr(26, "label", BE32),                # IFLA_VXLAN_LABEL
    Attr(27, "gpe", FLAG),                  # IFLA_VXLAN_GPE
    Attr(28, "ttl_inherit", FLAG_OR_U8),    # IFLA_VXLAN_TTL_INHERIT (u8 when dumped)
    Attr(29, "df", U8),                     # IFLA_VXLAN_DF
    Attr(30, "vnifilter", U8),              # IFLA_VXLAN_VNIFILTER
    Attr(31, "localbypass", U8),            # IFLA_VXLAN_LOCALBYPASS
    Attr(32, "label_policy", U32),          # IFLA_VXLAN_LABEL_POLICY
])

BOND_DATA = AttrSet("ifla_bond", [
    Attr(1, "mode", U8),                    # IFLA_BOND_MODE
    Attr(2, "active_slave", U32),           # IFLA_BOND_ACTIVE_SLAVE
    Attr(3, "miimon", U32),                 # IFLA_BOND_MIIMON
    Attr(4, "updelay", U32),                # IFLA_BOND_UPDELAY
    Attr(5, "downdelay", U32),              # IFLA_BOND_DOWNDELAY
    Attr(6, "use_carrier", U8),             # IFLA_BOND_USE_CARRIER
    Attr(7, "arp_interval", U32),           # IFLA_BOND_ARP_INTERVAL
    Attr(8, "arp_ip_target", BINARY),       # IFLA_BOND_ARP_IP_TARGET (nest of be32)
    Attr(9, "arp_validate", U32),           # IFLA_BOND_ARP_VALIDATE
    Attr(10, "arp_all_targets", U32),       # IFLA_BOND_ARP_ALL_TARGETS
    Attr(11, "primary", U32),               # IFLA_BOND_PRIMARY
    Attr(12, "primary_reselect", U8),       # IFLA_BOND_PRIMARY_RESELECT
    Attr(13, "fail_over_mac", U8),          # IFLA_BOND_FAIL_OVER_MAC
    Attr(14, "xmit_hash_policy", U8),       # IFLA_BOND_XMIT_HASH_POLICY
    Attr(15, "resend_igmp", U32),           # IFLA_BOND_RESEND_IGMP
    Attr(16, "num_peer_notif", U8),         # IFLA_BOND_NUM_PEER_NOTIF
    Attr(17, "all_slaves_active", U8),      # IFLA_BOND_ALL_SLAVES_ACTIVE
    Attr(18, "min_links", U32),             # IFLA_BOND_MIN_LINKS
    Attr(19, "lp_interval", U32),           # IFLA_BOND_LP_INTERVAL
    Attr(20, "packets_per_slave", U32),     # IFLA_BOND_PACKETS_PER_SLAVE
    Attr(21, "ad_lacp_rate", U8),           # IFLA_BOND_AD_LACP_RATE
    Attr(22, "ad_select", U8),              # IFLA_BOND_AD_SELECT
    Attr(23, "ad_info", BINARY),            # IFLA_BOND_AD_INFO (nest)
    Attr(24, "ad_actor_sys_prio", U16),     # IFLA_BOND_AD_ACTOR_SYS_PRIO
    Attr(25, "ad_user_port_key", U16),      # IFLA_BOND_AD_USER_PORT_KEY
    Attr(26, "ad_actor_system", MAC),       # IFLA_BOND_AD_ACTOR_SYSTEM
    Attr(27, "tlb_dynamic_lb", U8),         # IFLA_BOND_TLB_DYNAMIC_LB
    Attr(28, "peer_notif_delay", U32),      # IFLA_BOND_PEER_NOTIF_DELAY
    Attr(29, "ad_lacp_active", U8),         # IFLA_BOND_AD_LACP_ACTIVE
    Attr(30, "missed_max", U8),             # IFLA_BOND_MISSED_MAX
    Attr(31, "ns_ip6_target", BINARY),      # IFLA_BOND_NS_IP6_TARGET (nest)
    Attr(32, "coupled_control", U8),        # IFLA_BOND_COUPLED_CONTROL
])

VRF_DATA = AttrSet("ifla_vrf", [
    Attr(1, "table", U32),                  # IFLA_VRF_TABLE
])

# linux/if_tunnel.h IFLA_GRE_*: gre, gretap, ip6gre, ip6gretap (and erspan).
# Keys and GRE flags are big-endian on the wire (GRE_KEY is
# __cpu_to_be16(0x2000)); LOCAL/REMOTE hold 4 or 16 bytes.
GRE_DATA = AttrSet("ifla_gre", [
    Attr(1, "link", U32),                   # IFLA_GRE_LINK
    Attr(2, "iflags", BE16),                # IFLA_GRE_IFLAGS
    Attr(3, "oflags", BE16),                # IFLA_GRE_OFLAGS
    Attr(4, "ikey", BE32),                  # IFLA_GRE_IKEY
    Attr(5, "okey", BE32),                  # IFLA_GRE_OKEY
    Attr(6, "local", IP),                   # IFLA_GRE_LOCAL
    Attr(7, "remote", IP),                  # IFLA_GRE_REMOTE
    Attr(8, "ttl", U8),                     # IFLA_GRE_TTL
    Attr(9, "tos", U8),                     # IFLA_GRE_TOS
    Attr(10, "pmtudisc", U8),               # IFLA_GRE_PMTUDISC
    Attr(11, "encap_limit", U8),            # IFLA_GRE_ENCAP_LIMIT
    Attr(12, "flowinfo", BE32),             # IFLA_GRE_FLOWINFO
    Attr(13, "flags", U32),                 # IFLA_GRE_FLAGS (IP6_TNL_F_*)
    Attr(14, "encap_type", U16),            # IFLA_GRE_ENCAP_TYPE
    Attr(15, "encap_flags", U16),           # IFLA_GRE_ENCAP_FLAGS
    Attr(16, "encap_sport", BE16),          # IFLA_GRE_ENCAP_SPORT
    Attr(17, "encap_dport", BE16),          # IFLA_GRE_ENCAP_DPORT
    Attr(18, "collect_metadata", FLAG),     # IFLA_GRE_COLLECT_METADATA
    Attr(19, "ignore_df", U8),              # IFLA_GRE_IGNORE_DF
    Attr(20, "fwmark", U32),                # IFLA_GRE_FWMARK
    Attr(21, "erspan_index", U32),          # IFLA_GRE_ERSPAN_INDEX
    Attr(22, "erspan_ver", U8),             # IFLA_GRE_ERSPAN_VER
    Attr(23, "erspan_dir", U8),             # IFLA_GRE_ERSPAN_DIR
    Attr(24, "erspan_hwid", U16),           # IFLA_GRE_ERSPAN_HWID
])


def _iptun_attrs(flags_codec):
    """linux/if_tunnel.h IFLA_IPTUN_*: ipip, sit and ip6tnl share the
    numbers; IFLA_IPTUN_FLAGS is a u16 for sit (SIT_ISATAP) and a u32 for
    ip6tnl (IP6_TNL_F_*)."""
    return [
        Attr(1, "link", U32),               # IFLA_IPTUN_LINK
        Attr(2, "local", IP),               # IFLA_IPTUN_LOCAL
        Attr(3, "remote", IP),              # IFLA_IPTUN_REMOTE
        Attr(4, "ttl", U8),                 # IFLA_IPTUN_TTL
        Attr(5, "tos", U8),                 # IFLA_IPTUN_TOS
        Attr(6, "encap_limit", U8),         # IFLA_IPTUN_ENCAP_LIMIT
        Attr(7, "flowinfo", BE32),          # IFLA_IPTUN_FLOWINFO
        Attr(8, "flags", flags_codec),      # IFLA_IPTUN_FLAGS
        Attr(9, "proto", U8),               # IFLA_IPTUN_PROTO
        Attr(10, "pmtudisc", U8),           # IFLA_IPTUN_PMTUDISC
        Attr(11, "6rd_prefix", IP),         # IFLA_IPTUN_6RD_PREFIX
        Attr(12, "6rd_relay_prefix", IP),   # IFLA_IPTUN_6RD_RELAY_PREFIX
        Attr(13, "6rd_prefixlen", U16),     # IFLA_IPTUN_6RD_PREFIXLEN
        Attr(14, "6rd_relay_prefixlen", U16),  # IFLA_IPTUN_6RD_RELAY_PREFIXLEN
        Attr(15, "encap_type", U16),        # IFLA_IPTUN_ENCAP_TYPE
        Attr(16, "encap_flags", U16),       # IFLA_IPTUN_ENCAP_FLAGS
        Attr(17, "encap_sport", BE16),      # IFLA_IPTUN_ENCAP_SPORT
        Attr(18, "encap_dport", BE16),      # IFLA_IPTUN_ENCAP_DPORT
        Attr(19, "collect_metadata", FLAG),  # IFLA_IPTUN_COLLECT_METADATA
        Attr(20, "fwmark", U32),            # IFLA_IPTUN_FWMARK
    ]


IPTUN_DATA = AttrSet("ifla_iptun", _iptun_attrs(U32))
SIT_DATA = AttrSet("ifla_iptun_sit", _iptun_attrs(U16))

GENEVE_DATA = AttrSet("ifla_geneve", [
    Attr(1, "id", U32),                     # IFLA_GENEVE_ID
    Attr(2, "remote", IP),                  # IFLA_GENEVE_REMOTE
    Attr(3, "ttl", U8),                     # IFLA_GENEVE_TTL
    Attr(4, "tos", U8),                     # IFLA_GENEVE_TOS
    Attr(5, "port", BE16),                  # IFLA_GENEVE_PORT
    Attr(6, "collect_metadata", FLAG),      # IFLA_GENEVE_COLLECT_METADATA
    Attr(7, "remote6", IP),                 # IFLA_GENEVE_REMOTE6
    Attr(8, "udp_csum", U8),                # IFLA_GENEVE_UDP_CSUM
    Attr(9, "udp_zero_csum6_tx", U8),       # IFLA_GENEVE_UDP_ZERO_CSUM6_TX
    Attr(10, "udp_zero_csum6_rx", U8),      # IFLA_GENEVE_UDP_ZERO_CSUM6_RX
    Attr(11, "label", BE32),                # IFLA_GENEVE_LABEL
    Attr(12, "ttl_inherit", U8),            # IFLA_GENEVE_TTL_INHERIT
    Attr(13, "df", U8),                     # IFLA_GENEVE_DF
    Attr(14, "inner_proto_inherit", FLAG),  # IFLA_GENEVE_INNER_PROTO_INHERIT
])

IPVLAN_DATA = AttrSet("ifla_ipvlan", [
    Attr(1, "mode", U16),                   # IFLA_IPVLAN_MODE
    Attr(2, "flags", U16),                  # IFLA_IPVLAN_FLAGS (IPVLAN_F_*)
])

XFRM_DATA = AttrSet("ifla_xfrm", [
    Attr(1, "link", U32),                   # IFLA_XFRM_LINK
    Attr(2, "if_id", U32),                  # IFLA_XFRM_IF_ID
    Attr(3, "collect_metadata", FLAG),      # IFLA_XFRM_COLLECT_METADATA
])

# IFLA_INFO_SLAVE_DATA of a bridge port (IFLA_BRPORT_*, linux/if_link.h).
BRPORT_DATA = AttrSet("ifla_brport", [
    Attr(1, "state", U8),                   # IFLA_BRPORT_STATE
    Attr(2, "priority", U16),               # IFLA_BRPORT_PRIORITY
    Attr(3, "cost", U32),                   # IFLA_BRPORT_COST
    Attr(4, "mode", U8),                    # IFLA_BRPORT_MODE (hairpin)
    Attr(5, "guard", U8),                   # IFLA_BRPORT_GUARD
    Attr(6, "protect", U8),                 # IFLA_BRPORT_PROTECT (root_block)
    Attr(7, "fast_leave", U8),              # IFLA_BRPORT_FAST_LEAVE
    Attr(8, "learning", U8),                # IFLA_BRPORT_LEARNING
    Attr(9, "unicast_flood", U8),           # IFLA_BRPORT_UNICAST_FLOOD
    Attr(10, "proxyarp", U8),               # IFLA_BRPORT_PROXYARP
    Attr(11, "learning_sync", U8),          # IFLA_BRPORT_LEARNING_SYNC
    Attr(12, "proxyarp_wifi", U8),          # IFLA_BRPORT_PROXYARP_WIFI
    Attr(13, "root_id", BINARY),            # IFLA_BRPORT_ROOT_ID
    Attr(14, "bridge_id", BINARY),          # IFLA_BRPORT_BRIDGE_ID
    Attr(15, "designated_port", U16),       # IFLA_BRPORT_DESIGNATED_PORT
    Attr(16, "designated_cost", U16),       # IFLA_BRPORT_DESIGNATED_COST
    Attr(17, "id", U16),                    # IFLA_BRPORT_ID
    Attr(18, "no", U16),                    # IFLA_BRPORT_NO
    Attr(19, "topology_change_ack", U8),    # IFLA_BRPORT_TOPOLOGY_CHANGE_ACK
    Attr(20, "config_pending", U8),         # IFLA_BRPORT_CONFIG_PENDING
    Attr(21, "message_age_timer", U64),     # IFLA_BRPORT_MESSAGE_AGE_TIMER
    Attr(22, "forward_delay_timer", U64),   # IFLA_BRPORT_FORWARD_DELAY_TIMER
    Attr(23, "hold_timer", U64),            # IFLA_BRPORT_HOLD_TIMER
    Attr(24, "flush", FLAG),                # IFLA_BRPORT_FLUSH
    Attr(25, "multicast_router", U8),       # IFLA_BRPORT_MULTICAST_ROUTER
    Attr(26, "pad", BINARY),                # IFLA_BRPORT_PAD
    Attr(27, "mcast_flood", U8),            # IFLA_BRPORT_MCAST_FLOOD
    Attr(28, "mcast_to_ucast", U8),         # IFLA_BRPORT_MCAST_TO_UCAST
    Attr(29, "vlan_tunnel", U8),            # IFLA_BRPORT_VLAN_TUNNEL
    Attr(30, "bcast_flood", U8),            # IFLA_BRPORT_BCAST_FLOOD
    Attr(31, "group_fwd_mask", U16),        # IFLA_BRPORT_GROUP_FWD_MASK
    Attr(32, "neigh_suppress", U8),         # IFLA_BRPORT_NEIGH_SUPPRESS
    Attr(33, "isolated", U8),               # IFLA_BRPORT_ISOLATED
    Attr(34, "backup_port", U32),           # IFLA_BRPORT_BACKUP_PORT
    Attr(35, "mrp_ring_open", U8),          # IFLA_BRPORT_MRP_RING_OPEN
    Attr(36, "mrp_in_open", U8),            # IFLA_BRPORT_MRP_IN_OPEN
    Attr(37, "mcast_eht_hosts_limit", U32),  # IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT
    Attr(38, "mcast_eht_hosts_cnt", U32),   # IFLA_BRPORT_MCAST_EHT_HOSTS_CNT
    Attr(39, "locked", U8),                 # IFLA_BRPORT_LOCKED
    Attr(40, "mab", U8),                    # IFLA_BRPORT_MAB
    Attr(41, "mcast_n_groups", U32),        # IFLA_BRPORT_MCAST_N_GROUPS
    Attr(42, "mcast_max_groups", U32),      # IFLA_BRPORT_MCAST_MAX_GROUPS
    Attr(43, "neigh_vlan_suppress", U8),    # IFLA_BRPORT_NEIGH_VLAN_SUPPRESS
    Attr(44, "backup_nhid", U32),           # IFLA_BRPORT_BACKUP_NHID
    Attr(45, "neigh_forward_grat", U8),     # IFLA_BRPORT_NEIGH_FORWARD_GRAT
])

INFO_DATA = {
    "bridge": BRIDGE_DATA,
    "veth": VETH_DATA,
    "vlan": VLAN_DATA,
    "macvlan": MACVLAN_DATA,
    "macvtap": MACVLAN_DATA,
    "vxlan": VXLAN_DATA,
    "bond": BOND_DATA,
    "vrf": VRF_DATA,
    "gre": GRE_DATA,
    "gretap": GRE_DATA,
    "ip6gre": GRE_DATA,
    "ip6gretap": GRE_DATA,
    "erspan": GRE_DATA,
    "ipip": IPTUN_DATA,
    "ip6tnl": IPTUN_DATA,
    "sit": SIT_DATA,
    "geneve": GENEVE_DATA,
    "ipvlan": IPVLAN_DATA,
    "ipvtap": IPVLAN_DATA,
    "xfrm": XFRM_DATA,
    # dummy and ifb carry no IFLA_INFO_DATA.
}

# IFLA_INFO_SLAVE_DATA, selected by IFLA_INFO_SLAVE_KIND (the master's kind).
SLAVE_DATA = {
    "bridge": BRPORT_DATA,
}

LINKINFO = AttrSet("ifla_info", [
    Attr(1, "kind", STRING),                # IFLA_INFO_KIND
    SubMessage(2, "data", "kind", INFO_DATA),  # IFLA_INFO_DATA
    Attr(3, "xstats", BINARY),              # IFLA_INFO_XSTATS
    Attr(4, "slave_kind", STRING),          # IFLA_INFO_SLAVE_KIND
    SubMessage(5, "slave_data", "slave_kind", SLAVE_DATA),  # IFLA_INFO_SLAVE_DATA
])


def _conf_codec(name, fmt, nested):
    """A device's IP settings.  The kernel reports them as a packed array of
    32-bit values (inet_fill_link_af, inet6_fill_link_af): decoded as a
    list, and a list encodes back the same way (golden round trips).  With
    ``nested``, a dict ``{index: value}`` encodes as the kernel takes them
    (inet_set_link_af): one u32 attribute per setting, typed by its
    1-based IPV4_DEVCONF_* index."""
    item = struct.Struct("=" + fmt)

    def decode(buf, start, end):
        return [v[0] for v in item.iter_unpack(bytes(buf[start:start + (end - start) // 4 * 4]))]

    def encode(value):
        if isinstance(value, dict) and nested:
            return b"".join(nla(index, U32.encode(v)) for index, v in sorted(value.items()))
        if isinstance(value, (list, tuple)):
            try:
                return b"".join(item.pack(v) for v in value)
            except struct.error:
                raise EncodeError("%r does not fit %s" % (value, name))
        raise EncodeError("%s: %r is not a list%s" % (name, value, " or a dict" if nested else ""))

    return Codec(name, decode, encode)


INET_CONF = _conf_codec("ipv4_devconf", "I", nested=True)
INET6_CONF = _conf_codec("ipv6_devconf", "i", nested=False)  # read only: inet6_set_link_af

# IFLA_AF_SPEC: one nest per address family (linux/if_link.h IFLA_INET_*,
# IFLA_INET6_*).  Only what the library uses is named; the rest stays raw
# bytes.
AF_SPEC_INET = AttrSet("ifla_inet", [
    Attr(1, "conf", INET_CONF),             # IFLA_INET_CONF
])
IN6_ADDR_GEN_MODES = {"eui64": 0, "none": 1, "stable_secret": 2, "random": 3}
AF_SPEC_INET6 = AttrSet("ifla_inet6", [
    Attr(2, "conf", INET6_CONF),            # IFLA_INET6_CONF
    Attr(7, "token", IP),                   # IFLA_INET6_TOKEN
    Attr(8, "addr_gen_mode", U8),           # IFLA_INET6_ADDR_GEN_MODE
])
AF_SPEC = AttrSet("ifla_af_spec", [
    Attr(2, "inet", AF_SPEC_INET),          # AF_INET
    Attr(10, "inet6", AF_SPEC_INET6),       # AF_INET6
])

PROP_LIST = AttrSet("ifla_prop_list", [
    Attr(53, "alt_ifname", STRING, multi=True),  # IFLA_ALT_IFNAME
])

LINK_ATTRS = AttrSet("ifla", [
    Attr(1, "address", MAC),                # IFLA_ADDRESS
    Attr(2, "broadcast", MAC),              # IFLA_BROADCAST
    Attr(3, "ifname", STRING),              # IFLA_IFNAME
    Attr(4, "mtu", U32),                    # IFLA_MTU
    Attr(5, "link", U32),                   # IFLA_LINK
    Attr(6, "qdisc", STRING),               # IFLA_QDISC
    Attr(7, "stats", BINARY),               # IFLA_STATS
    Attr(10, "master", U32),                # IFLA_MASTER
    Attr(12, "protinfo", BINARY),           # IFLA_PROTINFO
    Attr(13, "txqlen", U32),                # IFLA_TXQLEN
    Attr(14, "map", BINARY),                # IFLA_MAP
    Attr(16, "operstate", U8),              # IFLA_OPERSTATE
    Attr(17, "linkmode", U8),               # IFLA_LINKMODE
    Attr(18, "linkinfo", LINKINFO),         # IFLA_LINKINFO
    Attr(19, "net_ns_pid", U32),            # IFLA_NET_NS_PID
    Attr(20, "ifalias", STRING),            # IFLA_IFALIAS
    Attr(21, "num_vf", U32),                # IFLA_NUM_VF
    Attr(23, "stats64", BINARY),            # IFLA_STATS64
    Attr(26, "af_spec", AF_SPEC),           # IFLA_AF_SPEC
    Attr(27, "group", U32),                 # IFLA_GROUP
    Attr(28, "net_ns_fd", U32),             # IFLA_NET_NS_FD
    Attr(29, "ext_mask", U32),              # IFLA_EXT_MASK
    Attr(30, "promiscuity", U32),           # IFLA_PROMISCUITY
    Attr(31, "num_tx_queues", U32),         # IFLA_NUM_TX_QUEUES
    Attr(32, "num_rx_queues", U32),         # IFLA_NUM_RX_QUEUES
    Attr(33, "carrier", U8),                # IFLA_CARRIER
    Attr(35, "carrier_changes", U32),       # IFLA_CARRIER_CHANGES
    Attr(37, "link_netnsid", S32),          # IFLA_LINK_NETNSID
    Attr(39, "proto_down", U8),             # IFLA_PROTO_DOWN
    Attr(40, "gso_max_segs", U32),          # IFLA_GSO_MAX_SEGS
    Attr(41, "gso_max_size", U32),          # IFLA_GSO_MAX_SIZE
    Attr(43, "xdp", BINARY),                # IFLA_XDP
    Attr(46, "target_netnsid", S32),        # IFLA_TARGET_NETNSID
    Attr(47, "carrier_up_count", U32),      # IFLA_CARRIER_UP_COUNT
    Attr(48, "carrier_down_count", U32),    # IFLA_CARRIER_DOWN_COUNT
    Attr(49, "new_ifindex", S32),           # IFLA_NEW_IFINDEX
    Attr(50, "min_mtu", U32),               # IFLA_MIN_MTU
    Attr(51, "max_mtu", U32),               # IFLA_MAX_MTU
    Attr(52, "prop_list", PROP_LIST, nested_flag=True),  # IFLA_PROP_LIST
    Attr(54, "perm_address", MAC),          # IFLA_PERM_ADDRESS
    Attr(58, "gro_max_size", U32),          # IFLA_GRO_MAX_SIZE
    Attr(59, "tso_max_size", U32),          # IFLA_TSO_MAX_SIZE
    Attr(60, "tso_max_segs", U32),          # IFLA_TSO_MAX_SEGS
    Attr(61, "allmulti", U32),              # IFLA_ALLMULTI
    Attr(63, "gso_ipv4_max_size", U32),     # IFLA_GSO_IPV4_MAX_SIZE
    Attr(64, "gro_ipv4_max_size", U32),     # IFLA_GRO_IPV4_MAX_SIZE
])

LINK = Body("link", IFINFOMSG, LINK_ATTRS)

# VETH_INFO_PEER (linux/veth.h) embeds a whole ifinfomsg + IFLA_* body.
VETH_DATA.__init__("veth", [Attr(1, "peer", LINK)])  # VETH_INFO_PEER

# Kernel constants used by the link object.
MACVLAN_MODES = {"private": 1, "vepa": 2, "bridge": 4, "passthru": 8, "source": 16}
BOND_MODES = {"balance-rr": 0, "active-backup": 1, "balance-xor": 2, "broadcast": 3,
              "802.3ad": 4, "balance-tlb": 5, "balance-alb": 6}
ETH_P_8021Q = 0x8100
ETH_P_8021AD = 0x88A8
# linux/if_tunnel.h: GRE_KEY is __cpu_to_be16(0x2000); IFLA_GRE_[IO]FLAGS
# decode through BE16, so the bit is 0x2000 in the decoded value.
GRE_KEY = 0x2000
# linux/in.h protocol numbers: IFLA_IPTUN_PROTO (a tunnel's "mode").
IPPROTO_IPIP = 4
IPPROTO_IPV6 = 41
IPPROTO_MPLS = 137
# linux/if_link.h
IPVLAN_MODES = {"l2": 0, "l3": 1, "l3s": 2}        # IPVLAN_MODE_*
IPVLAN_FLAGS = {"bridge": 0, "private": 1, "vepa": 2}  # 0, IPVLAN_F_PRIVATE, IPVLAN_F_VEPA
