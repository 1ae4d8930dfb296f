#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_rule
short_description: Manage policy routing rules (ip rule) over netlink
version_added: "0.2.0"
description:
  - Adds and removes IPv4 and IPv6 policy routing rules, or lists them, by
    speaking rtnetlink to the kernel.
  - "Equivalent to C(ip rule add|del [not] [priority N] [from PREFIX] [to PREFIX]
    [tos TOS | dscp DSCP] [fwmark MARK[/MASK]] [iif DEV] [oif DEV] [l3mdev]
    [uidrange N-M] [ipproto P] [sport N-M] [dport N-M] [protocol P] [realms [FROM/]TO]
    lookup TABLE | goto N | nop | blackhole | unreachable | prohibit
    [suppress_prefixlength N] [suppress_ifgroup G]); RV(commands) holds those lines."
  - A rule is described whole, as C(ip rule add) describes it. Its B(selector)
    (O(invert), O(from), O(to), O(tos), O(dscp), O(fwmark), O(iif), O(oif),
    O(uidrange), O(ipproto), O(sport), O(dport), O(l3mdev)) says which packets
    it matches; its B(outcome) (O(action), O(table), O(goto), O(realms),
    O(suppress_prefixlength), O(suppress_ifgroup), O(protocol)) what they get.
    Options not given mean none (O(table) means V(main) for a lookup), and
    two rules that differ in any of them are two rules, as the kernel keeps them.
  - "Identity: a rule with a O(priority) is the rule at that priority with that
    selector. If one there has the same outcome, nothing changes. Otherwise it
    is replaced: the kernel cannot change a rule in place, so the new rule is
    added and the old one deleted (the diff says so); other rules at that
    priority and selector that the task also lists are kept."
  - "The kernel does not tell apart two rules that differ only in O(invert)
    or in their O(goto) target (it refuses the second as a duplicate): one
    replaces the other, deleted first, and a task cannot list both."
  - "A rule without O(priority) is matched on its selector and outcome at any
    priority, so a rerun changes nothing (where C(ip rule add) would add it
    again). When missing it is added at the priority the kernel would pick
    (one below the first rule after priority 0, 32765 on a fresh host), written
    into RV(commands) so that they replay to the same rule."
  - The kernel's three default rules (priorities 0, 32766 and 32767, protocol
    V(kernel)), and any other rule of protocol V(kernel) (the l3mdev rule the
    first VRF device brings), are never removed, and O(state=replaced) never removes
    another protocol's rules.
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
  - netlink.host.gathered_file
