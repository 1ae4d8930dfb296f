# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""THE list of object kinds and of the modules that manage them.

Everything else that lists kinds or modules reads it: the registry
(objects/registry.py), the saved state's sections (state/sections.py),
nl_persist's options (specs/persist.py), the network role's variables and
docs (scripts/gen_role_docs.py), its tasks (scripts/gen_role_tasks.py),
the modules' shared RETURN entries (scripts/gen_return_docs.py), the
action group check (scripts/test.sh), what the host program ships
(state/packed.py, imported by host_cli/included.py, checked by
tests/unit/host_cli/test_included.py).
Adding a kind is one KINDS entry; adding a module one MODULES entry (and
then the generators: scripts/gen_manifest_lists.py writes the action
group, state/packed.py's imports and nl_persist's section options).

This file imports nothing of the collection at load time, so anything may
import it.  A kind's loader is a plain import inside a function: loaded on
first use, and still seen by Ansible's module packager (AnsiballZ ships what
it finds imported).  Tasks and specs are named by strings (relative to
module_utils), resolved by whoever needs them.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

# name: the name a plan's changes carry; load: returns the (stateless) kind.
Kind = namedtuple("Kind", "name load")


def _link():
    from .link import LinkKind
    return LinkKind()


def _address():
    from .address import AddressKind
    return AddressKind()


def _route():
    from .route import RouteKind
    return RouteKind()


def _neigh():
    from .neigh import NeighKind
    return NeighKind()


def _fdb():
    from .fdb import FdbKind
    return FdbKind()


def _nexthop():
    from .nexthop import NexthopKind
    return NexthopKind()


def _rule():
    from .rule import RuleKind
    return RuleKind()


def _xfrm_state():
    from .xfrm_state import XfrmStateKind
    return XfrmStateKind()


def _xfrm_policy():
    from .xfrm_policy import XfrmPolicyKind
    return XfrmPolicyKind()


def _xfrm_default():
    from .xfrm_default import XfrmDefaultKind
    return XfrmDefaultKind()


def _sysctl():
    from .sysctl import SysctlKind
    return SysctlKind()


KINDS = (
    Kind("link", _link),
    Kind("address", _address),
    Kind("route", _route),
    Kind("rule", _rule),
    Kind("neigh", _neigh),
    Kind("fdb", _fdb),
    Kind("nexthop", _nexthop),
    Kind("xfrm_state", _xfrm_state),
    Kind("xfrm_policy", _xfrm_policy),
    Kind("xfrm_default", _xfrm_default),
    Kind("sysctl", _sysctl),
)

# A section of the saved state (a state file's key, nl_persist's option):
# option: the module's option it is; mapping: a dict, not a list of items;
# secret: may hold keys (kept in a root-only file); gather_params: extra
# params for gathering it whole (keys included, so show -> apply
# reproduces it); what: what it holds, as nl_persist's option describes
# it (scripts/gen_manifest_lists.py).
Saved = namedtuple("Saved", "name option mapping secret gather_params what")
# A network role variable: one of the module's options (a list), or
# (options a tuple) a dict of several.
RoleVariable = namedtuple("RoleVariable", "name options description")

# The network role's tasks for a module (roles/network/tasks/main.yml,
# written by scripts/gen_role_tasks.py): the names of its preflight check,
# apply and removal tasks (remove None: no removal task); done: the
# register's suffix (__network_done_<done>, _gone for the removal);
# item_state: the check and apply tasks pass the role's state for items
# that name none; remove_state: the removal passes state absent (else the
# items' own state: absent says it); check_whole: the check gets the whole
# list (removed items too), not only what is kept.
# Since the role applies everything with one nl_state task (issue 22), only
# whether a module has RoleTasks is read (the role passes its sections); the
# fields are no longer used, and go when the manifest is next reshaped.
RoleTasks = namedtuple("RoleTasks", "check apply remove done item_state remove_state check_whole")

# What a module's shared RETURN entries (write_requests, undone,
# undo_failures: one text in scripts/gen_return_docs.py) say of its own
# objects; the defaults fit a module of netlink objects.  noun: what an
# undo_failures entry is; kinds: its kind's choices (() none listed); key:
# what its key holds (None: "as the kernel identifies it"); request, count:
# one write and what write_requests counts (nl_netconf writes files in
# /proc, no netlink); changed_with: what undone covers besides the task's
# own changes, said after "and" (what the kernel changes with them);
# undone_note: said of the read-back; tool: what the restore command is
# written for; masked: what it masks (None: nothing); sample:
# undo_failures' sample (YAML flow text, a line break continues it; None:
# none).
Returns = namedtuple("Returns", "noun kinds key request count changed_with undone_note tool masked sample")
Returns.__new__.__defaults__ = ("object", (), None, "request", "netlink write requests sent", None, None, "iproute2", None, None)

