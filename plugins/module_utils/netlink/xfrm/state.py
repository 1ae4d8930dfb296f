# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security associations (linux/xfrm.h, net/xfrm/xfrm_user.c).

``XFRM_MSG_NEWSA``/``UPDSA`` (and every SA the kernel sends back, in a
dump or for a GET) carry ``xfrm_usersa_info`` + XFRMA_*; ``DELSA`` and a
single ``GETSA`` carry ``xfrm_usersa_id`` (with XFRMA_MARK / XFRMA_SRCADDR
to tell SAs apart); a ``GETSA`` dump carries only the XFRMA_PROTO /
XFRMA_ADDRESS_FILTER filters; ``FLUSHSA`` carries ``xfrm_usersa_flush``.

Equivalents: NEWSA is ``ip xfrm state add``, UPDSA ``ip xfrm state
update``, DELSA ``ip xfrm state delete``, GETSA ``ip xfrm state get`` /
``list``, FLUSHSA ``ip xfrm state flush [proto P]``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..schema import Body
from .common import (
    XFRMA, XFRM_AEVENT_ID, XFRM_USER_ACQUIRE, XFRM_USER_EXPIRE, XFRM_USER_MAPPING,
    XFRM_USERSA_FLUSH, XFRM_USERSA_ID, XFRM_USERSA_INFO, XFRM_USERSPI_INFO,
    GetOrDumpBody,
)

SA = Body("xfrm_sa", XFRM_USERSA_INFO, XFRMA)
SA_ID = Body("xfrm_sa_id", XFRM_USERSA_ID, XFRMA)
SA_GET = GetOrDumpBody("xfrm_sa_get", XFRM_USERSA_ID, XFRMA)
SA_FLUSH = Body("xfrm_sa_flush", XFRM_USERSA_FLUSH, XFRMA)
SA_ALLOCSPI = Body("xfrm_allocspi", XFRM_USERSPI_INFO, XFRMA)
SA_EXPIRE = Body("xfrm_expire", XFRM_USER_EXPIRE, XFRMA)
SA_ACQUIRE = Body("xfrm_acquire", XFRM_USER_ACQUIRE, XFRMA)
SA_AEVENT = Body("xfrm_aevent", XFRM_AEVENT_ID, XFRMA)
SA_MAPPING = Body("xfrm_mapping", XFRM_USER_MAPPING, XFRMA)


def sa_id_of(info, attrs=None):
    """The (xfrm_usersa_id header, attrs) that name the SA described by a
    decoded xfrm_usersa_info (+ its attributes) for DELSA or GETSA: daddr,
    spi, family, proto, plus XFRMA_MARK and XFRMA_SRCADDR when present
    (the kernel's SA lookup key includes the mark)."""
    header = {"daddr": info["id"]["daddr"], "spi": info["id"]["spi"],
              "family": info["family"], "proto": info["id"]["proto"]}
    out = {}
    attrs = attrs or {}
    if attrs.get("mark") is not None:
        out["mark"] = attrs["mark"]
    out["srcaddr"] = attrs.get("srcaddr") or info["saddr"]
    return header, out
