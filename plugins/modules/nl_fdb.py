#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_fdb
short_description: Manage bridge and VXLAN forwarding database entries (bridge fdb) over netlink
version_added: "0.2.0"
description:
  - Adds, changes and removes entries of a bridge's forwarding database (on
    its ports and on the bridge itself) and of a device's own (a VXLAN
    device's remotes, head-end replication), or lists them, by speaking
    rtnetlink (C(AF_BRIDGE) neighbour messages) to the kernel.
  - "Equivalent to C(bridge fdb replace MAC dev DEV master|self [vlan N]
    [src_vni N] [dst IP] [port N] [vni N] permanent|static|dynamic [sticky]),
    C(bridge fdb append) for a flood list and C(bridge fdb del); RV(commands)
    holds those lines."
  - "Identity: an entry is its device (O(dev)), its MAC (O(mac)), whether it
    is the bridge's (O(master=true)) or the device's own (O(master=false),
    C(self)), its O(vlan) and its O(src_vni). The all-zero MAC and the
    multicast MACs of a VXLAN device hold a list of remotes (C(bridge fdb
    append)): there each O(dst) is an entry of its own, so a flood list
    is compared as a set and a rerun is silent. Every other field is
    changed in place."
  - "Ownership: the task deletes only V(permanent) and V(static) entries
    someone added: those listed with O(state=absent), and with
    O(state=replaced) those not listed on the devices it names. Learned
    (V(dynamic)) entries are never deleted, nor those the kernel makes by
    itself (a device's own address in its bridge, the multicast addresses
    a device joined, the address of a device stacked on it, such as a
    macvlan's with a MAC of its own). A learned entry for a listed MAC is taken over, as
    C(bridge fdb replace) does."
  - A device's entries go with it when it is deleted, and a bridge's
    entries on its ports go with the bridge; M(netlink.host.nl_link) plans
    them with the delete (check mode and C(--diff) show them) and its undo
    puts them back. A bridge's entries on a port also go when the port
    leaves the bridge; a later run of this module adds them again.
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
  - netlink.host.gathered_file
options:
  entries:
    description:
      - Several entries in one task (one read per device, one batch of requests).
      - Each item is a dict with the entry options of this module (O(dev),
        O(mac), O(master), O(vlan), O(src_vni), O(dst), O(vni), O(port),
        O(entry_state), O(sticky), with the same meaning) and C(state),
        V(present) or V(absent) (default V(absent) when O(state=absent),
        else V(present)).
      - O(dev), O(master) and O(entry_state) given at the top level apply to
        every item that does not set them; the other entry options cannot be
        given both at the top level and in O(entries).
      - O(state=gathered) returns items in this format.
    type: list
    elements: dict
  dev:
    description:
      - The device the entry is on (a bridge port, a bridge, a VXLAN device).
      - With O(state=replaced), the device whose entries are replaced (besides
        those of the listed items).
      - With O(state=gathered), lists only this device's entries.
    type: str
  mac:
    description:
      - The entry's MAC address (C(02:00:00:00:00:09)); V(00:00:00:00:00:00)
        on a VXLAN device is where unknown destinations go (its flood list).
    type: str
  master:
    description:
      - V(true) - the entry is in the FDB of the bridge O(dev) is a port of
        (C(bridge fdb ... master)).
      - V(false) (default) - the device's own (C(self)) - a VXLAN device's
        remote, a bridge's own entry when O(dev) is the bridge, an address
        of a device's unicast list otherwise.
    type: bool
  vlan:
    description:
      - The VLAN of a bridge's entry (1 to 4094; a VLAN-aware bridge's).
    type: int
  src_vni:
    description:
      - The source VNI of a VXLAN device in external mode (C(vnifilter)) the entry is for.
    type: int
  dst:
    description:
      - The remote VTEP's IPv4 or IPv6 address (a VXLAN device's entry).
    type: str
  vni:
    description:
      - The VNI sent to O(dst) (0 to 16777215); default the device's own.
    type: int
  port:
    description:
      - The UDP port of O(dst); default the device's own.
    type: int
  entry_state:
    description:
      - V(permanent) (default, as C(bridge fdb add) assumes) - on a bridge, a
        local entry (frames to O(mac) go up to the bridge itself); on a VXLAN
        device, an entry that never ages.
      - V(static) - forwarded to O(dev), never aged.
      - V(dynamic) - ages like a learned entry; a rerun adds it again once it is gone.
    type: str
    choices: [permanent, static, dynamic]
  sticky:
    description:
      - The entry never moves to another port (C(NTF_STICKY)).
    type: bool
  state:
    description:
      - V(present) adds the entries that are missing and changes the ones
        that differ.
      - V(absent) deletes the entries (by identity) when they are
        V(permanent) or V(static) ones; learned entries are left to the kernel.
      - V(replaced) is V(present) for the listed entries, then deletes, on
        the devices the task names (O(dev) and the items' devices), the
        V(permanent) and V(static) entries that are not listed, except the
        kernel's own.
      - V(gathered) returns the current V(permanent) and V(static) entries
        (not the kernel's own) in O(entries) format as RV(gathered) (or
        writes them to O(gathered_file)), of O(dev) or of every device.
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
notes:
  - Reads, per device the task names, one FDB dump the kernel filters on the
    device (C(NDA_IFINDEX)), never the whole table; a bridge answers such a
    dump with every entry it holds, and the module keeps the device's.
  - The IP neighbour tables (C(ip neigh)) are M(netlink.host.nl_neigh)'s.
seealso:
  - name: bridge(8)
    description: The iproute2 command this module's RV(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/bridge.8.html
  - module: netlink.host.nl_link
  - module: netlink.host.nl_neigh
'''

EXAMPLES = r'''
- name: A bridge and a VXLAN device on it, for the examples
  netlink.host.nl_link:
    links:
      - {name: br-ex, kind: bridge}
      - {name: vx-ex, kind: vxlan, master: br-ex, vxlan: {id: 42, local: 192.0.2.1, dstport: 4789, learning: false}}

- name: Head-end replication - the flood list of a VXLAN device (one read, one batch)
  netlink.host.nl_fdb:
    dev: vx-ex
    entries:
      - {mac: "00:00:00:00:00:00", dst: 192.0.2.2}
      - {mac: "00:00:00:00:00:00", dst: 192.0.2.3}

# Ad hoc, the first entry: ansible HOST -m netlink.host.nl_fdb -a 'dev=vx-ex mac=02:00:00:00:00:09 dst=192.0.2.2'
- name: A MAC behind a remote VTEP and a static bridge entry
  netlink.host.nl_fdb:
    entries:
      - {dev: vx-ex, mac: "02:00:00:00:00:09", dst: 192.0.2.2}
      - {dev: vx-ex, mac: "02:00:00:00:00:0a", master: true, entry_state: static}

- name: Exactly these remotes on vx-ex (learned entries stay)
  netlink.host.nl_fdb:
    state: replaced
    dev: vx-ex
    entries:
      - {mac: "00:00:00:00:00:00", dst: 192.0.2.2}
      - {mac: "02:00:00:00:00:09", dst: 192.0.2.2}

- name: A local entry of the bridge itself (frames to this MAC go up to br0)
  netlink.host.nl_fdb:
    dev: br0
    mac: "02:00:00:00:00:0b"

- name: List the entries of br0
  netlink.host.nl_fdb:
    state: gathered
    dev: br0
  register: bridge_fdb

- name: Fed back as entries, gathered output changes nothing
  netlink.host.nl_fdb:
    entries: "{{ bridge_fdb.gathered }}"

- name: Remove the examples' devices (their entries go with them)
  netlink.host.nl_link:
    links:
      - {name: vx-ex, state: absent}
      - {name: br-ex, state: absent}
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
    - When the kernel refused a request, whether everything the task had already changed was restored exactly, as read
      back after the undo.
    - V(false) whenever anything in RV(undo_failures) is listed.
  returned: when the kernel refused a request
  type: bool
  sample: true
undo_failures:
  description:
    - One entry per FDB entry the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(fdb)).
      type: str
    key:
      description: The FDB entry's identity (device, MAC, master, VLAN, source VNI, and the remote of a flood list).
      type: list
    command:
      description: The iproute2 command that would restore it.
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "fdb", "key": ["vx0", "00:00:00:00:00:00", false, null, null, "192.0.2.2"],
            "command": "bridge fdb append 00:00:00:00:00:00 dev vx0 self dst 192.0.2.2 permanent",
            "reason": "it is missing"}]
