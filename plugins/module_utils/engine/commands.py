# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A plan's ``commands``: what the module and the host program show."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..objects import registry


def commands(plan, ctx):
    """The iproute2 commands of the changes that send a request (what the
    kernel does by itself as a consequence shows in the diff, not here)."""
    out = []
    for ch in plan:
        if ch.get("implied"):
            continue
        kind = registry.kind(ch["kind"])
        out.append(kind.command(contract.mask_change(kind, ch), ctx))
    return out
