# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_netconf's Task: the namespace-wide IP settings, those of the
kernel's ``all`` and ``default`` pseudo-devices (net.ipv4.conf.all.*,
net.ipv6.conf.default.*, ...; net.ipv4.ip_forward is
net.ipv4.conf.all.forwarding), in the task's namespace.

Input: ``all`` and ``default``, each with ``ipv4``/``ipv6`` blocks named and
checked as nl_link's (objects/devconf.py).  Each setting is a ``sysctl``
object (objects/sysctl.py), read from and written to its file.

What a write to ``all`` does to the devices is planned as implied changes,
so that an undo restores them too: ``all.forwarding`` (both families) and
IPv6 ``all.disable_ipv6`` set the value on every device and on ``default``
(inet_forward_change, addrconf_forward_change, addrconf_disable_change),
and IPv4 ``all.forwarding`` sets ``all.accept_redirects`` to its opposite.
The ``all`` settings run before the ``default`` ones, so a task that
gives both gets both.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..engine import plans
from ..netlink import procsys
from ..objects import devconf, registry
from ..objects.sysctl import path
from . import link_devconf
from .base import Task

SCOPES = devconf.SCOPES
PER_DEVICE = devconf.PER_DEVICE
# (family, setting) whose write to ``all`` sets it on every device and on default
PROPAGATES = ((4, "forwarding"), (6, "forwarding"), (6, "disable_ipv6"))


def _obj(family, dev, name, value):
    return {"family": family, "dev": dev, "name": name, "value": value}


def _shape(objs):
    """sysctl objects -> {scope: {block: {name: value}}} (the input format)."""
    out = {}
    for obj in objs:
        out.setdefault(obj["dev"], {}).setdefault("ipv%d" % obj["family"], {})[obj["name"]] = obj["value"]
    return out


class NetconfTask(Task):
    kind = registry.kind("sysctl")
    result_key = "settings"
    # settings: one tree ({scope: {block: {name: value}}}), not a list
    single_results = ("settings",)

    # -- params -> desired --------------------------------------------------

    def desired(self, params):
        if params.get("state") == "gathered":
            return []
        if not any(params.get(s) for s in SCOPES):
            raise contract.ValidationError("all or default: required (like all: {ipv4: {forwarding: true}})")
        out = []
        for scope in SCOPES:
            given = params.get(scope)
            if given is None:
                continue
            if not isinstance(given, dict):
                raise contract.ValidationError("%s: a dict is required, got %r" % (scope, given))
            unknown = sorted(k for k in given if k not in devconf.BLOCKS)
            if unknown:
                raise contract.ValidationError("%s.%s: unknown option (known: ipv4, ipv6)" % (scope, unknown[0]))
            for block, family in sorted(devconf.BLOCKS.items()):
                if given.get(block) is None:
                    continue
                where = "%s.%s." % (scope, block)
                for name, value in sorted((link_devconf.block(block, given[block], where) or {}).items()):
                    if (block, name) in PER_DEVICE:
                        raise contract.ValidationError("%s%s: a setting of each link (nl_link %s.%s), not of %s"
                                                       % (where, name, block, name, scope))
                    out.append(dict(_obj(family, scope, name, value), state="present"))
        return out

    # -- kernel -> current ----------------------------------------------------

    def current(self, ctx, desired, params, mode):
        found = self.kind.read(ctx, desired)
        return dict((key, dict((k, v) for k, v in obj.items() if k != "state")) for key, obj in found.items())

    def check(self, ctx, desired, current, params, mode):
        for d in desired:
            if self.kind.key(d) not in current:
                raise contract.ValidationError("%s.ipv%d.%s: this kernel has no %s" % (
                    d["dev"], d["family"], d["name"], devconf.sysctl_name(d["family"], d["dev"], d["name"])))
        return []

    # -- plan -----------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        changes = []
        for d in desired:
            have = current[self.kind.key(d)]
            if have["value"] == d["value"]:
                continue
            ch = contract.change(self.kind, contract.UPDATE, have, dict(have, value=d["value"]))
            ch["stage"] = SCOPES.index(d["dev"])
            changes.append(ch)
            changes.extend(self._goes_with(ctx, ch))
        return plans.order(changes)

    def _goes_with(self, ctx, cause):
        """The settings the kernel changes with ``cause`` (a write to
        ``all``), as implied changes the undo writes back.  The kernel sets
        them to the new value now and to the old one when the undo writes
        ``all`` back, so each one is planned (one that holds the new value
        already changes only with the undo, which keeps it as it was)."""
        after = cause["after"]
        if after["dev"] != "all" or (after["family"], after["name"]) not in PROPAGATES:
            return []
        family, name = after["family"], after["name"]
        block = "ipv%d" % family
        c = devconf.row(block, name)
        new = c.to_kernel(after["value"])
        olds = []  # (dev, value now)
        for msg in ctx.links().values():
            obj = registry.kind("link").from_msg(msg, ctx)
            value = (obj.get(block) or {}).get(name)
            if value is not None:
                olds.append((obj["name"], value))
        files = ctx.socket(procsys.PROTOCOL)
        olds.append(("default", c.from_kernel(files.read(devconf.sysctl_path(family, "default", name)))))
        # every one: the write sets it to the new value, its undo to the old
        out = [self._implied(cause, _obj(family, dev, name, value), after["value"], value) for dev, value in olds]
        if (family, name) == (4, "forwarding"):
            # inet_forward_change: all.accept_redirects is the opposite of ip_forward
            now = devconf.row("ipv4", "accept_redirects").from_kernel(
                files.read(devconf.sysctl_path(4, "all", "accept_redirects")))
            out.append(self._implied(cause, _obj(4, "all", "accept_redirects", now), not new, now))
        return out

    def _implied(self, cause, before, value, now):
        """``before`` set to ``value`` by ``cause``; one that holds
        ``value`` already only changes when the cause is undone."""
        label = self.kind.label(cause["after"])
        same = devconf.row("ipv%d" % before["family"], before["name"]).to_kernel(now) == \
            devconf.row("ipv%d" % before["family"], before["name"]).to_kernel(value)
        note = ("kept as it is when %s is undone" if same else "set with %s") % label
        ch = contract.change(self.kind, contract.UPDATE, before, dict(before, value=now if same else value),
                             note=note)
        ch["stage"] = cause["stage"]
        if same:
            # kept as it is now, but the undo of the cause rewrites it: a
            # rollback must write it back whatever it finds (confirm/rollback.py)
            ch["rewritten"] = True
        return contract.implied(ch, cause, "setting")

    # -- results --------------------------------------------------------------

    def after(self, ctx, desired, params, current):
        if ctx.write_requests:
            current = self.reread(ctx, desired, params)
        return [current[self.kind.key(d)] for d in desired if self.kind.key(d) in current]

    def results(self, ctx, desired, params, current):
        return {self.result_key: _shape(self.after(ctx, desired, params, current))}

    def planned(self, plan, current):
        return {self.result_key: _shape(ch["after"] for ch in plan if not ch.get("implied"))}

    def gather(self, ctx, params):
        """Every setting of ``all`` and ``default`` this kernel has: fed
        back, it changes nothing (each is written only where it differs)."""
        files = ctx.socket(procsys.PROTOCOL)
        out = {}
        for scope in SCOPES:
            for block, family in sorted(devconf.BLOCKS.items()):
                for c in devconf.scope_rows(block):
                    raw = files.read(path(_obj(family, scope, c.name, None)))
                    if raw is not None:
                        out.setdefault(scope, {}).setdefault(block, {})[c.name] = c.from_kernel(raw)
        return out


__all__ = ["NetconfTask"]
