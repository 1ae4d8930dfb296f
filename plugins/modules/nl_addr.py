#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_addr
short_description: Manage IPv4 and IPv6 addresses of a network device over netlink
version_added: "0.1.0"
description:
  - Adds, changes and removes the IP addresses of one device, or lists the
    addresses of one or all devices, by speaking rtnetlink to the kernel.
  - "Equivalent to C(ip addr add|change|del ADDRESS dev DEV [peer ..]
    [broadcast ..] [label ..] [scope ..] [valid_lft ..] [preferred_lft ..]
    [noprefixroute] [nodad] [metric N]); the RV(commands) it returns are those
    lines, saying what was sent: C(add) for a new address (C(NLM_F_CREATE|NLM_F_EXCL)),
    C(change) for an update (C(NLM_F_REPLACE)), the lifetimes as sent, and the
    flags and C(proto) carried over that the module has no option for
    (C(mngtmpaddr), C(home), C(autojoin))."
  - An address is identified as the kernel identifies it, by device, family,
    local address and prefix length. V(192.0.2.10/24) and V(192.0.2.10/25)
    are two addresses.
  - Lifetimes, metric and (IPv6) flags and peer of an existing address are
    changed in place (C(RTM_NEWADDR) with C(NLM_F_REPLACE), C(ip addr change)),
    never by delete and add, so routes that use the address survive. What the
    update does not change is sent as the kernel has it, the flags and
    C(IFA_PROTO) of the address and the time that remains of a lifetime.
  - The kernel keeps the peer, broadcast, label, scope and noprefixroute of an
    existing IPv4 address when asked to replace it. Changing one of them
    fails unless O(recreate=true), which deletes and re-adds the address
    (the diff and RV(commands) say so).
  - An IPv6 local address has one prefix length in the kernel. Listing it
    with another prefix length deletes the old one and adds the new one.
  - Deleting the primary IPv4 address of a subnet makes the kernel delete
    its secondaries too (unless C(promote_secondaries) is set). When a
    secondary must stay, the module deletes and re-adds it explicitly, so
    the result is the same whatever that sysctl says.
  - When the kernel refuses a request, the changes already made are undone.
    An address that was deleted comes back with its flags (also
    C(mngtmpaddr)), C(IFA_PROTO), label, scope, broadcast, peer, metric and
    the lifetimes that remained, not the ones it was first given.
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
options:
  dev:
    description:
      - The device (interface name) whose addresses are managed.
      - Required unless O(state=gathered) or O(devices) is given, or every
        O(addresses) item names its own C(dev) (as RV(gathered) does);
        without it, O(state=gathered) lists the addresses of every device.
      - With O(state=absent) a device that does not exist has none of the
        addresses, so the task succeeds without change.
      - In check mode, a device that does not exist yet (an earlier task of
        the play creates it) is planned as one without addresses, with a
        warning; outside check mode the task fails naming O(dev).
    type: str
  address:
    description:
      - One address, C(LOCAL[/PREFIXLEN]), IPv4 or IPv6. Without a prefix
        length it is a host address (/32 or /128).
      - The attribute options (O(peer), O(broadcast), O(label), O(scope),
        O(valid_lft), O(preferred_lft), O(noprefixroute), O(nodad),
        O(metric)) describe it.
      - Mutually exclusive with O(addresses).
    type: str
  addresses:
    description:
      - Several addresses in one task (one read, one batch of requests).
      - Each item is an address string like O(address), or a dict with the
        keys C(address) (required), C(peer), C(broadcast), C(label),
        C(scope), C(valid_lft), C(preferred_lft), C(noprefixroute),
        C(nodad) and C(metric), with the meaning of the top-level options,
        and C(dev).
      - C(dev) names the item's device. With O(dev) given it must be that
        device (one task manages the devices it names, and pasting another
        device's addresses is refused). Without O(dev), every item must
        have it, and the task manages each device named as it would with
        O(dev) set to it (with O(state=replaced), each device named keeps
        only its listed addresses; devices not named are not touched).
        So RV(gathered) fed back as O(addresses), with or without O(dev),
        changes nothing.
      - Top-level attribute options apply to every item that does not set
        the same key.
      - With O(state=replaced), an empty list removes every address of the
        device except the ones the kernel made (see O(state)); leaving
        O(addresses) out with O(state=replaced) is an error, not a flush.
    type: list
    elements: raw
  devices:
    description:
      - The addresses of several devices in one task (one read per device,
        one batch of requests, all undone together if the kernel refuses
        one), as the C(network) role passes them.
      - Each entry has C(dev), C(addresses) (items as in O(addresses)) and
        optionally C(state) (V(present), V(absent) or V(replaced); default
        O(state)), with the meaning they have at the top level for one
        device. Top-level attribute options apply to every item that does
        not set the same key.
      - Mutually exclusive with O(dev), O(address) and O(addresses).
    type: list
    elements: dict
    version_added: "0.2.0"
    suboptions:
      dev:
        description: The device.
        type: str
        required: true
      addresses:
        description: Its addresses, as O(addresses).
        type: list
        elements: raw
      state:
        description: V(present), V(absent) or V(replaced) for this device; default O(state).
        type: str
        choices: [present, absent, replaced]
  peer:
    description:
      - Address of the remote end of a point-to-point link (C(IFA_ADDRESS)
        differs from C(IFA_LOCAL)).
      - May carry the prefix length (C(10.0.0.2/30)) the way C(ip) takes it;
        it must then agree with the one of the address.
      - Must be of the address's family.
    type: str
  broadcast:
    description:
      - IPv4 broadcast address. V(+) means the subnet's broadcast address
        (all host bits set), as C(ip addr add ... brd +).
      - Without it the module sets none and does not compare it (the
        kernel sets none either; the limited broadcast still works).
    type: str
  label:
    description:
      - IPv4 address label (C(ifa_label), up to 15 characters), by
        convention C(DEV:NAME). Defaults to the device name.
      - IPv6 addresses have no label.
    type: str
  scope:
    description:
      - IPv4 address scope, V(global), V(site), V(link), V(host),
        V(nowhere) or a number 0-255.
      - Without it an address gets the scope C(ip addr add) would give it,
        V(host) for C(127.0.0.0/8) and V(global) for the rest.
      - The kernel derives the scope of an IPv6 address from the address,
        so this option is refused for IPv6.
    type: str
  valid_lft:
    description:
      - Valid lifetime in seconds, or V(forever) (default).
      - The kernel counts lifetimes down. The module compares the lifetime
        as it was set (remaining + seconds elapsed since the kernel last
        set it, from C(IFA_CACHEINFO) and C(/proc/uptime)) with a tolerance
        of 2 seconds, so a rerun with the same value changes nothing
        instead of resetting the countdown.
      - Given without O(preferred_lft), the preferred lifetime is the same
        (C(ip) would refuse a finite valid lifetime with an infinite
        preferred one).
    type: str
  preferred_lft:
    description:
      - Preferred lifetime in seconds, or V(forever). Must not exceed
        O(valid_lft). V(0) makes the address deprecated at once.
      - Given without O(valid_lft), the valid lifetime is V(forever). The
        kernel counts no preferred lifetime down for an IPv4 address valid
        forever, so there only V(0) and V(forever) are accepted.
      - A preferred lifetime that has run out reads as V(0) (deprecated) in
        RV(gathered) and compares equal to any value that would have run out
        by now, so it is not sent again and the address stays deprecated.
    type: str
  noprefixroute:
    description:
      - Do not add the prefix route for the address's subnet
        (C(IFA_F_NOPREFIXROUTE)). Not given means not compared.
    type: bool
  nodad:
    description:
      - IPv6 only. Skip duplicate address detection (C(IFA_F_NODAD)), so
        the address is usable at once instead of tentative.
    type: bool
  metric:
    description:
      - Metric of the prefix route the kernel adds for the address
        (C(IFA_RT_PRIORITY)). Changed in place.
    type: int
  state:
    description:
      - V(present) adds the addresses and brings their attributes to the
        given values; other addresses of the device are kept.
      - V(absent) removes the addresses (matched by local address and
        prefix length).
      - V(replaced) makes the listed addresses the device's only ones, both
        families. Addresses the kernel made itself are kept unless listed
        (IPv6 link-local C(fe80::/64), loopback addresses; recognised by
        C(IFA_PROTO) on kernels 6.3+, by address on older ones).
        Addresses made from router advertisements are removed (the kernel
        may make them again). Needs O(addresses) (or O(address)); an empty
        O(addresses) list keeps only the kernel's own.
      - V(gathered) returns the current addresses in O(addresses) format
        (kernel defaults left out, each item with its C(dev)) as
        RV(gathered), changing nothing; fed back as O(addresses) it changes
        nothing.
      - Attributes not given are not compared, in every state.
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
  recreate:
    description:
      - Allow deleting and re-adding an IPv4 address to change its peer,
        broadcast, label, scope or noprefixroute, which the kernel cannot
        change in place. Routes through the address are lost with it.
    type: bool
    default: false
notes:
  - Reads one device and one address dump filtered by its ifindex (with
    C(NETLINK_GET_STRICT_CHK)), whatever else the host holds.
seealso:
  - name: ip-address(8)
    description: The iproute2 command this module's C(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/ip-address.8.html
'''

EXAMPLES = r'''
- name: One address (ad hoc - ansible HOST -m netlink.host.nl_addr -a 'dev=br0 address=192.0.2.10/24')
  netlink.host.nl_addr:
    dev: br0
    address: 192.0.2.10/24

- name: Several addresses with attributes, in one read and one batch
  netlink.host.nl_addr:
    dev: br0
    addresses:
      - 192.0.2.11/24
      - address: 198.51.100.1/24
        broadcast: "+"
        label: br0:mgmt
        metric: 100
      - address: 2001:db8::10/64
        nodad: true
      - address: 2001:db8:1::10/64
        valid_lft: 3600
        preferred_lft: 1800
        noprefixroute: true

- name: A point-to-point address
  netlink.host.nl_addr:
    dev: veth0
    address: 10.0.0.1/32
    peer: 10.0.0.2

- name: Remove an address
  netlink.host.nl_addr:
    dev: br0
    address: 192.0.2.11/24
    state: absent

- name: Exactly these addresses on br0 (others go, the kernel's fe80::/64 link-local stays)
  netlink.host.nl_addr:
    dev: br0
    state: replaced
    addresses:
      - 192.0.2.10/24
      - 2001:db8::10/64

- name: Several devices in one task (what the network role sends)
  netlink.host.nl_addr:
    devices:
      - dev: br0
        addresses: [192.0.2.10/24, 2001:db8::10/64]
        state: replaced
      - dev: veth0
        addresses: [10.0.0.1/30]

- name: List the addresses of br0 inside a namespace
  netlink.host.nl_addr:
    dev: br0
    state: gathered
  register: br0_addresses

- name: List every address on the host
  netlink.host.nl_addr:
    state: gathered
  register: host_addresses

- name: Fed back as addresses (each item names its dev), gathered output changes nothing
  netlink.host.nl_addr:
    addresses: "{{ host_addresses.gathered }}"
    state: replaced
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
    - One entry per address the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(address)).
      type: str
    key:
      description: The address's identity (device, address).
      type: list
    command:
      description: The iproute2 command that would restore it.
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "address", "key": ["br0", "192.0.2.10/24"], "command": "ip addr add 192.0.2.10/24 dev br0",
            "reason": "it is missing"}]