# END generated (apply)
entries:
  description:
    - The entries the task names with C(state=present) after the run (in
      check mode, as they would be), with every field.
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - {dev: vx0, mac: "00:00:00:00:00:00", master: false, vlan: null, src_vni: null, dst: 192.0.2.2,
       vni: null, port: null, entry_state: permanent, sticky: false}
gathered:
  description:
    - The current entries in the O(entries) format (what is off or the
      default left out).
  returned: state is gathered and O(gathered_file) is not set
  type: list
  elements: dict
  sample:
    - {dev: vx0, mac: "00:00:00:00:00:00", dst: 192.0.2.2}
    - {dev: eth1, mac: "02:00:00:00:00:09", master: true, vlan: 10, entry_state: static}
gathered_file:
  description:
    - The file the gathered entries were written to (O(gathered_file)).
  returned: O(gathered_file) is set
  type: str
  sample: /var/tmp/fdb.json
gathered_count:
  description:
    - How many entries were written to O(gathered_file).
  returned: O(gathered_file) is set
  type: int
  sample: 10000
diff:
  description:
    - With C(--diff), one before/after entry per entry added, changed or deleted.
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
  sample: ["bridge fdb append 00:00:00:00:00:00 dev vx0 self dst 192.0.2.2 permanent"]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.fdb import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.fdb import FdbTask


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), FdbTask())


if __name__ == "__main__":
    main()
