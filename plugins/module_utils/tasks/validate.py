# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input validators shared by the tasks.  Each raises ValidationError
with a message that names the option and the value."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .. import reconcile

IFNAMSIZ = 16


def validate_ifname(value, option):
    if not isinstance(value, str) or not value:
        raise reconcile.ValidationError("%s=%r: a link name is a non-empty string" % (option, value))
    if len(value.encode("utf-8")) >= IFNAMSIZ:
        raise reconcile.ValidationError("%s=%s: a link name has at most %d bytes" % (option, value, IFNAMSIZ - 1))
    if value in (".", "..") or any(c in value for c in "/: \t\n"):
        raise reconcile.ValidationError("%s=%s: a link name cannot be '.', '..' or contain '/', ':' or spaces"
                                        % (option, value))


def validate_mac(value, option):
    parts = value.replace("-", ":").split(":")
    try:
        octets = [int(p, 16) for p in parts]
    except ValueError:
        octets = []
    if len(octets) != 6 or any(len(p) not in (1, 2) for p in parts):
        raise reconcile.ValidationError("%s=%s: not a MAC address (like 02:00:00:00:00:01)" % (option, value))
    if octets[0] & 1:
        raise reconcile.ValidationError("%s=%s: a multicast MAC address cannot be a link's address" % (option, value))
    return ":".join("%02x" % o for o in octets)


def check_int(value, option, lo, hi):
    if not isinstance(value, int) or value < lo or value > hi:
        raise reconcile.ValidationError("%s=%r is out of range (%d-%d)" % (option, value, lo, hi))
