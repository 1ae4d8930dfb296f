# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A change of a plan, as plain data: its op and how it is made.

The shape of a change (``kind``, ``op``, ``key``, ``before``, ``after``,
``stage``, ``note``, ``implied``) is what a stored plan holds, so another
process replays it byte for byte (see ``engine/plans.py``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

CREATE = "create"
UPDATE = "update"
DELETE = "delete"


def change(kind, op, before, after, note=None):
    obj = after if after is not None else before
    ch = {"kind": kind.name, "op": op, "key": list(kind.key(obj)),
          "before": before, "after": after, "stage": 0}
    if note:
        ch["note"] = note
    ch["stage"] = kind.stage(ch)
    return ch


def identity(change_):
    """The object a change is about: (kind name, key); two changes of one
    plan with the same identity change the same object."""
    return (change_["kind"], tuple(change_["key"]))


def implied(change_, cause, role, returns=False):
    """Mark ``change_`` as made by the kernel when ``cause`` (a change of
    the same plan that sends a request) is applied; ``role`` says how it
    is tied to the cause (``peer``, ``stacked``, ``port``, ``address``,
    ``route``).  ``returns``: the kernel also brings it back when the cause
    is undone (a kernel-made address or route of a re-created link), so
    its undo sends nothing either; it is only checked."""
    change_["implied"] = {"by": {"kind": cause["kind"], "key": list(cause["key"])}, "as": role}
    if returns:
        change_["implied"]["returns"] = True
    return change_
