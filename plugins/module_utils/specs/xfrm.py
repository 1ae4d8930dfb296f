# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_xfrm's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options


def _mark():
    return dict(type="dict", options=dict(value=dict(type="raw", required=True), mask=dict(type="raw")))


def _selector(required=False):
    return dict(type="dict", required=required, options=dict(
        src=dict(type="str"), dst=dict(type="str"), proto=dict(type="str"), sport=dict(type="int"),
        dport=dict(type="int"), type=dict(type="int"), code=dict(type="int"), dev=dict(type="str")))


def _lifetime():
    return dict(type="dict", options=dict(
        time_soft=dict(type="int"), time_hard=dict(type="int"), time_use_soft=dict(type="int"),
        time_use_hard=dict(type="int"), byte_soft=dict(type="str"), byte_hard=dict(type="str"),
        packet_soft=dict(type="str"), packet_hard=dict(type="str")))


def _key():
    # no_log: Ansible also scrubs the value from the invocation it logs.
    return dict(type="str", required=True, no_log=True)


def argument_spec():
    item_state = dict(type="str", choices=["present", "absent"])
    sa = dict(
        src=dict(type="str"),
        dst=dict(type="str", required=True),
        proto=dict(type="str", choices=["esp", "ah", "comp"], default="esp"),
        spi=dict(type="raw", required=True),
        mode=dict(type="str", choices=["transport", "tunnel", "beet"]),
        reqid=dict(type="int"),
        aead=dict(type="dict", options=dict(name=dict(type="str", required=True), key=_key(),
                                            icv_len=dict(type="int"))),
        enc=dict(type="dict", options=dict(name=dict(type="str", required=True), key=_key())),
        auth=dict(type="dict", options=dict(name=dict(type="str", required=True), key=_key(),
                                            trunc_len=dict(type="int"))),
        comp=dict(type="dict", options=dict(name=dict(type="str", required=True))),
        replay_window=dict(type="int"),
        flags=dict(type="list", elements="str", choices=["noecn", "decap-dscp", "nopmtudisc", "wildrecv", "icmp",
                                                         "af-unspec", "align4", "esn"]),
        extra_flags=dict(type="list", elements="str", choices=["dont-encap-dscp", "oseq-may-wrap"]),
        mark=_mark(),
        output_mark=_mark(),
        if_id=dict(type="int"),
        dir=dict(type="str", choices=["in", "out"]),
        encap=dict(type="dict", options=dict(
            type=dict(type="str", choices=["espinudp", "espinudp-nonike", "espintcp"], default="espinudp"),
            sport=dict(type="int", required=True), dport=dict(type="int", required=True), oa=dict(type="str"))),
        selector=_selector(),
        lifetime=_lifetime(),
        offload=dict(type="dict", options=dict(
            dev=dict(type="str", required=True), dir=dict(type="str", choices=["in", "out"], default="out"),
            type=dict(type="str", choices=["crypto", "packet"], default="crypto"))),
        state=item_state,
    )
    policy = dict(
        selector=_selector(required=True),
        dir=dict(type="str", choices=["in", "out", "fwd"], required=True),
        ptype=dict(type="str", choices=["main", "sub"], default="main"),
        action=dict(type="str", choices=["allow", "block"]),
        priority=dict(type="int"),
        flags=dict(type="list", elements="str", choices=["localok", "icmp"]),
        mark=_mark(),
        if_id=dict(type="int"),
        lifetime=_lifetime(),
        templates=dict(type="list", elements="dict", options=dict(
            src=dict(type="str"), dst=dict(type="str"),
            proto=dict(type="str", choices=["esp", "ah", "comp"], default="esp"),
            spi=dict(type="raw"), mode=dict(type="str", choices=["transport", "tunnel", "beet"], default="transport"),
            reqid=dict(type="int"), level=dict(type="str", choices=["required", "use"], default="required"))),
        state=item_state,
    )
    direction = dict(type="str", choices=["allow", "block"])
    return dict(
        states=dict(type="list", elements="dict", options=sa),
        policies=dict(type="list", elements="dict", options=policy),
        defaults=dict(type="dict", options={"in": direction, "fwd": direction, "out": direction}),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
        show_keys=dict(type="bool", default=False),
        **common_options()
    )
