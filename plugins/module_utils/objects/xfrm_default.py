# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The default IPsec policies of a namespace (what happens to a packet no
policy matches, per direction) as one engine object.

Equivalent to: ``ip xfrm policy setdefault in|fwd|out accept|block ...``
(XFRM_MSG_SETDEFAULT with xfrm_userpolicy_default), read with ``ip xfrm
policy getdefault`` (XFRM_MSG_GETDEFAULT; kernel 5.16+).

The object is ``{"in", "fwd", "out"}``, each ``allow`` or ``block`` (the
words of a policy's action; iproute2 prints ``accept`` for allow).  A
direction left None is not changed: the kernel leaves a direction sent
as XFRM_USERPOLICY_UNSPEC as it is (net/xfrm/xfrm_user.c,
xfrm_set_default).  There is one such object per namespace; its key is
constant.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..netlink import const as C
from ..netlink.socket import Request
from ..netlink.xfrm import common as X
from .iproute2 import ip_prefix

DIRECTIONS = ("in", "fwd", "out")
# Policy action words <-> XFRM_USERPOLICY_* values.
TO_KERNEL = {"allow": X.XFRM_USERPOLICY_ACCEPT, "block": X.XFRM_USERPOLICY_BLOCK}
FROM_KERNEL = {X.XFRM_USERPOLICY_ACCEPT: "allow", X.XFRM_USERPOLICY_BLOCK: "block"}
IP_WORDS = {"allow": "accept", "block": "block"}


class XfrmDefaultKind(contract.ObjectKind):
    name = "xfrm_default"

    def protocol(self):
        return C.NETLINK_XFRM

    def key(self, obj):
        return ("default",)

    def label(self, obj):
        return "policy defaults"

    def from_msg(self, msg, ctx=None):
        return dict((d, FROM_KERNEL.get(msg.header[d])) for d in DIRECTIONS)

    def read(self, ctx, objs):
        msg = ctx.socket(C.NETLINK_XFRM).get(C.XFRM_MSG_GETDEFAULT, dict((d, 0) for d in DIRECTIONS),
                                             label="ip xfrm policy getdefault")
        return {self.key(None): self.from_msg(msg, ctx)}

    def stage(self, change):
        return 0

    def request(self, change, ctx):
        obj = change["after"] or {}
        header = dict((d, TO_KERNEL.get(obj.get(d), X.XFRM_USERPOLICY_UNSPEC)) for d in DIRECTIONS)
        return Request(C.XFRM_MSG_SETDEFAULT, 0, header, {}, label=self.command(change, ctx))

    def command(self, change, ctx):
        obj = change["after"] or {}
        before = change["before"] or {}
        words = ["xfrm", "policy", "setdefault"]
        for d in DIRECTIONS:
            # Only the directions that change (an update's request sends
            # the unchanged ones too, which is the same).
            if obj.get(d) is not None and obj.get(d) != before.get(d):
                words += [d, IP_WORDS[obj[d]]]
        return "%s %s" % (ip_prefix(ctx), " ".join(words))
