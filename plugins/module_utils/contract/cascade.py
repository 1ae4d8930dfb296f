# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``DiesWith``: a kind's declaration that the kernel deletes (or changes)
its objects, without a request of their own, when an object of another
kind goes: an address goes with its link, a route with the link it is
through (and, next, with the nexthop object it uses).

A kind lists its declarations in ``ObjectKind.dies_with``.  The parent
kind's cascade (``tasks/link_cascade.py`` for links) asks the registry
which kinds declare dying with it (``engine/cascade.py``), reads what goes
with the parents that go (``read``) and plans it as implied changes, placed
among the parent's own steps as the declaration says (``before`` /
``after``); undo restores in the reverse order.  Nothing here or in the
engine knows a kind by name.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class DiesWith:
    """Subclass it in the kind's file and set:

    - ``parent``: the name of the kind whose objects take these with them;
    - ``role``: the ``implied["as"]`` of their changes in a plan (a stored
      plan holds it: do not rename one that shipped);
    - ``before`` or ``after``: the step of the parent's cascade they go
      just before or just after (the parent's cascade names its steps);
      neither: after all of them, just before the parent's own request.
      Kinds placed at the same spot go in the manifest's order.
    """

    parent = None
    role = None
    before = None
    after = None

    def read(self, kind, ctx, gone):
        """The changes the kernel makes to ``kind``'s objects when the
        parent objects ``gone`` go (name -> object as the parent kind read
        it, in the order they go), by parent name: each list in the order
        the plan runs them (undo re-adds in reverse).  Read narrowly: one
        kernel-filtered dump per gone parent, not the whole table."""
        raise NotImplementedError

    def returns(self, change):
        """Whether the kernel brings the object of ``change`` back by itself
        when its parent comes back (undo then sends nothing for it, and only
        checks that it came)."""
        return False
