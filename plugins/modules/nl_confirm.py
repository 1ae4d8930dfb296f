#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_confirm
short_description: Confirm, list or roll back the pending changes of commit-confirmed
version_added: "0.2.0"
description:
  - A task of any module of this collection run with O(confirm_timeout)
    leaves a pending record on the host; its change rolls itself back when
    the timeout passes unless it is confirmed. This module confirms pending
    changes (all, or those given in O(ids)), lists the records, or rolls
    changes back at once.
  - The usual play changes the management path with O(confirm_timeout) and
    ends with an C(nl_confirm) task. That task runs only if the controller
    can still reach the host after the change; if the change cut the
    controller off, the task never runs and the host rolls back by itself.
  - The pending changes of one network namespace are a stack. Rolling one
    back (its timeout passed, or O(state=rolled_back)) first rolls back
    every still-pending change made after it in the same namespace, newest
    first. Rollbacks on one host run one at a time (a lock file). Confirming
    a change confirms that one only.
  - A rollback restores only the objects the change touched, and only those
    that are still as the change left them. An object another task or tool
    changed since is left alone and reported in the record's
    RV(records[].conflicts); such a rollback ends in the state
    V(rollback_failed), as does one whose requests the kernel refused
    (RV(records[].undo_failures)).
  - Records live in C(/run/netlink.host/) (mode 0700, files 0600, as an undo
    plan may hold IPsec keys). Pending records are kept until they finish.
    Of the finished ones, whenever a task makes a new record, those that
    finished more than a day ago are deleted, and so are those beyond the
    100 newest that finished more than an hour ago; a record that finished
    within the last hour, or whose watchdog still runs, is never deleted.
    C(/run) is emptied at boot.
author:
  - netlink.host contributors (@netlink-host)
options:
  state:
    description:
      - V(confirmed) confirms the pending changes selected, so they stay and
        their watchdogs end. Naming in O(ids) a change that was already
        rolled back fails (the confirm came too late; the change is gone).
      - V(rolled_back) rolls the selected pending changes back now (with
        every pending change made after them in their namespace, newest
        first) and fails if a
        rollback did not restore everything.
      - V(gathered) changes nothing and lists the records in RV(records).
    type: str
    choices: [confirmed, rolled_back, gathered]
    default: confirmed
  ids:
    description:
      - The records to act on, by the C(confirm_id) the changing tasks
        returned. Omit to act on every record (of O(netns), when given).
      - An id with no record on the host is an error, before anything
        changes.
    type: list
    elements: str
  netns:
    description:
      - Only the records of changes made in this network namespace (by name
        as C(ip netns) lists it, or by path), compared by the namespace
        itself, not its name. Omit for the records of every namespace.
      - Set by C(module_defaults) for the group C(netlink.host.netlink)
        like the other modules' O(netns), so a play confirms what it
        changed.
    type: str
  confirm_timeout:
    description:
      - Ignored (this module changes no network state); accepted so that
        C(module_defaults) for the group C(netlink.host.netlink) may set it
        for every module of a play.
    type: int
attributes:
  check_mode:
    support: full
    description: Reports what would be confirmed or rolled back, changes nothing.
  diff_mode:
    support: none
    description: No diff; RV(records) shows each record.
