# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_link's ``ipv4:``/``ipv6:`` blocks on the task side: validation of
what is given, and what ``state: gathered`` shows of them.

Gathered shows a setting only where the device's value differs from the
namespace's ``default`` (net.ipv4.conf.default.*, net.ipv6.conf.default.*):
what a link gets when it is made, so what is left is what someone set on
it.  Fed back, that changes nothing (its values are the device's own; the
rest is not named, so not compared), and a saved state does not pin every
device to the defaults of the day it was gathered.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
except ImportError:  # the host program (host_cli/), where Ansible is not installed
    ArgumentSpecValidator = None

from .. import contract
from . import argspec
from ..netlink import procsys
from ..objects import devconf

OPTIONS = tuple(devconf.BLOCKS)
# What a link has when nothing set it, where no file of ``default`` says.
_UNSET = {("ipv6", "token"): "::"}


def block(name, value, where):
    """The ``ipv4``/``ipv6`` block of one item, normalised; an item of
    ``links`` gives it as a plain dict (its settings are documented once,
    at the top level), converted as AnsibleModule converts the top-level
    block."""
    if not isinstance(value, dict):
        raise contract.ValidationError("%s: a dict is required, got %r" % (where.rstrip("."), value))
    unknown = sorted(k for k in value if k not in devconf.ROWS[name])
    if unknown:
        raise contract.ValidationError("%s%s: unknown option (known: %s)"
                                       % (where, unknown[0], ", ".join(sorted(devconf.ROWS[name]))))
    if where.startswith("links["):
        spec = devconf.block_spec(name)
        if ArgumentSpecValidator is None:
            value = argspec.normalize(spec, value, where)
        else:
            result = ArgumentSpecValidator(spec).validate(value)
            if result.error_messages:
                raise contract.ValidationError("%s %s" % (where[:-1] + ":", result.error_messages[0]))
            value = result.validated_parameters
    try:
        return devconf.validate(name, value, where) or None
    except ValueError as exc:
        raise contract.ValidationError(str(exc))


def defaults(ctx):
    """The namespace's ``default`` settings, block -> name -> value (read
    from /proc/sys in the task's namespace; a file this kernel lacks is
    left out, so the setting always shows)."""
    files = ctx.socket(procsys.PROTOCOL)
    out = {}
    for name, family in devconf.BLOCKS.items():
        got = out[name] = {}
        for c in devconf.rows(name):
            if (name, c.name) in _UNSET:
                got[c.name] = _UNSET[(name, c.name)]
                continue
            try:
                raw = files.read(devconf.sysctl_path(family, "default", c.name))
            except procsys.ProcSysError:
                raw = None
            if raw is not None:
                got[c.name] = c.from_kernel(raw)
    return out


def compact(obj, defaults_):
    """``obj``'s blocks with only the settings that differ from the
    namespace's defaults (blocks left empty go)."""
    for name in devconf.BLOCKS:
        have = obj.get(name)
        if not isinstance(have, dict):
            continue
        base = defaults_.get(name) or {}
        kept = dict((k, v) for k, v in have.items() if k not in base or base[k] != v)
        if kept:
            obj[name] = kept
        else:
            obj.pop(name)
    return obj


def follow_links(changes):
    """Give each sysctl change the stage of the link change it follows in
    ``changes`` (split puts it right after): it runs after its link's
    request, in a batch of its own (another interface)."""
    stage = None
    for ch in changes:
        if ch["kind"] == "link":
            stage = ch["stage"]
        elif ch["kind"] == "sysctl" and stage is not None:
            ch["stage"] = stage


def as_ahead(current, ahead):
    """``current`` (key -> link) with the IP settings an earlier step of a
    transaction leaves (engine/ahead.py): a write to ``all.forwarding``
    sets every link's, which nl_netconf plans as implied sysctl changes,
    so the links step plans against the value the link will have, not the
    one it read."""
    if not ahead:
        return current
    for obj in current.values():
        for block in ("ipv4", "ipv6"):
            values = obj.get(block)
            if not isinstance(values, dict):
                continue
            for name in list(values):
                known, after = ahead.final("sysctl", (int(block[3]), obj["name"], name))
                if known and after is not None:
                    values[name] = after["value"]
    return current


def check_has_blocks(item, have, where):
    """A setting of a family the existing link has no IP layer of (the
    kernel reports none: an MTU below 68 for IPv4, below 1280 or IPv6
    turned off at boot for IPv6) is refused before anything changes."""
    for name in OPTIONS:
        if item.get(name) and have.get(name) is None:
            family = "IPv%d" % devconf.BLOCKS[name]
            raise contract.ValidationError("%s%s: link %s has no %s (its MTU is too small for it, or %s is off "
                                           "in this kernel), so no %s settings" % (where, name, item["name"],
                                                                                   family, family, family))
