# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a kind whose objects die with a link declares: subclass
``DiesWithLink`` in the kind's file, set ``role`` and ``before`` or
``after`` one of ``STEPS``, implement ``read`` (see contract/cascade.py),
and list it in the kind's ``dies_with``.  The link cascade
(tasks/link_cascade.py) finds it there: nothing else needs an edit.

``gone``, what ``read`` gets: name -> link object (as LinkKind reads it)
of every link that goes, in the order they go; a link moved to another
namespace by the same task has no ifindex here (nothing of it is read
here), but still goes.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract

# The link cascade's own steps, in plan order (undo runs them in reverse):
# the links that go are taken down (``down``: their undo brings them up
# again, after their addresses are back), the ports of a master that goes
# are released (``port``), the links stacked on it or its veth peer go
# (``stacked``, ``peer``), then the delete itself.
STEPS = ("down", "port", "stacked")


class DiesWithLink(contract.DiesWith):
    parent = "link"

    @staticmethod
    def by_index(gone):
        """(ifindex, name) of the gone links the kernel knows, by ifindex:
        the order of the reads, one per link, filtered on its index."""
        index_of = dict((obj["kernel"]["ifindex"], name) for name, obj in gone.items()
                        if (obj.get("kernel") or {}).get("ifindex"))
        return sorted(index_of.items())

    def deletes(self, kind, gone, entries):
        """name -> the DELETE changes of the objects ``entries(index,
        name)`` reads of each gone link (one read per link, filtered on
        it), each noted as going with its link."""
        out = {}
        for index, name in self.by_index(gone):
            for obj in entries(index, name):
                out.setdefault(name, []).append(contract.change(kind, contract.DELETE, obj, None,
                                                                "goes with link %s" % name))
        return out
