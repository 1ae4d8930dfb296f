# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Security policies (linux/xfrm.h, net/xfrm/xfrm_user.c).

``XFRM_MSG_NEWPOLICY``/``UPDPOLICY`` (and every policy the kernel sends
back) carry ``xfrm_userpolicy_info`` + XFRMA_* (XFRMA_TMPL: an array of
``xfrm_user_tmpl``; XFRMA_POLICY_TYPE; XFRMA_MARK; XFRMA_IF_ID);
``DELPOLICY`` and a single ``GETPOLICY`` carry ``xfrm_userpolicy_id`` (the
selector + dir, or the index); a ``GETPOLICY`` dump carries nothing;
``FLUSHPOLICY`` has no fixed header, only an optional XFRMA_POLICY_TYPE.

Equivalents: NEWPOLICY is ``ip xfrm policy add``, UPDPOLICY ``ip xfrm
policy update``, DELPOLICY ``ip xfrm policy delete``, GETPOLICY ``ip xfrm
policy get`` / ``list``, FLUSHPOLICY ``ip xfrm policy flush``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..schema import Body
from .common import (
    EMPTY, XFRMA, XFRM_USER_POLEXPIRE, XFRM_USERPOLICY_DEFAULT, XFRM_USERPOLICY_ID,
    XFRM_USERPOLICY_INFO, GetOrDumpBody,
)

POLICY = Body("xfrm_policy", XFRM_USERPOLICY_INFO, XFRMA)
POLICY_ID = Body("xfrm_policy_id", XFRM_USERPOLICY_ID, XFRMA)
POLICY_GET = GetOrDumpBody("xfrm_policy_get", XFRM_USERPOLICY_ID, XFRMA)
POLICY_FLUSH = Body("xfrm_policy_flush", EMPTY, XFRMA)
POLICY_EXPIRE = Body("xfrm_polexpire", XFRM_USER_POLEXPIRE, XFRMA)
POLICY_DEFAULT = Body("xfrm_policy_default", XFRM_USERPOLICY_DEFAULT, XFRMA)


def policy_id_of(info, attrs=None):
    """The (xfrm_userpolicy_id header, attrs) that name the policy
    described by a decoded xfrm_userpolicy_info (+ attributes), for
    DELPOLICY or GETPOLICY: selector and dir (index 0: look up by
    selector), with the policy type, mark and if_id the kernel also
    matches on."""
    header = {"sel": info["sel"], "index": 0, "dir": info["dir"]}
    out = {}
    attrs = attrs or {}
    for name in ("policy_type", "mark", "if_id"):
        if attrs.get(name) is not None:
            out[name] = attrs[name]
    return header, out
