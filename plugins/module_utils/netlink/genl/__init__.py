# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generic netlink (NETLINK_GENERIC, linux/genetlink.h): families declared
by their schema alone (family.py), nlctrl (ctrl.py), and a socket that
resolves families by name (resolve.py).  A family's own package (the
WireGuard and ethtool schemas) declares a ``Family`` and nothing else."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .ctrl import CTRL_ATTRS, CTRL_CMD_GETFAMILY, CTRL_CMD_NEWFAMILY, GENL_OP_FLAGS, NLCTRL
from .family import GENLMSGHDR, Family, GenlBody, genl_header
from .resolve import FamilyInfo, GenlSocket

__all__ = [
    "CTRL_ATTRS", "CTRL_CMD_GETFAMILY", "CTRL_CMD_NEWFAMILY", "GENL_OP_FLAGS", "NLCTRL",
    "GENLMSGHDR", "Family", "GenlBody", "genl_header", "FamilyInfo", "GenlSocket",
]
