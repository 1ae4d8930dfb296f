# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task works out on its way carries along with it, so that a task
instance keeps nothing between calls (tasks/base.py).

``Desired``: the desired objects (a list) and the ``scope`` the task read
out of its params besides them (nl_route: the tables ``replaced`` owns;
nl_rule: the families it reads and what ``replaced`` may remove; nl_addr:
the devices it manages).  ``Current``: the current objects (key -> object)
and what the read ``seen`` besides them (nl_rule: every rule read, in the
kernel's order; nl_addr: each device's addresses, the devices missing).
Each is a plain list or dict to everything else.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Desired(list):
    """A task's desired objects, with the ``scope`` its params gave."""

    def __init__(self, objects=(), scope=None):
        list.__init__(self, objects)
        self.scope = scope


class Current(dict):
    """A task's current objects (key -> object), with what else the read
    ``seen``."""

    def __init__(self, objects=(), seen=None):
        dict.__init__(self, objects)
        self.seen = seen
