#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_facts
short_description: The host's network as facts, in the input format of nl_state
version_added: "0.2.0"
description:
  - Reads the host's network by speaking netlink to the kernel and sets
    C(ansible_facts.netlink) - a dict of the sections of M(netlink.host.nl_state)
    (C(links), C(addresses), C(routes), C(rules), ...), each in exactly the
    format that module takes, so a template or a C(when:) can use it and
    M(netlink.host.nl_state) given it back changes nothing.
  - What is read is what M(netlink.host.nl_state) returns with
    O(netlink.host.nl_state#module:state=gathered) and C(netlink-host show)
    prints - the objects someone configured, not the kernel's own (no
    kernel-made routes, no link-locals, no expiring addresses); a section with
    nothing in it is left out.
  - IPsec SA keys are masked (facts are cached and printed); M(netlink.host.nl_state)
    refuses a masked key, so leave C(xfrm_states) out (C(!xfrm_states)) where the facts
    are fed back, or gather it with M(netlink.host.nl_state) and
    O(netlink.host.nl_state#module:show_keys=true) into a root-only file.
  - Never changes anything; supports check mode.
options:
  gather_subset:
    description:
      - The sections to read, as the C(*_facts) modules take it - V(all), section
        names, and a section name after C(!) to leave it out (V([all, "!routes"]),
        or V(["!routes"]) alone - every section but the routes).
      - The section names are those of M(netlink.host.nl_state) - V(netconf_all),
        V(netconf_default), V(links), V(addresses), V(neighbours), V(fdb), V(routes),
        V(rules), V(xfrm_states), V(xfrm_policies), V(xfrm_defaults).
    type: list
    elements: str
    default: [all]
  netns:
    description:
      - Network namespace to read, by name (as C(ip netns) lists it, a file under
        C(/run/netns)) or by path (C(/proc/1234/ns/net)). Omit for the namespace the
        module runs in.
    type: str
attributes:
  check_mode:
    support: full
    description: Reads only; the same in check mode.
  diff_mode:
    support: none
    description: Changes nothing, so has no diff.
  facts:
    support: full
    description: Sets C(ansible_facts.netlink).
author:
  - netlink.host contributors (@netlink-host)
seealso:
  - module: netlink.host.nl_state
'''

EXAMPLES = r'''
- name: The host's network as ansible_facts.netlink
  netlink.host.nl_facts:

- name: Only the links and the addresses
  netlink.host.nl_facts:
    gather_subset: [links, addresses]

- name: Everything but the routes
  netlink.host.nl_facts:
    gather_subset: ["!routes"]
'''

RETURN = r'''
ansible_facts:
  description: The facts set.
  returned: always
  type: dict
  contains:
    netlink:
      description:
        - Section name -> its value, in the input format of M(netlink.host.nl_state);
          only sections that hold something.
      type: dict
      sample:
        links:
          - {name: br0, kind: bridge, state: up, mtu: 1500}
        addresses:
          - {dev: br0, addresses: [{address: 192.0.2.1/24}]}
gathered_subset:
  description: The sections read, in nl_state's order.
  returned: always
  type: list
  elements: str
  sample: [links, addresses]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import NetlinkLibraryError
from ansible_collections.netlink.host.plugins.module_utils.state import facts


def _packed():
    """Never called: puts every section's task in the payload (Ansible
    packs what a module imports anywhere in its source); the facts load
    only those of the sections read (see nl_state)."""
    from ansible_collections.netlink.host.plugins.module_utils.state import packed  # noqa: F401  pylint: disable=unused-import


def main():
    module = AnsibleModule(argument_spec=dict(gather_subset=dict(type="list", elements="str", default=["all"]),
                                              netns=dict(type="str")),
                           supports_check_mode=True)
    try:
        module.exit_json(**facts.facts(module.params))
    except (contract.ValidationError, NetlinkLibraryError) as exc:
        module.fail_json(msg=str(exc))


if __name__ == "__main__":
    main()
