#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_nexthop
short_description: Manage kernel nexthop objects and groups (ip nexthop) over netlink
version_added: "0.2.0"
description:
  - Adds, changes and removes the kernel's nexthop objects (Linux 5.3 and
    later) and nexthop groups, or lists them, by speaking rtnetlink to the
    kernel.
  - A route that uses one (M(netlink.host.nl_route)'s C(nhid)) follows it,
    so changing a gateway is one request however many routes use it, and
    a large table is cheaper to insert.
  - "Equivalent to C(ip nexthop add|replace id ID [via GW] [dev DEV] [onlink]
    [blackhole] [fdb] [proto P]), C(ip nexthop add|replace id ID group
    ID[,WEIGHT]/... [type resilient [buckets N] [idle_timer S]
    [unbalanced_timer S]] [fdb] [proto P]) and C(ip nexthop del id ID);
    RV(commands) holds those lines."
  - "Identity: a nexthop is its O(id), as the kernel keeps it. A changed
    gateway, device, flag or protocol of a nexthop, and changed members,
    weights or timers of a group, are changed in place with one request
    (C(ip nexthop replace)). The kernel cannot turn a nexthop into a group
    or back, nor change a group's O(type), a resilient group's O(buckets)
    or the O(fdb) flag: such a nexthop is deleted and added again when no
    route or group uses it (the diff says so), and the task fails, with
    nothing changed, when one does."
  - "Ownership: a nexthop is the task's when its O(protocol) is the task's
    (default V(static)) or unset. Another protocol's nexthop (a routing
    daemon's) is never overwritten (the task fails and changes nothing) nor
    deleted (a warning says it was left)."
  - "Deleting a nexthop makes the kernel delete the routes that use it and
    take it out of the groups it is in (a group left with no member goes
    too, with its routes). The task plans all of that: check mode, the diff
    and RV(commands) show it, and an undo after a refused request restores
    it. Deleting a link (M(netlink.host.nl_link)) takes the nexthops on it
    in the same way."
  - "Order within a task: single nexthops, then groups (their members must
    exist), then the deletes, groups first. The network role and a
    C(netlink-host) state file apply nexthops after addresses and before
    routes, and remove them after routes."
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
  - netlink.host.gathered_file
