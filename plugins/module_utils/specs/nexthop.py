# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_nexthop's argument spec, here rather than in the module file so that
the host program (host_cli/) validates a saved state with exactly the
options, types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options, gathered_file_options


def argument_spec():
    return dict(
        nexthops=dict(type="list", elements="dict"),
        id=dict(type="int"),
        gateway=dict(type="str"),
        dev=dict(type="str"),
        onlink=dict(type="bool"),
        blackhole=dict(type="bool"),
        fdb=dict(type="bool"),
        family=dict(type="str"),
        group=dict(type="list", elements="raw"),
        type=dict(type="str", choices=["mpath", "resilient"]),
        buckets=dict(type="int"),
        idle_timer=dict(type="int"),
        unbalanced_timer=dict(type="int"),
        protocol=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
        **dict(common_options(), **gathered_file_options())
    )
