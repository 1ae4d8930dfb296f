# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rtnetlink (NETLINK_ROUTE) message schemas, by message type."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import const as C
from .addr import ADDR
from .link import LINK
from .neigh import NEIGH
from .nexthop import NEXTHOP
from .nsid import NSID
from .route import ROUTE
from .rule import RULE

SCHEMAS = {
    C.RTM_NEWLINK: LINK, C.RTM_DELLINK: LINK, C.RTM_GETLINK: LINK, C.RTM_SETLINK: LINK,
    C.RTM_NEWADDR: ADDR, C.RTM_DELADDR: ADDR, C.RTM_GETADDR: ADDR,
    C.RTM_NEWROUTE: ROUTE, C.RTM_DELROUTE: ROUTE, C.RTM_GETROUTE: ROUTE,
    C.RTM_NEWNEIGH: NEIGH, C.RTM_DELNEIGH: NEIGH, C.RTM_GETNEIGH: NEIGH,
    C.RTM_NEWRULE: RULE, C.RTM_DELRULE: RULE, C.RTM_GETRULE: RULE,
    C.RTM_NEWNSID: NSID, C.RTM_GETNSID: NSID,
    C.RTM_NEWNEXTHOP: NEXTHOP, C.RTM_DELNEXTHOP: NEXTHOP, C.RTM_GETNEXTHOP: NEXTHOP,
}
