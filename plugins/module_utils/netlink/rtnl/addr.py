# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWADDR/DELADDR/GETADDR: ifaddrmsg + IFA_* (linux/if_addr.h)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..codec import IP, S32, STRING, U8, U32
from ..schema import Attr, AttrSet, Body, Struct

IFADDRMSG = Struct("ifaddrmsg", [
    ("family", "B"), ("prefixlen", "B"), ("flags", "B"), ("scope", "B"), ("index", "I"),
])

IFA_CACHEINFO = Struct("ifa_cacheinfo", [
    ("preferred", "I"), ("valid", "I"), ("cstamp", "I"), ("tstamp", "I"),
])

ADDR_ATTRS = AttrSet("ifa", [
    Attr(1, "address", IP),                 # IFA_ADDRESS (peer on point-to-point)
    Attr(2, "local", IP),                   # IFA_LOCAL
    Attr(3, "label", STRING),               # IFA_LABEL
    Attr(4, "broadcast", IP),               # IFA_BROADCAST
    Attr(5, "anycast", IP),                 # IFA_ANYCAST
    Attr(6, "cacheinfo", IFA_CACHEINFO),    # IFA_CACHEINFO
    Attr(7, "multicast", IP),               # IFA_MULTICAST
    Attr(8, "flags", U32),                  # IFA_FLAGS (full 32-bit flags)
    Attr(9, "rt_priority", U32),            # IFA_RT_PRIORITY
    Attr(10, "target_netnsid", S32),        # IFA_TARGET_NETNSID
    Attr(11, "proto", U8),                  # IFA_PROTO (kernel 6.3+)
])

ADDR = Body("addr", IFADDRMSG, ADDR_ATTRS)

# linux/if_addr.h IFA_F_*
IFA_F_SECONDARY = 0x01
IFA_F_NODAD = 0x02
IFA_F_OPTIMISTIC = 0x04
IFA_F_DADFAILED = 0x08
IFA_F_HOMEADDRESS = 0x10
IFA_F_DEPRECATED = 0x20
IFA_F_TENTATIVE = 0x40
IFA_F_PERMANENT = 0x80
IFA_F_MANAGETEMPADDR = 0x100
IFA_F_NOPREFIXROUTE = 0x200
IFA_F_MCAUTOJOIN = 0x400
IFA_F_STABLE_PRIVACY = 0x800

# "forever" in IFA_CACHEINFO lifetimes
INFINITY_LIFE_TIME = 0xFFFFFFFF
