# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_netconf's argument spec, here rather than in the module file so that
the host program (host_cli/) validates a saved state with exactly the
options, types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options
from ..objects import devconf


def scope_spec():
    """``ipv4``/``ipv6`` blocks of one scope (all, default): nl_link's
    settings but the per-device ones."""
    return dict((block, {"type": "dict", "options": dict((c.name, c.argspec()) for c in devconf.scope_rows(block))})
                for block in sorted(devconf.BLOCKS))


def argument_spec():
    spec = dict((scope, {"type": "dict", "options": scope_spec()}) for scope in devconf.SCOPES)
    spec["state"] = dict(type="str", default="present", choices=["present", "gathered"])
    spec.update(common_options())
    return spec