options:
  nexthops:
    description:
      - Several nexthops and groups in one task (one read, one batch of
        requests).
      - Each item is a dict with the nexthop options of this module (O(id),
        O(gateway), O(dev), O(onlink), O(blackhole), O(fdb), O(family),
        O(group), O(type), O(buckets), O(idle_timer), O(unbalanced_timer),
        O(protocol), with the same meaning) and C(state), V(present) or
        V(absent) (default V(absent) when O(state=absent), else V(present)).
      - An item may also carry C(encap), the encapsulation type
        O(state=gathered) names (see the notes); it only matches a nexthop
        the kernel holds with that encapsulation.
      - O(protocol) given at the top level applies to every item that does
        not set it; the other nexthop options cannot be given both at the
        top level and in O(nexthops).
      - O(state=gathered) returns items in this format.
    type: list
    elements: dict
  id:
    description:
      - The nexthop's id, V(1) to V(4294967295); routes name it as C(nhid).
      - Required for one nexthop given by the top-level options.
    type: int
  gateway:
    description:
      - The IPv4 or IPv6 address of the next hop (C(via)); its family is
        the nexthop's.
      - Needs a route to it in the main table, unless O(onlink) is set; an
        IPv6 link-local gateway needs O(dev).
    type: str
  dev:
    description:
      - The device of the next hop; alone, a nexthop straight out of that
        device.
      - The kernel refuses a nexthop on a device that is down or has no
        carrier (unlike a route through it).
    type: str
  onlink:
    description:
      - Take O(gateway) as directly reachable on O(dev), with no route to
        it (C(onlink)). Needs O(gateway) and O(dev).
    type: bool
  blackhole:
    description:
      - A nexthop that drops what is routed through it (C(blackhole)); it
        has no O(gateway) and no O(dev).
    type: bool
  fdb:
    description:
      - A nexthop for the VXLAN forwarding database (C(fdb); Linux 5.8 and
        later), not for routes. A single fdb nexthop has a O(gateway) (the
        remote VTEP) and no O(dev); a group of them is an fdb group.
    type: bool
  family:
    description:
      - V(4) (V(inet)) or V(6) (V(inet6)); the family of a nexthop with no
        O(gateway) (a device or blackhole nexthop of IPv6 routes is
        V(6)). Default V(4), as C(ip nexthop) has it; with O(gateway), its
        family (giving another one is an error).
      - A group has none.
    type: str
  group:
    description:
      - Make the nexthop a group of other nexthops, each an id or a dict
        of C(id) and C(weight) (V(1) to V(256), default V(1)), as C(ip
        nexthop ... group ID[,WEIGHT]/...).
      - Members are single nexthops (not groups), listed once each, not the
        group itself, and must exist or be created by the same task.
      - A group has no O(gateway), O(dev) or O(family), and is not
        O(onlink) or O(blackhole).
    type: list
    elements: raw
  type:
    description:
      - The group's type, V(mpath) (default; hash-threshold multipath) or
        V(resilient) (Linux 5.13 and later; resilient hashing, flows stay
        on their path when a member comes or goes). Only with O(group).
    type: str
    choices: [mpath, resilient]
  buckets:
    description:
      - A V(resilient) group's number of hash buckets, V(1) to V(65535)
        (the kernel's default 128).
    type: int
  idle_timer:
    description:
      - A V(resilient) group's idle timer in seconds (the kernel's default
        120). A bucket idle that long may move to another member.
    type: int
  unbalanced_timer:
    description:
      - A V(resilient) group's unbalanced timer in seconds (the kernel's
        default 0, none). After that long unbalanced, buckets move even
        when not idle.
    type: int
  protocol:
    description:
      - Who owns the nexthop (C(proto)), a number or a name (V(static),
        V(boot), V(zebra), ... or from the host's C(rt_protos) files).
      - Default V(static), the collection's own. See the description for
        what the task overwrites and removes.
      - With O(state=replaced), whose nexthops not listed are removed.
    type: str
  state:
    description:
      - V(present) adds the nexthops that are missing and changes the ones
        that differ.
      - V(absent) deletes the nexthops (by O(id)) the task owns, with the
        routes that use them (see the description).
      - V(replaced) is V(present) for the listed nexthops, then deletes
        every nexthop of O(protocol) (default V(static)) that is not listed,
        with what goes with it.
      - V(gathered) returns every current nexthop in O(nexthops) format as
        RV(gathered) (or writes them to O(gathered_file)), single nexthops
        first.
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
notes:
  - Reads the nexthop table with one dump (nexthop tables are small beside
    route tables), and, for a delete, the groups and the routes that use
    what goes, as the kernel filters them (C(NHA_GROUPS), C(RTA_NH_ID)).
  - A nexthop with an encapsulation (C(NHA_ENCAP) - mpls, ip, ...; made by
    another tool) is read and restored with it, but not replaced; delete it
    first. RV(gathered) names its type in C(encap); fed back in
    O(nexthops), an item with C(encap) matches the nexthop the kernel holds
    with that encapsulation (no change), and one it does not hold so fails,
    saying so.
  - Nexthops on a device go when it goes down, not only when it is deleted
    (the kernel flushes them); a rerun after it is up adds them again.
seealso:
  - name: ip-nexthop(8)
    description: The iproute2 command this module's RV(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/ip-nexthop.8.html
  - module: netlink.host.nl_route
  - module: netlink.host.nl_link
'''

EXAMPLES = r'''
- name: One nexthop (ad hoc - ansible HOST -m netlink.host.nl_nexthop -a 'id=1 gateway=192.0.2.1 dev=veth0 onlink=true')
  netlink.host.nl_nexthop:
    id: 1
    gateway: 192.0.2.1
    dev: veth0
    onlink: true

- name: Nexthops and groups in one read and one batch (members before their groups)
  netlink.host.nl_nexthop:
    nexthops:
      - {id: 1, gateway: 192.0.2.1, dev: veth0, onlink: true}
      - {id: 2, gateway: 192.0.2.2, dev: veth0, onlink: true}
      - {id: 3, gateway: "fe80::1", dev: veth0}
      - {id: 4, blackhole: true}
      - {id: 5, gateway: 192.0.2.20, fdb: true}
      - {id: 10, group: [{id: 1}, {id: 2, weight: 3}]}
      - {id: 11, group: [1, 2], type: resilient, buckets: 32, idle_timer: 60}
      - {id: 12, group: [5], fdb: true}

- name: Routes through the group (each route names it, not its paths)
  netlink.host.nl_route:
    routes:
      - {dst: 198.51.100.0/24, nhid: 10}
      - {dst: 203.0.113.0/24, nhid: 10}

- name: Move every route through nexthop 1 to a new gateway, with one request
  netlink.host.nl_nexthop:
    id: 1
    gateway: 192.0.2.254
    dev: veth0
    onlink: true

- name: Remove a group (and the routes that use it)
  netlink.host.nl_nexthop:
    id: 11
    state: absent

- name: Exactly these nexthops of protocol static (the others of static go, with their routes)
  netlink.host.nl_nexthop:
    state: replaced
    nexthops:
      - {id: 1, gateway: 192.0.2.254, dev: veth0, onlink: true}
      - {id: 2, gateway: 192.0.2.2, dev: veth0, onlink: true}
      - {id: 10, group: [{id: 1}, {id: 2, weight: 3}]}

- name: List the nexthops
  netlink.host.nl_nexthop:
    state: gathered
  register: nexthop_objects

- name: Fed back as nexthops, gathered output changes nothing
  netlink.host.nl_nexthop:
    nexthops: "{{ nexthop_objects.gathered }}"
'''

RETURN = r'''
# BEGIN generated (confirm)
confirm_id:
  description:
    - With O(confirm_timeout), when the task changed something (not in
      check mode), the id of its pending record; pass it to
      M(netlink.host.nl_confirm), as one of its C(ids), to keep the change.
  returned: when confirm_timeout is set and something changed
  type: str
  sample: 20261130T081257917872Z-465ebb
confirm_deadline:
  description: With RV(confirm_id), when the change rolls back unless confirmed (UTC, ISO 8601).
  returned: when confirm_timeout is set and something changed
  type: str
  sample: "2026-11-30T08:13:00Z"
# END generated (confirm)
# BEGIN generated (apply)
write_requests:
  description:
    - Number of netlink write requests sent (V(0) when nothing changed, and always in check mode).
    - When the kernel refuses a request, the undo's requests count too.
  returned: unless state is gathered
  type: int
  sample: 1
undone:
  description:
    - When the kernel refused a request, whether everything the task had already changed (and what the kernel changed
      with it, such as the routes and groups of a deleted nexthop) was restored exactly, as read back after the undo.
    - V(false) whenever anything in RV(undo_failures) is listed.
  returned: when the kernel refused a request
  type: bool
  sample: true
undo_failures:
  description:
    - One entry per object the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(nexthop), V(route)).
      type: str
    key:
      description: The object's identity (a nexthop's id; a route's family, table, dst, tos, metric).
      type: list
    command:
      description: The iproute2 command that would restore it.
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "nexthop", "key": [1], "command": "ip nexthop add id 1 via 192.0.2.1 dev eth0 proto static",
            "reason": "it is missing"}]