# END generated (apply)
addresses:
  description:
    - The addresses the task names, as read back after the run, with every
      attribute (an address deleted with O(state=absent) is no longer
      listed). With O(state=replaced), every address of the device (with
      O(devices), of each device whose state is V(replaced)).
    - In check mode, only the addresses the plan would add or change, as
      they would be after it; an empty list when nothing would change.
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - dev: br0
      address: 192.0.2.10/24
      label: br0
      scope: global
      valid_lft: forever
      preferred_lft: forever
      noprefixroute: false
      metric: 0
gathered:
  description:
    - The current addresses in the module's input format (kernel defaults
      left out), each with its C(dev), those of O(dev) or of every device.
    - Fed back as O(addresses) (with or without O(dev)), with O(state=present)
      or O(state=replaced), it changes nothing.
    - The same in check mode (nothing is changed either way).
  returned: when state is gathered
  type: list
  elements: dict
  sample:
    - dev: br0
      address: 192.0.2.10/24
    - dev: br0
      address: fe80::1/64
diff:
  description:
    - With C(--diff), one before/after entry per changed address (in check
      mode, per address the plan would change).
    - Each entry has C(before_header), C(after_header), C(before) and
      C(after); C(before) and C(after) are the address in the module's
      input format as JSON text, empty for an address that does not exist
      on that side.
  returned: when diff mode is on and something changed
  type: list
  elements: dict
commands:
  description:
    - The equivalent iproute2 commands of the requests, applied or (in check
      mode) planned, in the order they are sent; empty when nothing changes.
    - When the kernel refuses a request, only the requests sent until then, in the order
      sent, the refused one marked (see the notes); RV(undone) says whether what they changed was restored.
    - With O(netns) a name, C(ip -n NAME ...); with a path, C(nsenter --net=PATH ip ...).
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip addr add 192.0.2.10/24 dev br0"]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.address import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.address import AddressTask


def build_module():
    return AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("address", "addresses")],
        supports_check_mode=True,
    )


def main():
    run(build_module(), AddressTask())


if __name__ == "__main__":
    main()
