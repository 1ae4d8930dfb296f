# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_link's checks against what exists, after the one link dump and before
the plan: nothing has changed yet, so a failure here leaves the kernel as it
was.

- A link named as a ``master``, a parent ``link`` or a ``dev`` of a type
  block (``vxlan.dev``, a tunnel's) must exist, or be listed in the same
  task with a state other than absent (the plan creates it first; a veth's
  peer counts once its veth is created).  In check mode one that does not
  is a warning (an earlier task of the play may create it: the task's
  ``missing_in_check_mode``).
- A veth is created with its ``veth.peer`` (without one the kernel names the
  peer itself, and a second run could not find it); the peer name must be
  free; its ``veth.peer_netns`` must exist.
- An ``mtu`` must lie within the device's own limits (IFLA_MIN_MTU and
  IFLA_MAX_MTU, as the kernel reports them for an existing link; for a link
  to be created, the limits its kind has on creation).
- A bridge setting the kernel does not report is a feature this kernel was
  built without (br_fill_info() puts every IFLA_BR_* it has): it is left out
  of the comparison, with a warning, instead of being re-sent on every run.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from . import link_devconf
from ..objects.link_types import SETTINGS, named_links

# min_mtu/max_mtu of a new link of these kinds, measured on 6.18 (ip -d -j
# link: ether_setup()'s ETH_MIN_MTU, the drivers' ETH_MAX_MTU; ifb sets no
# limits).  A macvlan or vxlan may be held lower by its lower device: the
# kernel says so when it refuses.  Kinds not listed are left to the kernel.
ETH_MIN_MTU = 68
ETH_MAX_MTU = 65535
CREATE_MTU_LIMITS = {
    "bridge": (ETH_MIN_MTU, ETH_MAX_MTU),
    "veth": (ETH_MIN_MTU, ETH_MAX_MTU),
    "macvlan": (ETH_MIN_MTU, ETH_MAX_MTU),
    "vxlan": (ETH_MIN_MTU, ETH_MAX_MTU),
}
# Kinds whose every setting the kernel reports whenever it supports it, so
# that a missing attribute means a missing feature (a vxlan leaves
# IFLA_VXLAN_LINK out when it has no underlay, for instance: not listed).
REPORTS_EVERY_SETTING = ("bridge",)


def _fail(text):
    raise contract.ValidationError(text)


def _message(ctx, name):
    index = ctx.ifindex(name, required=False)
    return ctx.links().get(index) if index is not None else None


def implied_peers(desired, current):
    """Names of the veth peers the task's veth creations make here."""
    out = set()
    for d in desired:
        veth = d.get("veth") or {}
        if d["state"] != "absent" and d.get("kind") == "veth" and (d["name"],) not in current \
                and veth.get("peer") and not veth.get("peer_netns"):
            out.add(veth["peer"])
    return out


class _World:
    """Which link names exist once the task's creates have run."""

    def __init__(self, desired, current):
        self.current = set(name for (name,) in current)
        self.deleted = set(d["name"] for d in desired if d["state"] == "absent")
        self.made = set(d["name"] for d in desired if d["state"] != "absent" and d.get("kind"))
        self.made |= implied_peers(desired, current)
        self.made -= self.deleted
        self.moved = dict((d["name"], d["to_netns"]) for d in desired if d.get("to_netns"))

    def check(self, name, option, missing):
        if name in self.deleted:
            _fail("%s=%s: this task deletes that link" % (option, name))
        if name in self.moved:
            _fail("%s=%s: this task moves that link to netns %s" % (option, name, self.moved[name]))
        if name not in self.current and name not in self.made:
            missing("%s=%s" % (option, name), "planned as if it existed",
                    "%s=%s: no such link (neither in the namespace nor created by this task)" % (option, name))


def check_links(ctx, desired, current, wheres, missing):
    """Raise ValidationError for the first problem; return warnings.
    ``missing``: the task's missing_in_check_mode."""
    world = _World(desired, current)
    implied = implied_peers(desired, current)
    warnings = []
    for item, where in zip(desired, wheres):
        if item["state"] == "absent":
            continue
        name = item["name"]
        have = current.get((name,))
        creating = have is None and name not in implied
        for option, named in named_links(item):
            world.check(named, where + option, missing)
        _check_veth(ctx, item, where, creating, current)
        _check_mtu(ctx, item, where, have, creating)
        if have is not None:
            warnings.extend(_unreported(ctx, item, have, where))
            link_devconf.check_has_blocks(item, have, where)
    return warnings


def _check_veth(ctx, item, where, creating, current):
    veth = item.get("veth") or {}
    netns = veth.get("peer_netns")
    if netns and not ctx.netns_exists(netns):
        _fail("%sveth.peer_netns=%s: no such network namespace" % (where, netns))
    if not creating or item.get("kind") != "veth":
        return
    peer = veth.get("peer")
    if not peer:
        _fail("%sveth.peer: required to create the veth %s (without it the kernel names the peer "
              "itself, and a second run could not tell it is there)" % (where, item["name"]))
    if not netns and (peer,) in current:
        _fail("%sveth.peer=%s: a link of that name exists already" % (where, peer))


def _check_mtu(ctx, item, where, have, creating):
    mtu = item.get("mtu")
    if mtu is None:
        return
    if have is not None:
        msg = _message(ctx, item["name"])
        lo = msg.attrs.get("min_mtu") if msg is not None else None
        hi = msg.attrs.get("max_mtu") if msg is not None else None
        source = "the limits the kernel reports for %s" % item["name"]
    elif creating and item.get("kind") in CREATE_MTU_LIMITS:
        lo, hi = CREATE_MTU_LIMITS[item["kind"]]
        source = "the limits of a new %s" % item["kind"]
    else:
        return
    # max_mtu 0: the device sets no upper limit (lo, ifb)
    if (lo is not None and mtu < lo) or (hi and mtu > hi):
        _fail("%smtu=%d is out of range for %s (%d-%s, %s)"
              % (where, mtu, item["name"], lo or 0, hi or "no limit", source))


def _unreported(ctx, item, have, where):
    """Strip from ``item`` the settings its existing link's kernel does not
    report at all; a warning for each."""
    kind = have.get("kind")
    block = item.get(kind)
    if kind not in REPORTS_EVERY_SETTING or not block:
        return []
    msg = _message(ctx, item["name"])
    data = ((msg.attrs.get("linkinfo") or {}).get("data") if msg is not None else None) or {}
    out = []
    for s in SETTINGS.get(kind, ()):
        if s.attr and block.get(s.name) is not None and s.attr not in data:
            text = "%s%s.%s=%s: the kernel does not report this setting of %s (built without the feature?); " \
                "it is neither compared nor sent" % (where, kind, s.name, block[s.name], item["name"])
            out.append(text)
            del block[s.name]
    return out
