# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NETLINK_XFRM message schemas, by message type.

Unlike rtnetlink, each XFRM message type has its own fixed header (its
struct is named in net/xfrm/xfrm_user.c ``xfrm_msg_min``), so SCHEMAS maps
every type to its own Body; the attributes (XFRMA_*) are one set.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import const as C
from . import common
from .common import addr_family, addr_to_text, algo, alg_name, text_to_addr
from .policy import (
    POLICY, POLICY_DEFAULT, POLICY_EXPIRE, POLICY_FLUSH, POLICY_GET, POLICY_ID, policy_id_of,
)
from .state import (
    SA, SA_ACQUIRE, SA_AEVENT, SA_ALLOCSPI, SA_EXPIRE, SA_FLUSH, SA_GET, SA_ID, SA_MAPPING,
    sa_id_of,
)

SCHEMAS = {
    C.XFRM_MSG_NEWSA: SA,                   # xfrm_usersa_info
    C.XFRM_MSG_UPDSA: SA,                   # xfrm_usersa_info
    C.XFRM_MSG_DELSA: SA_ID,                # xfrm_usersa_id
    C.XFRM_MSG_GETSA: SA_GET,               # xfrm_usersa_id; nothing for a dump
    C.XFRM_MSG_NEWPOLICY: POLICY,           # xfrm_userpolicy_info
    C.XFRM_MSG_UPDPOLICY: POLICY,           # xfrm_userpolicy_info
    C.XFRM_MSG_DELPOLICY: POLICY_ID,        # xfrm_userpolicy_id
    C.XFRM_MSG_GETPOLICY: POLICY_GET,       # xfrm_userpolicy_id; nothing for a dump
    C.XFRM_MSG_ALLOCSPI: SA_ALLOCSPI,       # xfrm_userspi_info
    C.XFRM_MSG_ACQUIRE: SA_ACQUIRE,         # xfrm_user_acquire
    C.XFRM_MSG_EXPIRE: SA_EXPIRE,           # xfrm_user_expire
    C.XFRM_MSG_POLEXPIRE: POLICY_EXPIRE,    # xfrm_user_polexpire
    C.XFRM_MSG_FLUSHSA: SA_FLUSH,           # xfrm_usersa_flush
    C.XFRM_MSG_FLUSHPOLICY: POLICY_FLUSH,   # no fixed header
    C.XFRM_MSG_NEWAE: SA_AEVENT,            # xfrm_aevent_id
    C.XFRM_MSG_GETAE: SA_AEVENT,            # xfrm_aevent_id
    C.XFRM_MSG_MAPPING: SA_MAPPING,         # xfrm_user_mapping
    C.XFRM_MSG_SETDEFAULT: POLICY_DEFAULT,  # xfrm_userpolicy_default
    C.XFRM_MSG_GETDEFAULT: POLICY_DEFAULT,  # xfrm_userpolicy_default
}

__all__ = [
    "SCHEMAS", "common", "addr_family", "addr_to_text", "algo", "alg_name", "text_to_addr",
    "policy_id_of", "sa_id_of",
    "SA", "SA_ID", "SA_GET", "SA_FLUSH", "POLICY", "POLICY_ID", "POLICY_GET", "POLICY_FLUSH",
]