# name: the module (plugins/modules/<name>.py); task, spec: where its Task
# class and argument_spec() live, relative to module_utils; role_tasks:
# RoleTasks, or None for a module the role does not run; returns: Returns.
# In the order a play of the network role applies them (removals run in
# the reverse order); the saved state's sections and the role's variables
# follow it.
Module = namedtuple("Module", "name task spec saved role role_tasks returns")
Module.__new__.__defaults__ = (None, Returns())

MODULES = (
    # The namespace-wide IP settings first: a write to all.forwarding sets
    # every link's, which the links' own settings then override, and
    # default's are what the links made next start with.
    Module("nl_netconf", "tasks.netconf:NetconfTask", "specs.netconf",
           (Saved("netconf_all", "all", True, False, {},
                  "The namespace's C(all) IP settings (C(net.ipv4.ip_forward), C(net.ipv6.conf.all.forwarding), ...), "
                  "applied before the links"),
            Saved("netconf_default", "default", True, False, {},
                  "The namespace's C(default) IP settings, applied before the links")),
           (RoleVariable("network_netconf", ("all", "default"),
                         "The namespace's IP settings (C(net.ipv4.ip_forward), the C(all) and C(default) sysctls), "
                         "applied before the links: C(all) and C(default) as M(netlink.host.nl_netconf) takes them."),),
           RoleTasks("Check the namespace's IP settings", "The namespace's IP settings (ip_forward and the rest of all and default)",
                     None, "netconf", False, False, False),
           Returns(noun="setting", kinds=("sysctl",), key="family, device, name", request="write", count="writes made",
                   changed_with="what the kernel changed with it", tool="C(sysctl -w)")),
    Module("nl_link", "tasks.link:LinkTask", "specs.link",
           (Saved("links", "links", False, False, {}, "The links"),),
           (RoleVariable("network_links", "links", "The links (interfaces) to create, change or delete."),),
           RoleTasks("Check links", "Links", "Remove links", "links", False, False, True),
           Returns(kinds=("link", "address", "route", "sysctl"),
                   changed_with="everything the kernel changed with it, such as the addresses and routes of a deleted link",
                   masked="secrets",
                   sample='[{"kind": "link", "key": ["mv0"], "command": "ip link add mv0 index 8 link vB type macvlan mode bridge",\n'
                          ' "reason": "the kernel refused it: File exists"}]')),
    Module("nl_addr", "tasks.address:AddressTask", "specs.address",
           (Saved("addresses", "devices", False, False, {}, "The addresses"),),
           (RoleVariable("network_addresses", "devices",
                         "The addresses of each device: entries of C(dev), C(addresses), C(state)."),),
           RoleTasks("Check addresses", "Addresses", "Remove addresses", "addresses", True, False, True),
           Returns(noun="address", kinds=("address",), key="device, address",
                   sample='[{"kind": "address", "key": ["br0", "192.0.2.10/24"], "command": "ip addr add 192.0.2.10/24 dev br0",\n'
                          ' "reason": "it is missing"}]')),
    Module("nl_neigh", "tasks.neigh:NeighTask", "specs.neigh",
           (Saved("neighbours", "neighbours", False, False, {}, "The static neighbour entries"),),
           (RoleVariable("network_neighbours", "neighbours", "The static neighbour entries (ARP, NDP and proxy)."),),
           RoleTasks("Check neighbour entries", "Neighbour entries", "Remove neighbour entries", "neighbours",
                     True, True, False),
           Returns(noun="neighbour entry", kinds=("neigh",), key="device, destination, proxy",
                   sample='[{"kind": "neigh", "key": ["eth0", "192.0.2.9", false],\n'
                          ' "command": "ip neigh replace 192.0.2.9 lladdr 02:00:00:00:00:09 nud permanent dev eth0 protocol static",\n'
                          ' "reason": "it is missing"}]')),
    Module("nl_fdb", "tasks.fdb:FdbTask", "specs.fdb",
           (Saved("fdb", "entries", False, False, {}, "The bridge and VXLAN forwarding database entries"),),
           (RoleVariable("network_fdb", "entries", "The bridge and VXLAN forwarding database entries."),),
           RoleTasks("Check FDB entries", "FDB entries", "Remove FDB entries", "fdb", True, True, False),
           Returns(noun="FDB entry", kinds=("fdb",), key="device, MAC, master, VLAN, source VNI, and the remote of a flood list",
                   sample='[{"kind": "fdb", "key": ["vx0", "00:00:00:00:00:00", false, null, null, "192.0.2.2"],\n'
                          ' "command": "bridge fdb append 00:00:00:00:00:00 dev vx0 self dst 192.0.2.2 permanent",\n'
                          ' "reason": "it is missing"}]')),
    # Nexthop objects before the routes that use them (nhid); after the
    # addresses their gateways are reached through.
    Module("nl_nexthop", "tasks.nexthop:NexthopTask", "specs.nexthop",
           (Saved("nexthops", "nexthops", False, False, {}, "The nexthop objects and groups, applied before the routes"),),
           (RoleVariable("network_nexthops", "nexthops", "The nexthop objects and groups that routes use by C(nhid)."),),
           RoleTasks("Check nexthops", "Nexthops", "Remove nexthops", "nexthops", True, True, False),
           Returns(kinds=("nexthop", "route"), key="a nexthop's id; a route's family, table, dst, tos, metric",
                   changed_with="what the kernel changed with it, such as the routes and groups of a deleted nexthop",
                   sample='[{"kind": "nexthop", "key": [1], "command": "ip nexthop add id 1 via 192.0.2.1 dev eth0 proto static",\n'
                          ' "reason": "it is missing"}]')),
    Module("nl_route", "tasks.route:RouteTask", "specs.route",
           (Saved("routes", "routes", False, False, {}, "The routes"),),
           (RoleVariable("network_routes", "routes", "The routes."),),
           RoleTasks("Check routes", "Routes", "Remove routes", "routes", True, True, False),
           Returns(noun="route", kinds=("route",),
                   key="family, table, dst, tos, metric; for IPv6 also the source prefix, and the device of a route through a device alone",
                   sample='[{"kind": "route", "key": [4, 254, "10.0.0.0/8", 0, 0], "command": "ip route add 10.0.0.0/8 proto static via 192.0.2.254",\n'
                          ' "reason": "the kernel refused it: Network is unreachable"}]')),
    Module("nl_rule", "tasks.rule:RuleTask", "specs.rule",
           (Saved("rules", "rules", False, False, {}, "The policy routing rules"),),
           (RoleVariable("network_rules", "rules", "The policy routing rules."),),
           RoleTasks("Check rules", "Rules", "Remove rules", "rules", True, True, False),
           Returns(noun="rule", kinds=("rule",), key="family, priority, selector, outcome",
                   sample='[{"kind": "rule", "key": [4, 100], "command": "ip rule add priority 100 from all protocol static lookup 100",\n'
                          ' "reason": "it is missing"}]')),
    Module("nl_xfrm", "tasks.xfrm:XfrmTask", "specs.xfrm",
           (Saved("xfrm_states", "states", False, True, {"show_keys": True}, "The IPsec SAs"),
            Saved("xfrm_policies", "policies", False, False, {}, "The IPsec policies"),
            Saved("xfrm_defaults", "defaults", True, False, {}, "The IPsec default policies")),
           (RoleVariable("network_xfrm_states", "states", "The IPsec security associations."),
            RoleVariable("network_xfrm_policies", "policies", "The IPsec security policies.")),
           RoleTasks("Check IPsec SAs and policies", "IPsec SAs and policies", "Remove IPsec SAs and policies", "xfrm",
                     True, True, False),
           Returns(kinds=("xfrm_state", "xfrm_policy", "xfrm_default"), undone_note="SAs with their real keys", masked="keys",
                   sample="[]")),
)

# Modules that manage no kind of their own (they work on the others' plans
# and saved state): the action group holds them too.
OTHER_MODULES = ("nl_state", "nl_facts", "nl_confirm", "nl_persist")

# nl_state runs every module's saved sections as one transaction
# (state/whole.py): what its shared RETURN entries say of its objects,
# which are every kind's.
STATE_MODULE = "nl_state"
STATE_RETURNS = Returns(kinds=tuple(k.name for k in KINDS),
                        changed_with="everything the kernel changed with it, such as the addresses and routes of a deleted link",
                        undone_note="SAs with their real keys", masked="secrets")


def kind_names():
    return tuple(k.name for k in KINDS)


def module_names():
    """Every module of the collection (meta/runtime.yml's action group)."""
    return tuple(m.name for m in MODULES) + OTHER_MODULES
