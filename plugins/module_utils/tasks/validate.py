# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input validators shared by the tasks.  Each raises ValidationError
with a message that names the option and the value."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import socket

from .. import contract

IFNAMSIZ = 16
# Names the kernel refuses for a new link (measured on 6.18: EINVAL), because
# they are the per-device sysctl directories every link shares
# (net.ipv4.conf.all, net.ipv4.conf.default): no link can ever have them.
RESERVED_IFNAMES = ("all", "default")


def fail(option, value, why):
    raise contract.ValidationError("%s=%s: %s" % (option, value, why))


def list_item(where, item, known, what):
    """A list option's item: a dict (``what`` says of what) with only the
    ``known`` keys; a copy the caller may change."""
    if not isinstance(item, dict):
        fail(where, item, "not a dict of %s" % what)
    unknown = sorted(str(k) for k in item if k not in known)
    if unknown:
        fail(where, item, "unknown key(s) %s (known: %s)" % (", ".join(unknown), ", ".join(known)))
    return dict(item)


def truth(value):
    """True or False for a boolean given as a word (yes/no, true/false,
    on/off, 1/0, any case, or the numbers 1 and 0); None for anything else."""
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1"):
        return True
    if text in ("no", "false", "off", "0"):
        return False
    return None


def validate_ifname(value, option):
    """A link name the kernel can hold as it is (dev_valid_name() in
    net/core/dev.c, iproute2's check_ifname()), so that a second run finds
    the link by the name the first one gave."""
    if not isinstance(value, str) or not value:
        raise contract.ValidationError("%s=%r: a link name is a non-empty string" % (option, value))
    if len(value.encode("utf-8")) >= IFNAMSIZ:
        raise contract.ValidationError("%s=%s: a link name has at most %d bytes" % (option, value, IFNAMSIZ - 1))
    blank = any(c.isspace() or not c.isprintable() for c in value)
    if value in (".", "..") or blank or any(c in "/:" for c in value):
        raise contract.ValidationError("%s=%s: a link name cannot be '.', '..' or contain '/', ':' or spaces"
                                       % (option, repr(value) if blank else value))
    if "%" in value:
        # The kernel takes "veth%d" as a template and picks the number
        # itself: the link never has the name asked for, and every run
        # would create another one.
        raise contract.ValidationError("%s=%s: a link name cannot contain '%%' (the kernel reads it as a "
                                       "name template like veth%%d and picks the name itself)" % (option, value))
    if value in RESERVED_IFNAMES:
        raise contract.ValidationError("%s=%s: the kernel refuses the link names %s (they are the "
                                       "net.ipv4.conf.all/default sysctl directories)"
                                       % (option, value, " and ".join(RESERVED_IFNAMES)))


def validate_mac(value, option):
    parts = value.replace("-", ":").split(":")
    try:
        octets = [int(p, 16) for p in parts]
    except ValueError:
        octets = []
    if len(octets) != 6 or any(len(p) not in (1, 2) for p in parts):
        raise contract.ValidationError("%s=%s: not a MAC address (like 02:00:00:00:00:01)" % (option, value))
    if octets[0] & 1:
        raise contract.ValidationError("%s=%s: a multicast MAC address cannot be a link's address" % (option, value))
    return ":".join("%02x" % o for o in octets)


def check_int(value, option, lo, hi):
    if not isinstance(value, int) or value < lo or value > hi:
        raise contract.ValidationError("%s=%r is out of range (%d-%d)" % (option, value, lo, hi))


def parse_ip(value, option, allow_prefix=True):
    """``value`` as an ipaddress interface (IPv4 or IPv6, ``/prefix``
    optional: a host address without it)."""
    if not isinstance(value, str) or not value.strip():
        raise contract.ValidationError("%s: %r is not an IP address" % (option, value))
    text = value.strip()
    if "/" in text and not allow_prefix:
        raise contract.ValidationError("%s: %r must be a plain address, without /prefix" % (option, value))
    try:
        return ipaddress.ip_interface(text)
    except ValueError as exc:
        raise contract.ValidationError("%s: %r is not a valid IP address[/prefix] (%s)" % (option, value, exc))


def canonical_ip(ip):
    """The text the kernel's side uses for ``ip`` (inet_ntop, as the IP
    codec decodes), so desired and current objects compare as strings."""
    fam = socket.AF_INET if ip.version == 4 else socket.AF_INET6
    return socket.inet_ntop(fam, ip.packed)
