# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A link's ``ipv4:`` and ``ipv6:`` blocks (its IP settings, objects/
devconf.py) inside the link object: read from RTM_GETLINK's IFLA_AF_SPEC,
sent in the link's RTM_NEWLINK where the kernel takes them over netlink,
and split off as ``sysctl`` changes (objects/sysctl.py) where it takes
them only through /proc/sys.

Equivalent to: ``sysctl -w net.ipv4.conf.DEV.NAME=VALUE`` (and
``net.ipv6.conf.DEV.NAME``), ``ip link set dev DEV addrgenmode MODE``,
``ip token set TOKEN dev DEV``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import contract
from . import devconf
from .iproute2 import ip_prefix, quote
from .sysctl import sysctl_words

_NO_TOKEN = "::"


def decode_into(obj, af_spec):
    """Set ``obj``'s ``ipv4``/``ipv6`` blocks from the link's decoded
    IFLA_AF_SPEC (a link without an in_device, like one of MTU below 68,
    has no ``ipv4``)."""
    inet = af_spec.get("inet") or {}
    if isinstance(inet.get("conf"), list):
        obj["ipv4"] = devconf.decode("ipv4", inet["conf"])
    inet6 = af_spec.get("inet6") or {}
    if isinstance(inet6.get("conf"), list):
        obj["ipv6"] = devconf.decode("ipv6", inet6["conf"], inet6)
        if obj["ipv6"].get("mtu") == obj.get("mtu"):
            del obj["ipv6"]["mtu"]  # follows the link's (with_implicit)


def with_implicit(obj):
    """``obj`` with what its blocks leave out because it follows another
    field: the IPv6 MTU, shown only where it is not the link's MTU (the
    kernel sets it with the link's, so a link object that showed it would
    differ from itself after an MTU change)."""
    six = obj.get("ipv6")
    if not isinstance(six, dict) or "mtu" in six or obj.get("mtu") is None:
        return obj
    return dict(obj, ipv6=dict(six, mtu=obj["mtu"]))


def _changed(before, after, block):
    """(row, value) of the settings of ``block`` that ``after`` sets to
    another value than ``before`` has (all it sets when ``before`` has no
    such block: a link this change makes or re-makes)."""
    old = (before or {}).get(block) or {}
    new = (after or {}).get(block) or {}
    out = []
    for c in devconf.rows(block):
        value = new.get(c.name)
        if value is None or old.get(c.name) == value:
            continue
        if c.name == "token" and value == _NO_TOKEN and not old:
            continue  # a new link has no token; the kernel refuses one on some (NOARP)
        out.append((c, value))
    return out


def af_spec(before, after):
    """The IFLA_AF_SPEC an update sends for the settings the kernel takes
    over netlink (IFLA_INET_CONF; IFLA_INET6_ADDR_GEN_MODE and _TOKEN)."""
    out = {}
    conf = dict((c.index, c.to_kernel(v)) for c, v in _changed(before, after, "ipv4") if c.via == devconf.NETLINK)
    if conf:
        out["inet"] = {"conf": conf}
    for c, v in _changed(before, after, "ipv6"):
        if c.via == devconf.ATTR:
            out.setdefault("inet6", {})[c.name] = c.to_kernel(v)
    return out


def _writes(change):
    """The sysctl changes that carry ``change``'s settings written through
    /proc/sys; their before is None for a link the change makes."""
    before, after = change["before"], change["after"]
    out = []
    for block, family in sorted(devconf.BLOCKS.items()):
        for c, v in _changed(before, after, block):
            if c.via != devconf.PROC:
                continue
            old = ((before or {}).get(block) or {}).get(c.name)
            dev = after["name"]
            b = None if old is None else {"family": family, "dev": dev, "name": c.name, "value": old}
            a = {"family": family, "dev": dev, "name": c.name, "value": v}
            ch = {"kind": "sysctl", "op": contract.UPDATE, "key": [family, dev, c.name], "before": b,
                  "after": a, "stage": change["stage"]}
            out.append(ch)
    return out


def _netlink_part_empty(change):
    """Whether ``change`` (an update) changes nothing but settings written
    through /proc/sys: then its RTM_NEWLINK would carry nothing."""
    def strip(obj):
        out = contract.public(obj) or {}
        out = dict(out)
        for block in devconf.BLOCKS:
            if isinstance(out.get(block), dict):
                out[block] = dict((k, v) for k, v in out[block].items()
                                  if devconf.row(block, k).via != devconf.PROC)
        return out
    before, after = change["before"], change["after"]
    return (strip(before) == strip(after)
            and (before.get("kernel") or {}).get("addr_gen_mode") == (after.get("kernel") or {}).get("addr_gen_mode"))


def with_writes(parts):
    """``parts`` (a link change as split into requests) with each update's
    /proc/sys settings as sysctl changes right after it; an update left
    with nothing to send over netlink goes."""
    out = []
    for ch in parts:
        if ch["op"] != contract.UPDATE or ch["kind"] != "link":
            out.append(ch)
            continue
        writes = _writes(ch)
        if not (writes and _netlink_part_empty(ch)):
            out.append(ch)
        out.extend(writes)
    return out


def command(ctx, before, after):
    """The sysctl/ip words for the settings an update sends over netlink
    (those written through /proc/sys are commands of their own)."""
    assign = []
    extra = []
    for block, family in sorted(devconf.BLOCKS.items()):
        for c, v in _changed(before, after, block):
            if c.via == devconf.NETLINK:
                assign.append("%s=%s" % (devconf.sysctl_name(family, after["name"], c.name), c.words(v)))
            elif c.name == "addr_gen_mode":
                extra.append("%s link set dev %s addrgenmode %s" % (ip_prefix(ctx), quote(after["name"]), v))
            elif c.name == "token":
                extra.append("%s token set %s dev %s" % (ip_prefix(ctx), v, quote(after["name"])))
    parts = []
    if assign:
        parts.append(" ".join(sysctl_words(ctx) + [quote(a) for a in assign]))
    return " && ".join(parts + extra)
