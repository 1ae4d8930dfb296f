# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_neigh's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options, gathered_file_options


def argument_spec():
    return dict(
        neighbours=dict(type="list", elements="dict", aliases=["neighbors"]),
        dev=dict(type="str"),
        dst=dict(type="str"),
        lladdr=dict(type="str"),
        nud=dict(type="str"),
        proxy=dict(type="bool"),
        router=dict(type="bool"),
        extern_learn=dict(type="bool"),
        protocol=dict(type="str"),
        family=dict(type="str"),
        owned=dict(type="str", choices=["protocol", "permanent"]),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
        **dict(common_options(), **gathered_file_options())
    )