options:
  rules:
    description:
      - Several rules in one task (one read per family, one batch of requests).
      - Each item is a dict with the keys of the rule options of this module
        (O(priority), O(from), O(to), O(table), O(action), ... with the same
        meaning; C(not) is O(invert)) and C(state), V(present) or V(absent)
        (default V(absent) when O(state=absent), else V(present)).
      - O(protocol) and O(family) given at the top level apply to every item
        that does not set them; the other rule options cannot be given both at
        the top level and in O(rules).
      - O(state=gathered) returns items in this format.
    type: list
    elements: dict
  priority:
    description:
      - The rule's priority (preference), 0-4294967295; rules are tried in
        ascending priority.
      - Without it, see the description for how a rule is matched and which
        priority it gets.
    type: int
    aliases: [pref, preference]
  from:
    description:
      - Source prefix to match (C(10.0.0.0/8), C(2001:db8::/32)), a host
        address (C(/32), C(/128)) or V(all). Host bits are cleared, as the
        rule matches them.
    type: str
  to:
    description: Destination prefix to match, as O(from).
    type: str
  iif:
    description:
      - Incoming device to match (V(lo) matches locally generated packets).
        The device need not exist.
    type: str
  oif:
    description: Outgoing device to match (for sockets bound to a device).
    type: str
  fwmark:
    description:
      - Firewall mark to match, C(VALUE) or C(VALUE/MASK), decimal or C(0x)
        hex. Without a mask all 32 bits are compared.
      - C(0) without a mask is refused (the kernel would keep no selector);
        C(0/0xffffffff) matches unmarked packets.
    type: str
  tos:
    description:
      - The TOS byte to match, decimal or C(0x) hex. Exclusive with O(dscp).
    type: str
  dscp:
    description:
      - The DSCP (0-63) to match (C(FRA_DSCP)). Exclusive with O(tos).
      - Needs Linux 6.12 or later; on an older kernel the task fails before
        changing anything (such a kernel would add the rule without it).
      - C(ip) prints it from iproute2 6.12 on; older C(ip) cannot replay such
        a line of RV(commands).
    type: int
  uidrange:
    description: User ids to match (sockets of those users), C(N) or C(N-M).
    type: str
  ipproto:
    description:
      - IP protocol to match, a name (V(tcp), V(udp), V(ipv6-icmp), ...) or a
        number. RV(commands) print it as a number.
    type: str
  sport:
    description: Source port or range to match, C(N) or C(N-M).
    type: str
  dport:
    description: Destination port or range to match, C(N) or C(N-M).
    type: str
  l3mdev:
    description:
      - Look up the table of the VRF device the packet is bound to (the rule
        C(ip rule add l3mdev) makes). Cannot name a O(table).
    type: bool
  invert:
    description: Match the packets the selector does not match (C(not)).
    type: bool
    aliases: [not]
  action:
    description:
      - What a matching packet gets. V(lookup) looks up O(table) (V(table) is
        accepted as its synonym, as C(ip rule) takes it); V(goto) jumps to the
        rule at priority O(goto); V(nop) does nothing; V(blackhole),
        V(unreachable) and V(prohibit) drop it (silently, with ENETUNREACH,
        with EACCES).
      - Default V(lookup), or V(goto) when O(goto) is given.
    type: str
  table:
    description:
      - The table a V(lookup) rule looks up, a number or a name from the
        host's C(rt_tables) files or V(main), V(local), V(default). Default
        V(main).
    type: str
    aliases: [lookup]
  goto:
    description: The priority a V(goto) rule jumps to; must be after the rule's own.
    type: int
  suppress_prefixlength:
    description:
      - Reject a lookup's result whose prefix length is this or shorter
        (C(suppress_prefixlength 0) ignores default routes).
    type: int
  suppress_ifgroup:
    description:
      - Reject a lookup's result whose device is in this group (a number or a
        name from the host's C(group) file).
    type: str
  realms:
    description:
      - Realms to set on a packet the rule's lookup routes, C(TO) or C(FROM/TO),
        numbers or names from the host's C(rt_realms) files (C(FRA_FLOW)).
        IPv4 only.
      - Two rules that differ only in their realms are two rules.
    type: str
  protocol:
    description:
      - Who owns the rule (C(FRA_PROTOCOL)), a number or a name (V(static),
        V(boot), V(bird), ... or from the host's C(rt_protos) files).
      - Default V(static), the collection's own. O(state=replaced) removes
        only rules of this protocol.
      - With O(state=gathered), a filter.
    type: str
  family:
    description:
      - V(4) (V(inet)) or V(6) (V(inet6)). Default the family of O(from) or
        O(to), else V(4).
      - With O(state=replaced) and O(state=gathered), the family read
        (default both).
    type: str
  state:
    description:
      - V(present) adds the rules that are missing and replaces the ones whose
        outcome differs at the same priority and selector.
      - V(absent) deletes the rules that match what is given (the selector
        exactly; the priority and outcome options where given).
      - V(replaced) is V(present) for the listed rules, then deletes every
        rule of the O(protocol) (default V(static)) that is not listed and
        looks up one of the tables the task names (O(tables) and those the
        listed rules look up) or has a priority in O(priorities). Other
        protocols' rules and the kernel's default rules stay.
      - V(gathered) returns the current rules in O(rules) format as
        RV(gathered) (or writes them to O(gathered_file)), filtered by
        O(family), O(protocol) and O(table).
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
  tables:
    description:
      - With O(state=replaced), further tables whose rules of the O(protocol)
        the task owns (names or numbers).
    type: list
    elements: str
  priorities:
    description:
      - With O(state=replaced), priority ranges (C(N) or C(N-M)) whose rules
        of the O(protocol) the task owns.
    type: list
    elements: str
notes:
  - Reads one rule dump per family the task names (the kernel filters rule
    dumps by family only).
  - A rule the kernel holds with attributes this module does not model
    (C(tun_id), flow label, port or DSCP masks) is never taken for a rule of
    the task; it is deleted whole when O(state=replaced) owns it.
seealso:
  - name: ip-rule(8)
    description: The iproute2 command this module's RV(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/ip-rule.8.html
  - module: netlink.host.nl_addr
'''

EXAMPLES = r'''
- name: One rule (ad hoc - ansible HOST -m netlink.host.nl_rule -a 'priority=100 from=10.0.0.0/8 table=100')
  netlink.host.nl_rule:
    priority: 100
    from: 10.0.0.0/8
    table: 100

- name: Several rules in one read and one batch
  netlink.host.nl_rule:
    rules:
      - {priority: 200, fwmark: "0x10/0xff", table: 200}
      - {priority: 210, iif: lo, ipproto: tcp, dport: "443", table: 200}
      - {priority: 220, from: 192.0.2.0/24, realms: "3/4", table: main}
      - {priority: 230, uidrange: 1000-1999, action: prohibit}
      - {priority: 240, table: main, suppress_prefixlength: 0}
      - {priority: 250, to: 2001:db8::/32, action: unreachable}
      - {priority: 260, not: true, from: 198.51.100.0/24, goto: 300}

- name: Without a priority (matched on selector and outcome, so reruns change nothing)
  netlink.host.nl_rule:
    from: 203.0.113.0/24
    table: 100

- name: Remove a rule
  netlink.host.nl_rule:
    priority: 230
    uidrange: 1000-1999
    state: absent

- name: Exactly these static rules for table 200 and priorities 1000-1999
  netlink.host.nl_rule:
    state: replaced
    priorities: [1000-1999]
    rules:
      - {priority: 1000, from: 10.1.0.0/16, table: 200}
      - {priority: 1001, from: 10.2.0.0/16, table: 200}

- name: List the IPv4 rules of table main
  netlink.host.nl_rule:
    state: gathered
    family: "4"
    table: main
  register: main_rules

- name: Fed back as rules, gathered output changes nothing
  netlink.host.nl_rule:
    rules: "{{ main_rules.gathered }}"
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
    - One entry per rule the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(rule)).
      type: str
    key:
      description: The rule's identity (family, priority, selector, outcome).
      type: list
    command:
      description: The iproute2 command that would restore it.
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "rule", "key": [4, 100], "command": "ip rule add priority 100 from all protocol static lookup 100",
            "reason": "it is missing"}]
