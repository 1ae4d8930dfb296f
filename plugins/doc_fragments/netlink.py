# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option and attribute documentation shared by every netlink.host module."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  netns:
    description:
      - Network namespace to work in, by name (as C(ip netns) lists it, a
        file under C(/run/netns)) or by path (C(/proc/1234/ns/net)).
      - The module enters the namespace only to open its netlink sockets;
        nothing else of the managed host changes namespace.
      - Omit to work in the namespace the module runs in. An empty string, a
        relative path, V(.), V(..) or a name longer than 255 bytes is an
        error, before anything is read.
      - With a path, RV(commands) print as C(nsenter --net=PATH ip ...),
        which a shell runs as printed (C(ip -n) takes names only).
    type: str
attributes:
  check_mode:
    support: full
    description: Reports what would change and the RV(commands) it would run, and sends no write request (RV(write_requests) is V(0)).
  diff_mode:
    support: full
    description: Shows each changed object before and after.
notes:
  - Talks netlink to the kernel directly; needs only Python on the managed
    host (no iproute2, no pyroute2) and C(CAP_NET_ADMIN) to change anything.
  - Validates every input before changing anything. If the kernel refuses
    one change of several, the changes applied before it, and what the
    kernel changed with them, are undone; the task fails with the kernel's
    own message, and RV(undone)/RV(undo_failures) say whether everything was
    restored exactly, as read back.
'''
