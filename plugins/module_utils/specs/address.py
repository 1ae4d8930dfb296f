# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_addr's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options


def argument_spec():
    return dict(
        dev=dict(type="str"),
        address=dict(type="str"),
        addresses=dict(type="list", elements="raw"),
        devices=dict(type="list", elements="dict", options=dict(
            dev=dict(type="str", required=True),
            addresses=dict(type="list", elements="raw"),
            state=dict(type="str", choices=["present", "absent", "replaced"]),
        )),
        peer=dict(type="str"),
        broadcast=dict(type="str"),
        label=dict(type="str"),
        scope=dict(type="str"),
        valid_lft=dict(type="str"),
        preferred_lft=dict(type="str"),
        noprefixroute=dict(type="bool"),
        nodad=dict(type="bool"),
        metric=dict(type="int"),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
        recreate=dict(type="bool", default=False),
        **common_options()
    )
