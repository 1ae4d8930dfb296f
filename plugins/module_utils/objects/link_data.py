# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A block of the link-type table (``gre: {...}``, ``bridge_port: {...}``)
<-> its attribute dict (IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA as the
schema in netlink/rtnl/link.py decodes it), and <-> iproute2 words.

Every conversion follows the settings' declared meaning (link_types.py);
nothing here knows a link type by name.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from .iproute2 import quote
from .link_types import ADDR, BITS, FLAG, IFNAME, KEYED, PEER, VALUE

_ANY_ADDR = ("0.0.0.0", "::")


def _shift(mask):
    return (mask & -mask).bit_length() - 1


def _addr_matches(s, addr):
    if not s.cast:
        return True
    return ipaddress.ip_address(addr).is_multicast == (s.cast == "multicast")


def decode(rows, data, ifname):
    """The block of ``rows`` that ``data`` (a decoded attribute dict)
    holds; ``ifname(index)`` names an ifindex."""
    out = {}
    for s in rows:
        m = s.meaning
        if m == PEER or s.attr is None:
            continue
        if m == ADDR:
            for attr in (s.attr, s.attr6):
                addr = data.get(attr)
                if isinstance(addr, str) and addr not in _ANY_ADDR and _addr_matches(s, addr):
                    out[s.name] = addr
            continue
        if s.attr not in data:
            continue
        raw = data[s.attr]
        if m == VALUE:
            out[s.name] = s.from_kernel(raw)
        elif m == FLAG:
            out[s.name] = bool(raw)
        elif m == IFNAME:
            if raw:
                out[s.name] = ifname(raw)
        elif m == BITS:
            out[s.name] = (raw & s.mask) >> _shift(s.mask)
        elif m == KEYED:
            flags_attr, bit = s.present
            if data.get(flags_attr, 0) & bit:
                out[s.name] = raw
    return out


def owned_attrs(rows):
    """Attributes a block's settings set whole (BITS and KEYED flags share
    theirs with what the table does not express)."""
    out = set()
    for s in rows:
        if s.attr and s.meaning in (VALUE, FLAG, IFNAME, ADDR, KEYED):
            out.add(s.attr)
            out.add(s.attr6)
    return out


def extras(rows, data):
    """What ``data`` holds beyond the block: the attributes no setting
    owns, as plain JSON-safe values.  Types whose kernel changelink resets
    what a request leaves out need them re-sent (an object's ``kernel``
    block carries them)."""
    owned = owned_attrs(rows)
    return dict((k, v) for k, v in data.items()
                if isinstance(k, str) and k not in owned and isinstance(v, (bool, int, str)))


def encode(t_rows, block, index, create, send_defaults=False, base=None):
    """The attribute dict for ``block``.

    ``index(name, option)`` resolves an IFNAME setting; ``create``: a new
    link, where a value equal to the kernel's default is left out (some
    kernels refuse an attribute they were built without, even when it asks
    for nothing), unless ``send_defaults`` (the type takes every setting
    in each request: defaults are sent when not given, as iproute2 does);
    ``base``: attributes to start from (``extras``).
    """
    data = dict(base or {})
    for s in t_rows:
        v = block.get(s.name)
        if v is None and create and send_defaults:
            v = s.default
        if v is None or s.meaning == PEER or s.attr is None:
            continue
        if create and not send_defaults and v == s.default:
            continue
        m = s.meaning
        if m == VALUE:
            data[s.attr] = s.to_kernel(v)
        elif m == FLAG:
            # NLA_FLAG: the attribute's presence is the value (a u8 here
            # gets ERANGE from the kernel's policy).
            if v:
                data[s.attr] = True
            else:
                data.pop(s.attr, None)
        elif m == IFNAME:
            data[s.attr] = index(v, s.name)
        elif m == ADDR:
            data[s.attr6 if ":" in v else s.attr] = v
        elif m == BITS:
            data[s.attr] = (data.get(s.attr, 0) & ~s.mask) | ((v << _shift(s.mask)) & s.mask)
        elif m == KEYED:
            flags_attr, bit = s.present
            data[s.attr] = v
            data[flags_attr] = data.get(flags_attr, 0) | bit
    return data


def words(rows, block, create):
    """iproute2 words for ``block`` (settings in table order); a create
    leaves out what equals the default (iproute2 applies the same)."""
    out = []
    for s in rows:
        v = block.get(s.name)
        if v is None or s.meaning == PEER or (create and v == s.default):
            continue
        out += [quote(w) for w in s.ip_words(v)]
    return out
