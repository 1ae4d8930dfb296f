#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_persist
short_description: Save the desired network state so that it survives a reboot, and check it for drift
version_added: "0.2.0"
description:
  - The other modules of this collection change the running kernel only; without
    this module (or the network role's C(network_persist)) their changes last
    until the next reboot.
  - With O(state=present), writes the desired state, in the other modules' own
    list formats, to C(<dir>/<name>.json) (O(dir), O(name); mode 0644) and, for
    the IPsec SAs (O(xfrm_states), the section with keys),
    C(<dir>/<name>-secret.json) (mode 0600), after
    validating every item exactly as the module named for its section and the
    host program will (nothing is written when one is wrong). With O(install),
    also installs the host program C(netlink-host) (the collection's own engine,
    standard library only, copied under C(<prefix>/lib/netlink-host), run as
    C(<prefix>/sbin/netlink-host), O(prefix)) and the systemd unit C(netlink-host.service)
    that applies the saved state at boot, before C(network-pre.target).
  - With O(state=check), compares the kernel with everything saved in O(dir) and
    returns what differs (RV(drift)) and the C(ip) commands that would restore it
    (RV(commands)); nothing changes.
  - With O(state=absent), removes the state files of O(name) (the program and
    the unit stay; with no state file left the boot applies nothing).
  - Several saved states (several O(name)s) in O(dir) are applied together, in
    name order, as one state; their O(mode)s must agree (a state whose O(mode)
    differs from another file's there is refused) and the unit waits for the
    devices all of them use. See C(docs/persistence.md) and C(docs/netlink-host.md).
  - NetworkManager, systemd-networkd or ifupdown configured for the same links
    will fight the saved state. C(netlink-host) refuses to change a link
    NetworkManager manages unless O(ignore_networkmanager).
extends_documentation_fragment:
  - netlink.host.netlink
options:
  state:
    description:
      - V(present) saves the state (and with O(install) installs the program and
        the boot unit); V(absent) removes the saved state O(name); V(check)
        reports drift from everything saved in O(dir).
    type: str
    choices: [present, absent, check]
    default: present
  name:
    description:
      - The saved state's name, its file name in O(dir) without C(.json).
    type: str
    default: ansible
  dir:
    description:
      - The state directory, read whole at boot.
    type: path
    default: /etc/netlink.host
  mode:
    description:
      - V(present) adds and changes what is listed; V(replaced) also removes what
        the modules' own V(replaced) state removes (as the network role's
        C(network_mode)).
    type: str
    choices: [present, replaced]
    default: present
  ignore_networkmanager:
    description:
      - "Saved with the state: apply changes links NetworkManager manages too."
    type: bool
    default: false
  install:
    description:
      - Install (or update) C(netlink-host) and C(netlink-host.service) with the state.
    type: bool
    default: true
  prefix:
    description:
      - Where the program goes (C(lib/netlink-host) and C(sbin/netlink-host) below it).
    type: path
    default: /usr/local
  unit_dir:
    description:
      - Where the systemd unit goes.
    type: path
    default: /etc/systemd/system
  enable:
    description:
      - Enable the unit (the C(multi-user.target.wants) link C(systemctl enable) makes),
        so that it runs at boot; V(false) removes that link.
    type: bool
    default: true
  # BEGIN generated (persist-sections)
  netconf_all:
    description:
      - The namespace's C(all) IP settings (C(net.ipv4.ip_forward), C(net.ipv6.conf.all.forwarding), ...), applied
        before the links, in M(netlink.host.nl_netconf)'s O(netlink.host.nl_netconf#module:all) format.
    type: dict
  netconf_default:
    description:
      - The namespace's C(default) IP settings, applied before the links, in M(netlink.host.nl_netconf)'s
        O(netlink.host.nl_netconf#module:default) format.
    type: dict
  links:
    description:
      - The links, in M(netlink.host.nl_link)'s O(netlink.host.nl_link#module:links) format.
    type: list
    elements: raw
  addresses:
    description:
      - The addresses, in M(netlink.host.nl_addr)'s O(netlink.host.nl_addr#module:devices) format.
    type: list
    elements: raw
  neighbours:
    description:
      - The static neighbour entries, in M(netlink.host.nl_neigh)'s O(netlink.host.nl_neigh#module:neighbours) format.
    type: list
    elements: raw
  fdb:
    description:
      - The bridge and VXLAN forwarding database entries, in M(netlink.host.nl_fdb)'s
        O(netlink.host.nl_fdb#module:entries) format.
    type: list
    elements: raw
  nexthops:
    description:
      - The nexthop objects and groups, applied before the routes, in M(netlink.host.nl_nexthop)'s
        O(netlink.host.nl_nexthop#module:nexthops) format.
    type: list
    elements: raw
  routes:
    description:
      - The routes, in M(netlink.host.nl_route)'s O(netlink.host.nl_route#module:routes) format.
    type: list
    elements: raw
  rules:
    description:
      - The policy routing rules, in M(netlink.host.nl_rule)'s O(netlink.host.nl_rule#module:rules) format.
    type: list
    elements: raw
  xfrm_states:
    description:
      - The IPsec SAs, in M(netlink.host.nl_xfrm)'s O(netlink.host.nl_xfrm#module:states) format (saved in the 0600
        file).
    type: list
    elements: raw
  xfrm_policies:
    description:
      - The IPsec policies, in M(netlink.host.nl_xfrm)'s O(netlink.host.nl_xfrm#module:policies) format.
    type: list
    elements: raw
  xfrm_defaults:
    description:
      - The IPsec default policies, in M(netlink.host.nl_xfrm)'s O(netlink.host.nl_xfrm#module:defaults) format.
    type: dict
  # END generated (persist-sections)
  netns:
    description:
      - With O(state=check), the namespace to compare; the other states ignore it.
notes:
  - A section whose module is not part of the installed collection is refused.
  - With O(state=check) this module reads the kernel; the others touch files only.
seealso:
  - module: netlink.host.nl_link
  - module: netlink.host.nl_addr
  - module: netlink.host.nl_rule
author:
  - netlink.host contributors (@netlink-host)
'''

EXAMPLES = r'''
- name: Save links and addresses, install netlink-host and its boot unit
  netlink.host.nl_persist:
    links:
      - {name: br0, kind: bridge, state: up}
    addresses:
      - {dev: br0, addresses: [192.0.2.1/24]}
    dir: /tmp/nl_persist_example/etc
    prefix: /tmp/nl_persist_example/usr
    unit_dir: /tmp/nl_persist_example/units

- name: Report what changed behind Ansible's back
  netlink.host.nl_persist:
    state: check
    dir: /tmp/nl_persist_example/etc
  register: drift

- name: Forget the saved state
  netlink.host.nl_persist:
    state: absent
    dir: /tmp/nl_persist_example/etc
'''

RETURN = r'''
files:
  description: The state files written (present), removed (absent) or read (check).
  returned: always
  type: list
  elements: str
  sample: [/etc/netlink.host/ansible.json]
program:
  description: The installed host program.
  returned: when state is present and install is not false
  type: str
  sample: /usr/local/sbin/netlink-host
unit:
  description: The installed systemd unit.
  returned: when state is present and install is not false
  type: str
  sample: /etc/systemd/system/netlink-host.service
exec_start:
  description: The unit's C(ExecStart), the command a boot runs.
  returned: when state is present and install is not false
  type: str
  sample: /usr/local/sbin/netlink-host apply /etc/netlink.host
diff:
  description: With C(--diff), the state files before and after (the file with keys shows only that it changed).
  returned: when diff mode is on and state is present
  type: list
  elements: dict
drifted:
  description: Whether the kernel differs from the saved state.
  returned: when state is check
  type: bool
drift:
  description: One sentence per object that differs from the saved state.
  returned: when state is check
  type: list
  elements: str
  sample: ["link br0: differs: mtu is 1400, saved 9000"]
commands:
  description: The C(ip) commands that would make the kernel match the saved state again (none is run).
  returned: when state is check
  type: list
  elements: str
  sample: ["ip link set dev br0 mtu 9000"]
write_requests:
  description: Not returned (this module sends no netlink write request).
  returned: never
  type: int
undone:
  description: Not returned (this module changes no kernel state).
  returned: never
  type: bool
undo_failures:
  description: Not returned (this module changes no kernel state).
  returned: never
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netlink.host.plugins.module_utils.host_cli.persist import run
from ansible_collections.netlink.host.plugins.module_utils.specs.persist import argument_spec


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module())


if __name__ == "__main__":
    main()
