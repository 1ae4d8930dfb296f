# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP protocol numbers (linux/in.h IPPROTO_*, linux/in6.h for the IPv6
extension headers) and the one name table for the upper-layer protocol
fields of every schema: RTA_IP_PROTO, FRA_IP_PROTO, xfrm_selector.proto.

Names are the IANA keywords (as in /etc/protocols).  iproute2 resolves
such names with getprotobyname(), that is through /etc/protocols, which a
minimal host may lack; so ``ip`` commands print these fields as numbers
(objects/*.py), and the names are only the input/output vocabulary.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .schema import Enum

IPPROTO_ICMP = 1
IPPROTO_TCP = 6
IPPROTO_UDP = 17
IPPROTO_DCCP = 33
IPPROTO_ROUTING = 43    # IPv6 routing header (Mobile IPv6 route optimisation)
IPPROTO_GRE = 47
IPPROTO_ESP = 50
IPPROTO_AH = 51
IPPROTO_ICMPV6 = 58
IPPROTO_DSTOPTS = 60    # IPv6 destination options (home address option)
IPPROTO_COMP = 108
IPPROTO_SCTP = 132
IPPROTO_MH = 135        # Mobility header

IPPROTO = Enum("ipproto", {
    IPPROTO_ICMP: "icmp", IPPROTO_TCP: "tcp", IPPROTO_UDP: "udp", IPPROTO_DCCP: "dccp",
    IPPROTO_GRE: "gre", IPPROTO_ESP: "esp", IPPROTO_AH: "ah", IPPROTO_ICMPV6: "ipv6-icmp",
    IPPROTO_SCTP: "sctp", IPPROTO_MH: "mobility-header",
})
