# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_fdb's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options, gathered_file_options


def argument_spec():
    return dict(
        entries=dict(type="list", elements="dict"),
        dev=dict(type="str"),
        mac=dict(type="str"),
        master=dict(type="bool"),
        vlan=dict(type="int"),
        src_vni=dict(type="int"),
        dst=dict(type="str"),
        vni=dict(type="int"),
        port=dict(type="int"),
        entry_state=dict(type="str", choices=["permanent", "static", "dynamic"]),
        sticky=dict(type="bool"),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
        **dict(common_options(), **gathered_file_options())
    )
