#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_neigh
short_description: Manage static neighbour entries (ip neigh) over netlink
version_added: "0.2.0"
description:
  - Adds, changes and removes entries of the IPv4 (ARP) and IPv6 (NDP)
    neighbour tables and of their proxy tables, or lists them, by speaking
    rtnetlink to the kernel.
  - "Equivalent to C(ip neigh replace ADDR lladdr LLADDR nud STATE dev DEV
    [router] [extern_learn] [protocol P]), C(ip neigh replace proxy ADDR dev DEV)
    and C(ip neigh del); RV(commands) holds those lines."
  - "Identity: an entry is its device (O(dev)), its destination (O(dst)) and
    whether it is a proxy entry (O(proxy)), as the kernel keeps them. Every
    other field is changed in place (C(ip neigh replace)), except going back
    to no protocol, which needs a delete and an add (the diff says so)."
  - "Ownership: an entry is the task's when its O(protocol) is the task's
    (default V(static)) or unset. A learned (dynamic) entry for O(dst) is
    taken over, as C(ip neigh replace) does; a V(permanent) or V(noarp)
    entry of another protocol (a routing daemon's) is never overwritten:
    the task fails and changes nothing. Learned entries are never deleted."
  - The kernel drops a device's entries, V(permanent) ones included, when
    the device goes down or is deleted; a rerun after it is up adds them
    again.
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
  - netlink.host.gathered_file
options:
  neighbours:
    description:
      - Several entries in one task (one read per device, one batch of requests).
      - Each item is a dict with the entry options of this module (O(dev),
        O(dst), O(lladdr), O(nud), O(proxy), O(router), O(extern_learn),
        O(protocol), with the same meaning) and C(state), V(present) or
        V(absent) (default V(absent) when O(state=absent), else V(present)).
      - O(dev), O(nud) and O(protocol) given at the top level apply to every
        item that does not set them; the other entry options cannot be given
        both at the top level and in O(neighbours).
      - O(state=gathered) returns items in this format.
    type: list
    elements: dict
    aliases: [neighbors]
  dev:
    description:
      - The device the entry is on.
      - With O(state=replaced), the device whose entries are replaced (besides
        those of the listed items).
      - With O(state=gathered), lists only this device's entries.
    type: str
  dst:
    description:
      - The IPv4 or IPv6 address the entry resolves (no prefix length).
    type: str
  lladdr:
    description:
      - The link-layer address O(dst) resolves to, hex octets separated by
        C(:) (C(02:00:00:00:00:09)); as long as the device's own address.
      - Required for an entry that is not a O(proxy) entry.
    type: str
  nud:
    description:
      - The state of the entry, V(permanent) (default), V(noarp),
        V(reachable) or V(stale), as C(ip neigh ... nud STATE).
      - V(permanent) and V(noarp) entries are static. A V(reachable) or
        V(stale) entry only seeds the cache and the kernel's resolution
        moves it on; it is as listed while it is still dynamic (reachable,
        stale, delay, probe) with the listed address and flags, so a rerun
        does not rewrite it.
      - V(noarp) entries may be garbage-collected by the kernel under
        pressure (a rerun adds them again); V(permanent) ones never are.
      - With O(state=gathered), lists only entries in this state, or every
        entry with V(all) (default V(permanent)).
    type: str
  proxy:
    description:
      - A proxy entry (C(ip neigh add proxy)) - the host answers ARP or
        neighbour solicitations for O(dst) on O(dev) (with the
        C(proxy_arp)/C(proxy_ndp) sysctl of the device). It has no O(lladdr)
        and no O(nud).
    type: bool
  router:
    description:
      - The neighbour is a router (C(NTF_ROUTER); IPv6).
    type: bool
  extern_learn:
    description:
      - The entry was learned by a control plane outside the kernel
        (C(NTF_EXT_LEARNED), as EVPN daemons set it); the kernel never
        garbage-collects it.
    type: bool
  protocol:
    description:
      - Who owns the entry (C(NDA_PROTOCOL)), a number or a name (V(static),
        V(boot), V(zebra), ... or from the host's C(rt_protos) files);
        V(unspec) for none.
      - Default V(static), the collection's own. See the description for
        what the task overwrites and removes.
    type: str
  family:
    description:
      - V(4) (V(inet)) or V(6) (V(inet6)).
      - With O(state=replaced) and O(state=gathered), only that family's
        entries are taken (default both).
    type: str
  owned:
    description:
      - With O(state=replaced), which entries not listed are removed.
      - V(protocol) (default) - the V(permanent), V(noarp) and proxy entries
        of O(protocol) (default V(static)).
      - V(permanent) - also every V(permanent) and proxy entry of any
        protocol (what C(ip neigh flush nud permanent) takes). V(noarp)
        entries of another protocol stay (the kernel makes some itself).
    type: str
    choices: [protocol, permanent]
  state:
    description:
      - V(present) adds the entries that are missing and changes the ones
        that differ.
      - V(absent) deletes the entries (by identity) when they are static
        entries the task owns; learned entries are left to the kernel.
      - V(replaced) is V(present) for the listed entries, then deletes, on
        the devices the task names (O(dev) and the items' devices), the
        entries O(owned) says it owns that are not listed.
      - V(gathered) returns the current entries in O(neighbours) format as
        RV(gathered) (or writes them to O(gathered_file)), filtered by
        O(dev), O(family) and O(nud).
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
notes:
  - Reads, per device the task names, one neighbour dump the kernel filters
    on the device (and one of its proxy table when the task has proxy
    entries or replaces the device's), never the whole table.
  - The bridge forwarding database (C(bridge fdb), family C(AF_BRIDGE)) is not this module's.
seealso:
  - name: ip-neighbour(8)
    description: The iproute2 command this module's RV(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/ip-neighbour.8.html
  - module: netlink.host.nl_addr
  - module: netlink.host.nl_link
'''

EXAMPLES = r'''
- name: One static ARP entry (ad hoc - ansible HOST -m netlink.host.nl_neigh -a 'dev=veth0 dst=192.0.2.9 lladdr=02:00:00:00:00:09')
  netlink.host.nl_neigh:
    dev: veth0
    dst: 192.0.2.9
    lladdr: 02:00:00:00:00:09

- name: Several entries in one read and one batch
  netlink.host.nl_neigh:
    dev: veth0
    neighbours:
      - {dst: 192.0.2.10, lladdr: "02:00:00:00:00:0a"}
      - {dst: "2001:db8::1", lladdr: "02:00:00:00:00:01", router: true}
      - {dst: 192.0.2.11, lladdr: "02:00:00:00:00:0b", nud: noarp}
      - {dst: "2001:db8::10", proxy: true}

- name: Remove an entry
  netlink.host.nl_neigh:
    dev: veth0
    dst: 192.0.2.11
    state: absent

- name: Exactly these static entries on veth0 (learned entries stay)
  netlink.host.nl_neigh:
    state: replaced
    dev: veth0
    neighbours:
      - {dst: 192.0.2.9, lladdr: "02:00:00:00:00:09"}
      - {dst: "2001:db8::1", lladdr: "02:00:00:00:00:01", router: true}

- name: List the permanent entries of veth0
  netlink.host.nl_neigh:
    state: gathered
    dev: veth0
  register: static_neighbours

- name: Fed back as neighbours, gathered output changes nothing
  netlink.host.nl_neigh:
    neighbours: "{{ static_neighbours.gathered }}"
'''

RETURN = r'''
# BEGIN generated (confirm) version_added=0.2.0
confirm_id:
  description:
    - With O(confirm_timeout), when the task changed something (not in
      check mode), the id of its pending record; pass it to
      M(netlink.host.nl_confirm), as one of its C(ids), to keep the change.
  returned: when confirm_timeout is set and something changed
  type: str
  sample: 20261130T081257917872Z-465ebb
  version_added: "0.2.0"
confirm_deadline:
  description: With RV(confirm_id), when the change rolls back unless confirmed (UTC, ISO 8601).
  returned: when confirm_timeout is set and something changed
  type: str
  sample: "2026-11-30T08:13:00Z"
  version_added: "0.2.0"
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
    - One entry per neighbour entry the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(neigh)).
      type: str
    key:
      description: The neighbour entry's identity (device, destination, proxy).
      type: list
    command:
      description: The iproute2 command that would restore it.
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "neigh", "key": ["eth0", "192.0.2.9", false],
            "command": "ip neigh replace 192.0.2.9 lladdr 02:00:00:00:00:09 nud permanent dev eth0 protocol static",
            "reason": "it is missing"}]
# END generated (apply)
neighbours:
  description:
    - The entries the task names with C(state=present) after the run (in
      check mode, as they would be), with every field.
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - {dev: eth0, dst: 192.0.2.9, proxy: false, lladdr: "02:00:00:00:00:09", nud: permanent,
       router: false, extern_learn: false, protocol: static}
gathered:
  description:
    - The current entries in the O(neighbours) format (flags that are off and
      V(nud=permanent) left out; protocol always given).
  returned: state is gathered and O(gathered_file) is not set
  type: list
  elements: dict
  sample:
    - {dev: eth0, dst: 192.0.2.9, lladdr: "02:00:00:00:00:09", protocol: static}
    - {dev: eth0, dst: "2001:db8::10", proxy: true, protocol: static}
gathered_file:
  description:
    - The file the gathered entries were written to (O(gathered_file)).
  returned: O(gathered_file) is set
  type: str
  sample: /var/tmp/neighbours.json
gathered_count:
  description:
    - How many entries were written to O(gathered_file).
  returned: O(gathered_file) is set
  type: int
  sample: 10000
diff:
  description:
    - With C(--diff), one before/after entry per entry added, changed or deleted; a re-created one says so in its header.
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
  sample: ["ip neigh replace 192.0.2.9 lladdr 02:00:00:00:00:09 nud permanent dev eth0 protocol static"]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.neigh import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.neigh import NeighTask


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), NeighTask())


if __name__ == "__main__":
    main()
