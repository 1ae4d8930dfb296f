#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_state
short_description: The whole host's network in one task and one transaction
version_added: "0.2.0"
description:
  - Takes the sections of the state file C(netlink-host) reads (links, addresses,
    routes, rules, IPsec, the namespace's IP settings), each in the list (or
    mapping) format of the module that manages it, and applies them as B(one)
    transaction, by speaking netlink to the kernel.
  - "Every section is validated before anything is read or changed; an error
    names the section, the item's index in it and the option
    (C(routes[3].gateway: ...))."
  - "One plan across all kinds, applied once: links before the addresses on
    them, before the routes through them, before the rules; removals (items
    with C(state=absent)) after, in the reverse order. When the kernel refuses
    any request, everything the task changed is undone, links and addresses
    included; RV(undone) and RV(undo_failures) say whether that was exact."
  - Check mode, diff mode and RV(commands) come from the same plan.
  - With O(state=gathered), returns the host in exactly this input format
    (RV(gathered)); fed back as input, it changes nothing.
extends_documentation_fragment:
  - netlink.host.netlink
options:
  netconf_all:
    description: As O(netlink.host.nl_netconf#module:all).
    type: dict
  netconf_default:
    description: As O(netlink.host.nl_netconf#module:default).
    type: dict
  links:
    description: As O(netlink.host.nl_link#module:links).
    type: list
    elements: dict
  addresses:
    description: As O(netlink.host.nl_addr#module:devices).
    type: list
    elements: dict
  routes:
    description: As O(netlink.host.nl_route#module:routes).
    type: list
    elements: raw
  rules:
    description: As O(netlink.host.nl_rule#module:rules).
    type: list
    elements: dict
  xfrm_states:
    description: As O(netlink.host.nl_xfrm#module:states).
    type: list
    elements: dict
  xfrm_policies:
    description: As O(netlink.host.nl_xfrm#module:policies).
    type: list
    elements: dict
  xfrm_defaults:
    description: As O(netlink.host.nl_xfrm#module:defaults).
    type: dict
  mode:
    description:
      - V(present) adds and changes what the sections name; V(replaced) also
        removes what each module's V(replaced) removes (the same meaning as
        the network role's C(network_mode) and the state file's C(mode)).
    type: str
    choices: [present, replaced]
    default: present
  state:
    description:
      - V(present) applies the sections; V(gathered) returns the host (RV(gathered)).
    type: str
    choices: [present, gathered]
    default: present
  sections:
    description: With O(state=gathered), the sections to return (default all).
    type: list
    elements: str
  show_keys:
    description: With O(state=gathered), the IPsec SAs' keys in clear (so that RV(gathered) reproduces them).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
author:
  - netlink.host contributors
'''

EXAMPLES = r'''
- name: A bridge with an address and a route through it, in one transaction
  netlink.host.nl_state:
    links:
      - {name: br0, kind: bridge, state: up}
    addresses:
      - {dev: br0, addresses: [192.0.2.1/24]}
    routes:
      - {dst: 198.51.100.0/24, gateway: 192.0.2.254}
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
    - When the kernel refused a request, whether everything the task had already changed (and everything the kernel
      changed with it, such as the addresses and routes of a deleted link) was restored exactly, as read back after the
      undo (SAs with their real keys).
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
      description: The object kind (V(link), V(address), V(route), V(rule), V(xfrm_state), V(xfrm_policy),
        V(xfrm_default), V(sysctl)).
      type: str
    key:
      description: The object's identity, as the kernel identifies it.
      type: list
    command:
      description: The iproute2 command that would restore it (secrets masked).
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
# END generated (apply)
# BEGIN generated (sections)
netconf_all:
  description:
    - With O(netconf_all), the objects M(netlink.host.nl_netconf) returns for its O(netlink.host.nl_netconf#module:all)
      after the run (in check mode, as they would be), secrets masked.
  returned: when netconf_all is given and state is not gathered
  type: dict
netconf_default:
  description:
    - With O(netconf_default), the objects M(netlink.host.nl_netconf) returns for its
      O(netlink.host.nl_netconf#module:default) after the run (in check mode, as they would be), secrets masked.
  returned: when netconf_default is given and state is not gathered
  type: dict
links:
  description:
    - With O(links), the objects M(netlink.host.nl_link) returns for its O(netlink.host.nl_link#module:links) after the
      run (in check mode, as they would be), secrets masked.
  returned: when links is given and state is not gathered
  type: list
  elements: dict
addresses:
  description:
    - With O(addresses), the objects M(netlink.host.nl_addr) returns for its O(netlink.host.nl_addr#module:devices)
      after the run (in check mode, as they would be), secrets masked.
  returned: when addresses is given and state is not gathered
  type: list
  elements: dict
routes:
  description:
    - With O(routes), the objects M(netlink.host.nl_route) returns for its O(netlink.host.nl_route#module:routes) after
      the run (in check mode, as they would be), secrets masked.
  returned: when routes is given and state is not gathered
  type: list
  elements: dict
rules:
  description:
    - With O(rules), the objects M(netlink.host.nl_rule) returns for its O(netlink.host.nl_rule#module:rules) after the
      run (in check mode, as they would be), secrets masked.
  returned: when rules is given and state is not gathered
  type: list
  elements: dict
xfrm_states:
  description:
    - With O(xfrm_states), the objects M(netlink.host.nl_xfrm) returns for its O(netlink.host.nl_xfrm#module:states)
      after the run (in check mode, as they would be), secrets masked.
  returned: when xfrm_states is given and state is not gathered
  type: list
  elements: dict
xfrm_policies:
  description:
    - With O(xfrm_policies), the objects M(netlink.host.nl_xfrm) returns for its O(netlink.host.nl_xfrm#module:policies)
      after the run (in check mode, as they would be), secrets masked.
  returned: when xfrm_policies is given and state is not gathered
  type: list
  elements: dict
xfrm_defaults:
  description:
    - With O(xfrm_defaults), the objects M(netlink.host.nl_xfrm) returns for its O(netlink.host.nl_xfrm#module:defaults)
      after the run (in check mode, as they would be), secrets masked.
  returned: when xfrm_defaults is given and state is not gathered
  type: dict
# END generated (sections)
diff:
  description:
    - With C(--diff), one before/after entry per change of the one plan, every kind's.
    - When the kernel refuses a request, only the entries of the requests sent until then.
  returned: when diff mode is on and something changed and state is not gathered
  type: list
  elements: dict
commands:
  description: The equivalent iproute2 commands of the one plan, applied or (in check mode) planned, in the order they are sent.
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip link add br0 up type bridge", "ip address add 192.0.2.1/24 dev br0"]
gathered:
  description: The host in this module's input format, one key per section.
  returned: state is gathered
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule

# Ansible packs only what a module imports statically: every module's task
# and spec, which the sections name by string.
from ansible_collections.netlink.host.plugins.module_utils.host_cli import included  # noqa: F401  pylint: disable=unused-import
from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.state import whole
from ansible_collections.netlink.host.plugins.module_utils.state.spec import argument_spec


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), whole.StateTask(), engine=whole)


if __name__ == "__main__":
    main()