# END generated (apply)
nexthops:
  description:
    - The nexthops the task names with C(state=present) after the run (in
      check mode, as they would be), with every field.
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - {id: 1, family: 4, gateway: 192.0.2.1, dev: eth0, onlink: false, blackhole: false, fdb: false, group: null,
       type: null, buckets: null, idle_timer: null, unbalanced_timer: null, protocol: static, encap: null}
    - {id: 10, family: null, gateway: null, dev: null, onlink: false, blackhole: false, fdb: false,
       group: [{id: 1, weight: 1}, {id: 2, weight: 3}], type: mpath, buckets: null, idle_timer: null,
       unbalanced_timer: null, protocol: static, encap: null}
gathered:
  description:
    - The current nexthops in the O(nexthops) format, single nexthops first
      (flags that are off, weights of V(1) and the family of a gateway left
      out; protocol always given).
  returned: state is gathered and O(gathered_file) is not set
  type: list
  elements: dict
  sample:
    - {id: 1, gateway: 192.0.2.1, dev: eth0, protocol: static}
    - {id: 10, group: [{id: 1}, {id: 2, weight: 3}], protocol: static}
gathered_file:
  description:
    - The file the gathered nexthops were written to (O(gathered_file)).
  returned: O(gathered_file) is set
  type: str
  sample: /var/tmp/nexthops.json
gathered_count:
  description:
    - How many nexthops were written to O(gathered_file).
  returned: O(gathered_file) is set
  type: int
  sample: 64
diff:
  description:
    - With C(--diff), one before/after entry per nexthop added, changed or deleted, and per route or group that goes
      or changes with a deleted one; a re-created one says so in its header.
    - When the kernel refuses a request, only the entries of the requests sent until then.
  returned: when diff mode is on and something changed and state is not gathered
  type: list
  elements: dict
commands:
  description:
    - The equivalent iproute2 commands of the requests, applied or (in check mode) planned, in the order they are sent.
    - When the kernel refuses a request, only the requests sent until then, in the order
      sent, the refused one marked (see the notes); RV(undone) says whether what they changed was restored.
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip nexthop replace id 1 via 192.0.2.254 dev eth0 proto static"]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.nexthop import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.nexthop import NexthopTask


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), NexthopTask())


if __name__ == "__main__":
    main()
