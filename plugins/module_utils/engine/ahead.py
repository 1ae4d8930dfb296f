# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the earlier steps of one transaction plan (engine/transaction.py).

Every step of a transaction reads the kernel before any of them writes:
the addresses step reads a bridge the links step has only planned.  A
step's run mode (driver.RunMode ``ahead``) carries what the earlier steps'
plans leave, per object (kind name, key), so that a task plans against
that instead of the kernel where they differ:

- ``makes``: an object the kernel lacks that an earlier step creates (a
  link to put addresses on): the task plans against an object with
  nothing on it, as check mode does for one an earlier task would create
  (tasks/base.py ``missing_in_check_mode``), in check mode and real runs
  alike, and without a warning: the same plan creates it first.
- ``gone``: an object the kernel holds that an earlier step deletes or
  the kernel deletes with one (the addresses of a re-created link): the
  task plans as if it were not there.
- ``final``: an object an earlier step changes, or the kernel changes
  with one of its changes (a link's forwarding, set by a write to
  ``all.forwarding``: nl_netconf plans it as an implied change): the task
  plans against the value it will have.

Nothing here knows a kind: what a step plans is plain changes.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..contract.changes import identity


class Ahead:
    """The final state of each object the plans seen so far change:
    identity -> its last change's ``after`` (None: gone)."""

    def __init__(self, final=None):
        self._final = dict(final or {})

    def then(self, plan):
        """A new Ahead: this one, followed by ``plan``'s changes."""
        out = Ahead(self._final)
        for ch in plan:
            out._final[identity(ch)] = ch["after"]
        return out

    def __bool__(self):
        return bool(self._final)

    __nonzero__ = __bool__

    def makes(self, kind, key):
        """Whether the earlier steps leave the object (kind name, key)
        present (created, or kept by an update)."""
        return self._final.get((kind, tuple(key))) is not None

    def gone(self, kind, key):
        """Whether the earlier steps leave the object (kind name, key)
        deleted (by a request, or by the kernel with its cause)."""
        found = (kind, tuple(key))
        return found in self._final and self._final[found] is None

    def final(self, kind, key):
        """(whether the earlier steps change the object (kind name, key),
        its final state: None when gone)."""
        found = (kind, tuple(key))
        return found in self._final, self._final.get(found)

    def without_gone(self, kind, objs):
        """``objs`` (objects of the kind ``kind``, an ObjectKind) less
        those the earlier steps delete."""
        if not self._final:
            return objs
        return [o for o in objs if not self.gone(kind.name, kind.key(o))]
