# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""THE table of the saved state: each section of a state file is one list
(or dict) option of one module, run through that module's own Task and
validated with that module's own argument spec.

A module that is not part of this build (its task or spec module cannot be
imported) makes its rows unavailable: a state file that uses them is
refused with a message saying so, every other section works.  The rows are
the modules' ``saved`` sections of objects/manifest.py.

Rows are in the order a play of the network role applies them (links,
addresses, routes, rules, IPsec); removals run in the reverse order.
Consecutive rows of the same module run as ONE task (nl_xfrm's SAs,
policies and defaults are planned and applied together, as the module
does).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import ipaddress
from collections import namedtuple

from ..objects import manifest

# name: the key in a state file; module: the module whose option it is;
# option: that option; task/spec: where the Task class and argument_spec()
# live, relative to module_utils; secret: the section may hold keys (kept
# in a root-only file); gather_params: extra params for gathering it whole
# (keys included, so that show -> apply reproduces it).
Section = namedtuple("Section", "name module option task spec secret gather_params")


def _from_manifest():
    """The rows, from each module's saved sections in objects/manifest.py."""
    return tuple(Section(saved.name, module.name, saved.option, module.task, module.spec, saved.secret, saved.gather_params)
                 for module in manifest.MODULES for saved in module.saved)


SECTIONS = _from_manifest()
BY_NAME = dict((s.name, s) for s in SECTIONS)
# Sections that are one mapping, not a list of items.
MAPPINGS = tuple(saved.name for module in manifest.MODULES for saved in module.saved if saved.mapping)


def _not_ours_to_save(item):
    """An address a saved state must not hold:

    - an IPv6 link-local: the kernel makes one for each link as its
      addrgenmode says (from the MAC, or stable-privacy), so a saved copy
      would add a second, stale one after a reboot;
    - one with a finite lifetime (``valid_lft``): SLAAC addresses from
      router advertisements, privacy addresses and DHCP leases are made and
      renewed by whatever made them, and any other such address expires by
      itself. Saved, a boot would turn it into a fixed address whose
      lifetime starts again."""
    if item.get("valid_lft") is not None:
        return True
    try:
        return ipaddress.ip_interface(item["address"]).ip.is_link_local
    except ValueError:
        return False


def by_device(gathered):
    """nl_addr's gathered list (one address per item, with ``dev``) in its
    ``devices`` format, one entry per device in the order first seen;
    link-local and dynamic addresses left out (see _not_ours_to_save)."""
    devices = []
    index = {}
    for item in gathered:
        if _not_ours_to_save(item):
            continue
        item = dict(item)
        dev = item.pop("dev")
        if dev not in index:
            index[dev] = len(devices)
            devices.append({"dev": dev, "addresses": []})
        devices[index[dev]]["addresses"].append(item)
    return devices


# Routes others make and remake: the kernel (prefix, local, broadcast and
# multicast routes of each address and link, RTPROT_KERNEL), router
# advertisements (RTPROT_RA) and DHCP clients (RTPROT_DHCP).
MADE_BY_OTHERS = ("kernel", "ra", "dhcp")


def routes_to_save(gathered):
    """nl_route's gathered list without the routes a saved state must not
    hold, for the reasons of _not_ours_to_save: those of MADE_BY_OTHERS,
    and any with a finite lifetime (``expires``).  Saved, a kernel route
    of an address show leaves out (a DHCP lease) fails the boot: its
    ``src`` is not there."""
    return [r for r in gathered or [] if r.get("protocol") not in MADE_BY_OTHERS and r.get("expires") is None]


# Section -> how its module's gathered result becomes the section (default:
# the gathered list itself, or the section's key of a gathered mapping).
RESHAPE = {"addresses": by_device, "routes": routes_to_save}
_UTILS = __name__.rsplit(".", 2)[0]  # <...>.module_utils


class SectionUnavailable(Exception):
    """A section whose module is not part of this build."""


def _load(dotted):
    mod, _sep, attr = dotted.partition(":")
    name = "%s.%s" % (_UTILS, mod)
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        if exc.name and name.startswith(exc.name):
            return None  # the file itself is not in this build
        raise  # something it imports is missing: say so, not "not part of this build"
    return getattr(module, attr) if attr else module


def available(section):
    """Whether ``section``'s module is part of this build: its spec, which
    comes with its task.  The task, much more code, is loaded only for a
    section a task gives (task_class): a host compiles the payload's
    sources on every run."""
    return _load(section.spec) is not None


def task_class(section):
    cls = _load(section.task)
    if cls is None:
        raise SectionUnavailable("section %s: %s is not part of this build of netlink.host"
                                 % (section.name, section.module))
    return cls


def argument_spec(section):
    spec = _load(section.spec)
    if spec is None:
        raise SectionUnavailable("section %s: %s is not part of this build of netlink.host"
                                 % (section.name, section.module))
    return spec.argument_spec()


def groups(names):
    """``names`` (section names, any order) -> runs: lists of sections, in
    table order, consecutive sections of one module together."""
    runs = []
    for section in SECTIONS:
        if section.name not in names:
            continue
        if runs and runs[-1][-1].module == section.module:
            runs[-1].append(section)
        else:
            runs.append([section])
    return runs
