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
  confirm_timeout:
    description:
      - Commit-confirmed. When set and the task changes something (not in
        check mode), the change rolls itself back after this many seconds
        unless it is confirmed with M(netlink.host.nl_confirm). Use it
        when the change may cut the controller off the host (the address,
        route or link of the management connection).
      - Before the first write request the module writes a pending record
        under C(/run/netlink.host/) (root-only; it holds the undo plan,
        computed from the state read before the change) and starts a
        detached watchdog that outlives the module, the SSH session and
        Ansible's temporary files. If the module is killed half-way, the
        watchdog still rolls back to the state before the task.
      - The rollback restores only the objects the task touched, and only
        those still as the task left them; one another task or tool has
        changed since is left alone and reported as a conflict in the
        record. Several pending changes of one namespace roll back newest
        first.
      - The result then has C(confirm_id) (pass it to
        M(netlink.host.nl_confirm)) and C(confirm_deadline).
      - Seconds, from V(1) to V(86400). Omit for a change that stays.
      - See C(docs/commit-confirmed.md) in the collection for the playbook
        pattern.
    type: int
    version_added: "0.2.0"
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
    one change of several, the changes it applied (those before it, and
    those after it in the same batch, which the kernel still carries out),
    and what the kernel changed with them, are undone; the task fails with
    the kernel's own message, and RV(undone)/RV(undo_failures) say whether
    everything was restored exactly, as read back.
  - "After a refusal RV(commands) lists the requests sent, in the order they
    were sent. The refused one ends in a comment, C(# refused: <the kernel's words>);
    those after it are the rest of its batch, which the kernel still carried
    out and the undo reverted. A request that could not be built ends in
    C(# not sent: <why>). Every line stays a valid shell and C(ip -batch) line."
'''
