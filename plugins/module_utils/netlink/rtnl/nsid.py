# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RTM_NEWNSID/GETNSID: the id a namespace has as seen from the socket's
namespace, ``struct rtgenmsg`` + NETNSA_* (linux/net_namespace.h).

A link whose other end lives in another namespace (a veth peer, a macvlan's
lower device) is reported with IFLA_LINK_NETNSID, such an id; an RTM_GETNSID
with NETNSA_FD (an open namespace file) tells which id a given namespace
has.  Equivalent to: ``ip netns list-id`` / ``ip netns`` (the "(id: N)").
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..codec import S32, U32
from ..schema import Attr, AttrSet, Body, Struct

# struct rtgenmsg is one byte; the kernel parses the attributes from
# NLMSG_ALIGN(sizeof(struct rtgenmsg)), so three bytes of padding follow.
RTGENMSG = Struct("rtgenmsg", [("family", "B"), ("_pad", "3x")])

NSID_ATTRS = AttrSet("netnsa", [
    Attr(1, "nsid", S32),           # NETNSA_NSID (NETNSA_NSID_NOT_ASSIGNED: -1)
    Attr(2, "pid", U32),            # NETNSA_PID
    Attr(3, "fd", U32),             # NETNSA_FD
    Attr(4, "target_nsid", S32),    # NETNSA_TARGET_NSID
    Attr(5, "current_nsid", S32),   # NETNSA_CURRENT_NSID
])

NSID = Body("nsid", RTGENMSG, NSID_ATTRS)

NETNSA_NSID_NOT_ASSIGNED = -1
