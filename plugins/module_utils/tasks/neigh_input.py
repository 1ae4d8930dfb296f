# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_neigh's input: one entry (top-level options or a ``neighbours``
item) -> a validated neighbour object in the kind's format
(objects/neigh.py), protocol names resolved through the host's rt_protos
files.  Every error names the option (``neighbours[2].lladdr``) and the
value."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket

from ..netlink.rtnl.neigh import NUD
from ..netlink.rtnl.route import RTPROT
from ..objects import rt_names
from ..objects.neigh import DYNAMIC_NUD, STATIC_NUD
from .validate import fail, parse_ip, truth, validate_ifname

# The options that describe one entry (top level or a ``neighbours`` item).
ENTRY_OPTIONS = ("dev", "dst", "lladdr", "nud", "proxy", "router", "extern_learn", "protocol")
ITEM_KEYS = ENTRY_OPTIONS + ("state",)
# Top-level options that are defaults for every item that does not set them.
SHARED = ("dev", "nud", "protocol")
FLAGS = ("proxy", "router", "extern_learn")
SETTABLE_NUD = STATIC_NUD + DYNAMIC_NUD
DEFAULT_NUD = "permanent"
DEFAULT_PROTOCOL = "static"
FAMILY_WORDS = {"4": 4, "6": 6, "inet": 4, "inet6": 6, "ipv4": 4, "ipv6": 6}
# MAX_ADDR_LEN (linux/netdevice.h): the longest link-layer address.
MAX_ADDR_LEN = 32


def boolean(option, value):
    if value is None or isinstance(value, bool):
        return bool(value)
    word = truth(value)
    if word is None:
        fail(option, value, "not a boolean")
    return word


def family_word(option, value):
    fam = FAMILY_WORDS.get(str(value).strip().lower())
    if fam is None:
        fail(option, value, "not a family; use 4 (inet) or 6 (inet6)")
    return fam


def protocol(option, value):
    return RTPROT.name_of(rt_names.number("rt_protos", value, option, builtin=RTPROT, limit=255))


def address(option, value):
    """A plain IPv4 or IPv6 address as the kernel writes it (inet_ntop):
    inet_pton first (a 10,000-entry task parses 10,000 of them; ipaddress
    costs ten times more), parse_ip's words when it is not one."""
    if isinstance(value, str):
        text = value.strip()
        for family in (socket.AF_INET, socket.AF_INET6):
            try:
                packed = socket.inet_pton(family, text)
            except (OSError, ValueError):
                continue
            if not any(bytearray(packed)):
                fail(option, value, "the unspecified address has no neighbour entry")
            return socket.inet_ntop(family, packed)
    parse_ip(value, option, allow_prefix=False)   # raises, naming what is wrong
    fail(option, value, "not an IPv4 or IPv6 address")   # valid for ipaddress only (a scope id)


def lladdr(option, value):
    """A link-layer address as the kernel reports it: hex octets joined by
    ':' (``02:00:00:00:00:09``; ``-`` is taken too), lowercase.  Its
    length is checked against the device's once it is read."""
    text = str(value).strip().lower().replace("-", ":") if isinstance(value, str) else None
    parts = text.split(":") if text else []
    ok = 0 < len(parts) <= MAX_ADDR_LEN and all(1 <= len(p) <= 2 and all(c in "0123456789abcdef" for c in p)
                                                for p in parts)
    if not ok:
        fail(option, value, "not a link-layer address (hex octets like 02:00:00:00:00:09)")
    return ":".join("%02x" % int(p, 16) for p in parts)


def nud(option, value):
    word = str(value).strip().lower()
    if word not in SETTABLE_NUD:
        fail(option, value, "not a state an entry is set to; use %s" % ", ".join(SETTABLE_NUD))
    return word


def gathered_nud(option, value):
    """``nud`` with state=gathered: which entries to list, as ``ip neigh
    show nud STATE`` takes it (one state, or ``all``)."""
    word = str(value).strip().lower()
    if word != "all" and word not in NUD.bits and word != "none":
        fail(option, value, "not a state to list; use all or one of none, %s" % ", ".join(sorted(NUD.bits)))
    return word


def entry(raw, where, state, defaults):
    """One entry from ``raw`` (option -> value) -> the kind's object with
    its ``state``.  ``where(option)`` is how the option is named in
    messages; ``defaults`` the shared top-level options.  A present entry
    is complete (nud permanent and protocol static by default, flags
    off); an absent one needs only its identity (dev, dst, proxy)."""
    present = state == "present"
    get = raw.get
    dev = get("dev") if get("dev") is not None else defaults.get("dev")
    if dev is None:
        fail(where("dev"), None, "required: the device of the entry")
    validate_ifname(dev, where("dev"))
    if get("dst") is None:
        fail(where("dst"), None, "required: the IP address the entry resolves")
    obj = {"dev": dev, "dst": address(where("dst"), get("dst"))}
    for flag in FLAGS:
        obj[flag] = boolean(where(flag), get(flag))
    proxy = obj["proxy"]
    if proxy:
        for option in ("lladdr", "nud", "extern_learn"):
            if get(option) not in (None, False):
                fail(where(option), get(option), "a proxy entry (proxy=true) has no %s" % option)
    obj["lladdr"] = None
    if get("lladdr") is not None:
        obj["lladdr"] = lladdr(where("lladdr"), get("lladdr"))
    elif present and not proxy:
        fail(where("lladdr"), None, "required with state present: the link-layer address %s resolves to" % obj["dst"])
    obj["nud"] = None
    if not proxy:
        given = get("nud") if get("nud") is not None else defaults.get("nud")
        obj["nud"] = nud(where("nud"), given) if given is not None else DEFAULT_NUD
    given = get("protocol") if get("protocol") is not None else defaults.get("protocol")
    obj["protocol"] = protocol(where("protocol"), given if given is not None else DEFAULT_PROTOCOL)
    obj["state"] = state
    if not present:
        # absent: the identity is what counts, and the protocol whose
        # entry it may delete; the rest is not compared
        obj.update(lladdr=None, nud=None, router=None, extern_learn=None)
    return obj
