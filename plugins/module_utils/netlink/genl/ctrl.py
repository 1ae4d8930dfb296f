# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nlctrl, the generic netlink controller (linux/genetlink.h): the family
at the fixed id GENL_ID_CTRL that tells the other families' ids.

CTRL_CMD_GETFAMILY with CTRL_ATTR_FAMILY_NAME returns one family (or
ENOENT); as a dump, every family visible from the socket's namespace.
The kernel answers with CTRL_CMD_NEWFAMILY (net/netlink/genetlink.c,
ctrl_fill_info).  Equivalent to: ``genl ctrl get name NAME`` /
``genl ctrl list``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..codec import STRING, U16, U32
from ..schema import Attr, AttrSet, Flags, IndexedArray
from .family import Family

# enum of CTRL_CMD_*
CTRL_CMD_UNSPEC = 0
CTRL_CMD_NEWFAMILY = 1
CTRL_CMD_DELFAMILY = 2
CTRL_CMD_GETFAMILY = 3
CTRL_CMD_NEWOPS = 4
CTRL_CMD_DELOPS = 5
CTRL_CMD_GETOPS = 6
CTRL_CMD_NEWMCAST_GRP = 7
CTRL_CMD_DELMCAST_GRP = 8
CTRL_CMD_GETMCAST_GRP = 9  # unused by the kernel
CTRL_CMD_GETPOLICY = 10

# The controller's version (net/netlink/genetlink.c genl_ctrl.version).
CTRL_VERSION = 2

# GENL_* flags of one operation (CTRL_ATTR_OP_FLAGS).
GENL_ADMIN_PERM = 0x01
GENL_CMD_CAP_DO = 0x02
GENL_CMD_CAP_DUMP = 0x04
GENL_CMD_CAP_HASPOL = 0x08
GENL_UNS_ADMIN_PERM = 0x10

GENL_OP_FLAGS = Flags("genl_op_flags", {
    GENL_ADMIN_PERM: "admin_perm",
    GENL_CMD_CAP_DO: "do",
    GENL_CMD_CAP_DUMP: "dump",
    GENL_CMD_CAP_HASPOL: "has_policy",
    GENL_UNS_ADMIN_PERM: "uns_admin_perm",
})

CTRL_OP_ATTRS = AttrSet("ctrl_attr_op", [
    Attr(1, "id", U32),                             # CTRL_ATTR_OP_ID
    Attr(2, "flags", U32, enum=GENL_OP_FLAGS),      # CTRL_ATTR_OP_FLAGS
])

CTRL_MCAST_GRP_ATTRS = AttrSet("ctrl_attr_mcast_grp", [
    Attr(1, "name", STRING),                        # CTRL_ATTR_MCAST_GRP_NAME
    Attr(2, "id", U32),                             # CTRL_ATTR_MCAST_GRP_ID
])

CTRL_ATTRS = AttrSet("ctrl_attr", [
    Attr(1, "family_id", U16),                      # CTRL_ATTR_FAMILY_ID
    Attr(2, "family_name", STRING),                 # CTRL_ATTR_FAMILY_NAME
    Attr(3, "version", U32),                        # CTRL_ATTR_VERSION
    Attr(4, "hdrsize", U32),                        # CTRL_ATTR_HDRSIZE
    Attr(5, "maxattr", U32),                        # CTRL_ATTR_MAXATTR
    # a nest of nests numbered 1, 2, ... (ctrl_fill_info, no NLA_F_NESTED)
    Attr(6, "ops", IndexedArray("ctrl_attr_ops", CTRL_OP_ATTRS)),               # CTRL_ATTR_OPS
    Attr(7, "mcast_groups", IndexedArray("ctrl_attr_mcast_groups", CTRL_MCAST_GRP_ATTRS)),
    # CTRL_ATTR_MCAST_GROUPS (same numbering)
    # CTRL_ATTR_POLICY (8) and CTRL_ATTR_OP_POLICY (9), the replies of
    # CTRL_CMD_GETPOLICY, are not modelled: kept raw under their number.
    Attr(10, "op", U32),                            # CTRL_ATTR_OP
])

NLCTRL = Family("nlctrl", CTRL_VERSION, attrs=CTRL_ATTRS)
