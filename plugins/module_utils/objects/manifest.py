# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""THE list of object kinds and of the modules that manage them.

Everything else that lists kinds or modules reads it: the registry
(objects/registry.py), the saved state's sections (host_cli/sections.py),
nl_persist's options (specs/persist.py), the network role's variables and
docs (scripts/gen_role_docs.py), its tasks (scripts/gen_role_tasks.py),
the modules' shared RETURN entries (scripts/gen_return_docs.py), the
action group check (scripts/test.sh), what the host program ships
(host_cli/included.py, checked by tests/unit/host_cli/test_included.py).
Adding a kind is one KINDS entry; adding a module one MODULES entry (and
its task and spec imported in host_cli/included.py), then the generators.

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
    Kind("xfrm_state", _xfrm_state),
    Kind("xfrm_policy", _xfrm_policy),
    Kind("xfrm_default", _xfrm_default),
    Kind("sysctl", _sysctl),
)

# A section of the saved state (a state file's key, nl_persist's option):
# option: the module's option it is; mapping: a dict, not a list of items;
# secret: may hold keys (kept in a root-only file); gather_params: extra
# params for gathering it whole (keys included, so show -> apply
# reproduces it).
Saved = namedtuple("Saved", "name option mapping secret gather_params")
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
RoleTasks = namedtuple("RoleTasks", "check apply remove done item_state remove_state check_whole")

# name: the module (plugins/modules/<name>.py); task, spec: where its Task
# class and argument_spec() live, relative to module_utils; role_tasks:
# RoleTasks, or None for a module the role does not run.  In the order a
# play of the network role applies them (removals run in the reverse
# order); the saved state's sections and the role's variables follow it.
Module = namedtuple("Module", "name task spec saved role role_tasks")
Module.__new__.__defaults__ = (None,)

MODULES = (
    # The namespace-wide IP settings first: a write to all.forwarding sets
    # every link's, which the links' own settings then override, and
    # default's are what the links made next start with.
    Module("nl_netconf", "tasks.netconf:NetconfTask", "specs.netconf",
           (Saved("netconf_all", "all", True, False, {}), Saved("netconf_default", "default", True, False, {})),
           (RoleVariable("network_netconf", ("all", "default"),
                         "The namespace's IP settings (C(net.ipv4.ip_forward), the C(all) and C(default) sysctls), "
                         "applied before the links: C(all) and C(default) as M(netlink.host.nl_netconf) takes them."),),
           RoleTasks("Check the namespace's IP settings", "The namespace's IP settings (ip_forward and the rest of all and default)",
                     None, "netconf", False, False, False)),
    Module("nl_link", "tasks.link:LinkTask", "specs.link",
           (Saved("links", "links", False, False, {}),),
           (RoleVariable("network_links", "links", "The links (interfaces) to create, change or delete."),),
           RoleTasks("Check links", "Links", "Remove links", "links", False, False, True)),
    Module("nl_addr", "tasks.address:AddressTask", "specs.address",
           (Saved("addresses", "devices", False, False, {}),),
           (RoleVariable("network_addresses", "devices",
                         "The addresses of each device: entries of C(dev), C(addresses), C(state)."),),
           RoleTasks("Check addresses", "Addresses", "Remove addresses", "addresses", True, False, True)),
    Module("nl_route", "tasks.route:RouteTask", "specs.route",
           (Saved("routes", "routes", False, False, {}),),
           (RoleVariable("network_routes", "routes", "The routes."),),
           RoleTasks("Check routes", "Routes", "Remove routes", "routes", True, True, False)),
    Module("nl_rule", "tasks.rule:RuleTask", "specs.rule",
           (Saved("rules", "rules", False, False, {}),),
           (RoleVariable("network_rules", "rules", "The policy routing rules."),),
           RoleTasks("Check rules", "Rules", "Remove rules", "rules", True, True, False)),
    Module("nl_xfrm", "tasks.xfrm:XfrmTask", "specs.xfrm",
           (Saved("xfrm_states", "states", False, True, {"show_keys": True}),
            Saved("xfrm_policies", "policies", False, False, {}),
            Saved("xfrm_defaults", "defaults", True, False, {})),
           (RoleVariable("network_xfrm_states", "states", "The IPsec security associations."),
            RoleVariable("network_xfrm_policies", "policies", "The IPsec security policies.")),
           RoleTasks("Check IPsec SAs and policies", "IPsec SAs and policies", "Remove IPsec SAs and policies", "xfrm",
                     True, True, False)),
)

# Modules that manage no kind of their own (they work on the others' plans
# and saved state): the action group holds them too.
OTHER_MODULES = ("nl_confirm", "nl_persist")


def kind_names():
    return tuple(k.name for k in KINDS)


def module_names():
    """Every module of the collection (meta/runtime.yml's action group)."""
    return tuple(m.name for m in MODULES) + OTHER_MODULES