notes:
  - Needs root (the records are root's).
  - If a watchdog is killed (C(kill -9), a reboot), its change does not
    roll back by itself; O(state=gathered) shows it pending with
    RV(records[].watchdog.alive) V(false), and O(state=rolled_back) rolls it
    back.
seealso:
  - module: netlink.host.nl_addr
  - module: netlink.host.nl_link
'''

EXAMPLES = r'''
# A task that moves the address its own SSH session runs over needs
# async/poll 0 and wait_for_connection before the confirm: see the
# collection's docs/commit-confirmed.md.
- name: Change the addresses of veth0, rolled back in 120 s unless confirmed
  netlink.host.nl_addr:
    dev: veth0
    addresses: [192.0.2.20/24]
    state: replaced
    confirm_timeout: 120
  register: moved

- name: Still reachable after the change, so keep it
  netlink.host.nl_confirm:
    ids: ["{{ moved.confirm_id }}"]
  when: moved.confirm_id is defined

- name: List the records of this host
  netlink.host.nl_confirm:
    state: gathered
  register: pending

- name: Roll back every change still pending now
  netlink.host.nl_confirm:
    state: rolled_back
'''

RETURN = r'''
confirmed:
  description: The ids of the changes this task confirmed (in check mode, would confirm).
  returned: state is confirmed
  type: list
  elements: str
  sample: ["20261130T081257917872Z-465ebb"]
rolled_back:
  description:
    - The ids of the changes this task rolled back (in check mode, would roll
      back), newest first, including pending changes made after those
      selected in the same namespace.
  returned: state is rolled_back
  type: list
  elements: str
  sample: ["20261130T081301000000Z-1a2b3c", "20261130T081257917872Z-465ebb"]
records:
  description:
    - The records selected (and those rolled back with them), as they are
      after the task, oldest first. The undo plan itself is not shown (it
      may hold secrets); RV(records[].undo_commands) says what it undoes.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The record's id (the changing task's C(confirm_id)).
      type: str
    state:
      description:
        - V(armed) (the module has not finished applying, or was killed
          half-way), V(applied), V(confirmed), V(rolled_back) or
          V(rollback_failed).
      type: str
    module:
      description: The module that made the change.
      type: str
    netns:
      description: The O(netns) the change was made in (null, the namespace the module ran in).
      type: str
    created:
      description: When the record was made (UTC, ISO 8601).
      type: str
    age:
      description: Seconds since then.
      type: float
    timeout:
      description: The change's O(confirm_timeout).
      type: int
    deadline:
      description: When it rolls back unless confirmed (UTC, ISO 8601).
      type: str
    remaining:
      description: Seconds left until then; null once the record is finished.
      type: float
    watchdog:
      description: The record's watchdog process.
      type: dict
      contains:
        pid:
          description: Its pid, null when none lives.
          type: int
        alive:
          description: Whether it runs (it holds a lock on its pid file while it lives).
          type: bool
        started_by:
          description: How it was started, V(systemd-run (unit netlink-host-confirm-<id>\)) or V(double fork).
          type: str
    changes:
      description: What the change did, C({kind, op, key}) per object.
      type: list
      elements: dict
    undo_commands:
      description: The iproute2 commands equivalent to the rollback (secrets masked).
      type: list
      elements: str
    conflicts:
      description:
        - Objects the rollback left alone because another task or tool
          changed them after the change, each with C(kind), C(key),
          C(reason), C(found) (as it is) and C(left_by_change) (as the
          change left it), secrets masked.
      type: list
      elements: dict
    undo_failures:
      description:
        - Objects the rollback could not restore exactly, as
          C({kind, key, command, reason}) (like the C(undo_failures) of M(netlink.host.nl_addr)).
      type: list
      elements: dict
    log:
      description: What happened to the record, C({time, msg}) per line (the watchdog also logs to syslog).
      type: list
      elements: dict
  sample:
    - id: 20261130T081257917872Z-465ebb
      state: applied
      module: netlink.host.nl_addr
      netns: null
      created: "2026-11-30T08:12:57Z"
      age: 1.2
      timeout: 120
      deadline: "2026-11-30T08:14:57Z"
      remaining: 118.8
      watchdog: {pid: 13607, alive: true, started_by: double fork}
      changes: [{kind: address, op: create, key: [veth0, 192.0.2.20/24]}]
      undo_commands: ["ip addr del 192.0.2.20/24 dev veth0"]
      conflicts: []
      undo_failures: []
      log: [{time: "2026-11-30T08:12:57Z", msg: applied}]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.specs.common import common_options
from ansible_collections.netlink.host.plugins.module_utils.confirm.manage import run


def argument_spec():
    return dict(
        state=dict(type="str", default="confirmed", choices=["confirmed", "rolled_back", "gathered"]),
        ids=dict(type="list", elements="str"),
        **common_options()
    )


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module())


if __name__ == "__main__":
    main()
