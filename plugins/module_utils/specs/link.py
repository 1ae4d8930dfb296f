# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_link's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options
from ..objects import devconf
from ..objects.link_types import CREATABLE, argspec as link_type_argspec

COMMON_SPEC = dict(
    name=dict(type="str"),
    kind=dict(type="str", choices=list(CREATABLE)),
    mtu=dict(type="int"),
    address=dict(type="str"),
    master=dict(type="str"),
    alias=dict(type="str"),
    txqueuelen=dict(type="int"),
    link=dict(type="str"),
)
# An existing link moved into another namespace (tasks/link_move.py).
COMMON_SPEC.update(to_netns=dict(type="str"))


def argument_spec():
    spec = dict(COMMON_SPEC, **link_type_argspec())
    spec.update(devconf.argspec())
    # an item's per-type blocks are plain dicts, their settings documented
    # once at the top level; the task converts and checks them
    item = dict(COMMON_SPEC, state=dict(type="str", choices=["present", "up", "down", "absent"]),
                **link_type_argspec(item=True))
    item.update((block, {"type": "dict"}) for block in devconf.BLOCKS)
    spec.update(
        state=dict(type="str", default="present", choices=["present", "up", "down", "absent", "gathered"]),
        recreate=dict(type="bool", default=False),
        links=dict(type="list", elements="dict", options=item),
    )
    spec.update(common_options())
    return spec