# END generated (apply)
rules:
  description:
    - The rules the task names with C(state=present) after the run (in check
      mode, as they would be), with every field.
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - {family: 4, priority: 100, invert: false, from: 10.0.0.0/8, to: null, tos: 0, dscp: null,
       iif: null, oif: null, fwmark: null, uidrange: null, ipproto: null, sport: null, dport: null,
       l3mdev: false, action: lookup, table: 100, goto: null, realms: null,
       suppress_prefixlength: null, suppress_ifgroup: null, protocol: static}
gathered:
  description:
    - The current rules in the O(rules) format (what is off or empty left
      out; family, priority and protocol always given), the kernel's default
      rules included.
  returned: state is gathered and O(gathered_file) is not set
  type: list
  elements: dict
  sample:
    - {family: 4, priority: 0, table: local, protocol: kernel}
    - {family: 4, priority: 100, from: 10.0.0.0/8, table: 100, protocol: static}
gathered_file:
  description:
    - The file the gathered rules were written to (O(gathered_file)).
  returned: O(gathered_file) is set
  type: str
  sample: /var/tmp/rules.json
  version_added: "0.2.0"
gathered_count:
  description:
    - How many rules were written to O(gathered_file).
  returned: O(gathered_file) is set
  type: int
  sample: 1000000
  version_added: "0.2.0"
diff:
  description:
    - With C(--diff), one before/after entry per rule added or deleted; a replaced rule says so in its header.
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
  sample: ["ip rule add priority 100 from 10.0.0.0/8 protocol static lookup 100"]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.rule import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.rule import RuleTask


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), RuleTask())


if __name__ == "__main__":
    main()
