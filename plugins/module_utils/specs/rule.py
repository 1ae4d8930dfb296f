# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_rule's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options, gathered_file_options


def argument_spec():
    return dict(
        rules=dict(type="list", elements="dict"),
        priority=dict(type="int", aliases=["pref", "preference"]),
        iif=dict(type="str"),
        oif=dict(type="str"),
        fwmark=dict(type="str"),
        tos=dict(type="str"),
        dscp=dict(type="int"),
        uidrange=dict(type="str"),
        ipproto=dict(type="str"),
        sport=dict(type="str"),
        dport=dict(type="str"),
        l3mdev=dict(type="bool"),
        invert=dict(type="bool", aliases=["not"]),
        action=dict(type="str"),
        table=dict(type="str", aliases=["lookup"]),
        goto=dict(type="int"),
        suppress_prefixlength=dict(type="int"),
        suppress_ifgroup=dict(type="str"),
        realms=dict(type="str"),
        protocol=dict(type="str"),
        family=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
        tables=dict(type="list", elements="str"),
        priorities=dict(type="list", elements="str"),
        **dict(common_options(), **dict(gathered_file_options(), **{"from": dict(type="str"), "to": dict(type="str")}))
    )
