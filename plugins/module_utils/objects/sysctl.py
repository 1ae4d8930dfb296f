# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP settings written through /proc/sys as engine objects: one setting
of one device (or of the ``all``/``default`` pseudo-devices) of the
task's namespace, ``{"family", "dev", "name", "value"}``, the value in the
input format of its row in objects/devconf.py.

Equivalent to: ``sysctl -w net.ipv6.conf.DEV.NAME=VALUE`` (inside ``ip
netns exec NS`` for a namespace).  A setting always exists while its
device does: changes are updates.  One whose ``before`` is None belongs to
a link the same plan makes: its undo is that link's delete, so it sends
nothing itself (``implied``).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from ..netlink import procsys
from . import devconf
from .iproute2 import quote


def sysctl_words(ctx):
    """The words that start a ``sysctl -w`` in ``ctx``'s namespace."""
    netns = getattr(ctx, "netns", None)
    if not netns:
        return ["sysctl", "-w"]
    if "/" in netns:
        return ["nsenter", "--net=" + quote(netns), "sysctl", "-w"]
    return ["ip", "netns", "exec", quote(netns), "sysctl", "-w"]


def _row(obj):
    return devconf.row("ipv%d" % obj["family"], obj["name"])


def path(obj):
    return devconf.sysctl_path(obj["family"], obj["dev"], obj["name"])


class SysctlKind(contract.ObjectKind):
    name = "sysctl"

    def key(self, obj):
        return (obj["family"], obj["dev"], obj["name"])

    def devices(self, obj):
        # ``all`` and ``default`` too, as the host program's NetworkManager
        # guard has always been given them (it finds no link by those names).
        return tuple(n for n in (obj.get("dev"),) if isinstance(n, str))

    def label(self, obj):
        return devconf.sysctl_name(obj["family"], obj["dev"], obj["name"])

    def protocol(self):
        return procsys.PROTOCOL

    def request(self, change, ctx):
        after = change["after"]
        return procsys.Write(path(after), _row(after).to_kernel(after["value"]), label=self.command(change, ctx))

    def command(self, change, ctx):
        obj = change["after"] if change["after"] is not None else change["before"]
        value = _row(obj).words(obj["value"])
        return " ".join(sysctl_words(ctx) + [quote("%s=%s" % (self.label(obj), value))])

    def inverse(self, change):
        out = contract.ObjectKind.inverse(self, change)
        if change["before"] is None:
            # Set on a link the plan made: undone by that link's delete.
            link = {"kind": "link", "key": [change["after"]["dev"]]}
            out = contract.implied(dict(out, op=contract.DELETE, after=None, before=change["after"]), link, "setting")
        return out

    def read(self, ctx, objs):
        files = ctx.socket(procsys.PROTOCOL)
        out = {}
        for obj in objs:
            raw = files.read(path(obj))
            if raw is not None:
                out[self.key(obj)] = dict(obj, value=_row(obj).from_kernel(raw))
        return out
