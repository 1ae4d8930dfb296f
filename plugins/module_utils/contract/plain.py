# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects are plain data: copying them, and what of them is shown.

A ``kernel`` block (what the kernel holds that the input format does not
express) is never shown; secret fields (``kind.secret_fields``) are
compared with real bytes but shown as MASK.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

MASK = "********"

_ATOMS = (str, int, float, bool, type(None))


def plain_copy(value):
    """A deep copy of plain data (what objects are made of), without
    copy.deepcopy's memo and dispatch per scalar: a plan of 10,000 routes
    copies 200,000 fields.  Anything else is left to copy.deepcopy."""
    cls = type(value)
    if cls in _ATOMS:
        return value
    if cls is dict:
        return {k: plain_copy(v) for k, v in value.items()}
    if cls is list:
        return [plain_copy(v) for v in value]
    return copy.deepcopy(value)


def public(obj):
    """``obj`` without its ``kernel`` block (for results and diffs)."""
    if not isinstance(obj, dict) or "kernel" not in obj:
        return obj
    return dict((k, v) for k, v in obj.items() if k != "kernel")


def mask(kind, obj):
    """A copy of ``obj`` with its secret fields masked, ``kernel`` block
    dropped."""
    obj = public(obj)
    if obj is None or not kind.secret_fields:
        return obj
    out = copy.deepcopy(obj)
    for path in kind.secret_fields:
        node = out
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.get(p) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, dict) and node.get(parts[-1]) is not None:
            node[parts[-1]] = MASK
    return out


def mask_change(kind, ch):
    if not kind.secret_fields:
        return ch
    return dict(ch, before=mask(kind, ch["before"]), after=mask(kind, ch["after"]))
