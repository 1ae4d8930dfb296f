# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-kind link settings (``bridge:``, ``vlan:``, ``vxlan:``...), declared
once: the module's argument spec, validation, kernel encoding, decoding
and the iproute2 words all come from the ``Setting`` rows below.

Units follow iproute2: bridge timers in centiseconds (``ip -d link``
prints ``forward_delay 1500``), booleans where iproute2 takes 0/1 or
on/off words.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..netlink.rtnl.link import BOND_MODES, ETH_P_8021AD, ETH_P_8021Q, MACVLAN_MODES


def _inverse(mapping):
    return dict((v, k) for k, v in mapping.items())


VLAN_PROTOCOLS = {"802.1Q": ETH_P_8021Q, "802.1ad": ETH_P_8021AD}
BOND_XMIT_HASH = {"layer2": 0, "layer3+4": 1, "layer2+3": 2, "encap2+3": 3,
                  "encap3+4": 4, "vlan+srcmac": 5}
BOND_LACP_RATE = {"slow": 0, "fast": 1}


class Setting:
    """One per-kind option.

    ``attr``: the IFLA_<KIND>_* attribute name in rtnl/link.py (None for
    settings handled by the link object itself, like a veth peer);
    ``type``: Ansible type; ``choices``: name -> kernel value for
    enumerations; ``lo``/``hi``: allowed integer range; ``mutable``: the
    kernel can change it on an existing link; ``ip``: the iproute2 word.
    """

    def __init__(self, name, attr, type="int", choices=None, lo=None, hi=None,
                 mutable=True, ip=None, ip_bool=None, default=None):
        self.name = name
        # The kernel's value for a new link.  A create leaves a setting at
        # its default out: some kernels refuse an attribute they were built
        # without (IFLA_BR_VLAN_FILTERING), even when it asks for nothing.
        self.default = default
        self.attr = attr
        self.type = type
        self.choices = choices
        self.lo = lo
        self.hi = hi
        self.mutable = mutable
        self.ip = ip or name
        self.ip_bool = ip_bool  # ("learning", "nolearning") style flags

    def to_kernel(self, value):
        if self.choices:
            return self.choices[value]
        if self.type == "bool":
            return 1 if value else 0
        return value

    def from_kernel(self, raw):
        if self.choices:
            return _inverse(self.choices).get(raw, raw)
        if self.type == "bool":
            return bool(raw)
        return raw

    def ip_words(self, value):
        if self.ip_bool:
            return [self.ip_bool[0] if value else self.ip_bool[1]]
        if self.type == "bool":
            return [self.ip, "1" if value else "0"]
        return [self.ip, str(value)]

    def validate(self, value, option):
        """Error text for a bad value, or None."""
        if self.choices and value not in self.choices:
            return "%s=%r is not one of %s" % (option, value, ", ".join(sorted(self.choices)))
        if self.type == "int" and not self.choices:
            if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
                return "%s=%r is out of range (%d-%d)" % (option, value, self.lo, self.hi)
        return None

    def argspec(self):
        spec = {"type": "str" if self.choices else self.type}
        if self.choices:
            spec["choices"] = sorted(self.choices)
        return spec


U32_MAX = 0xFFFFFFFF

SETTINGS = {
    "bridge": [
        Setting("stp", "stp_state", "bool", ip="stp_state", default=False),
        # Any value with STP off (0 is common); 200-3000 with STP on (tasks/link.py).
        Setting("forward_delay", "forward_delay", lo=0, hi=U32_MAX, default=1500),
        Setting("hello_time", "hello_time", lo=100, hi=1000, default=200),
        Setting("max_age", "max_age", lo=600, hi=4000, default=2000),
        Setting("ageing_time", "ageing_time", lo=0, hi=U32_MAX, default=30000),
        Setting("priority", "priority", lo=0, hi=65535, default=32768),
        Setting("vlan_filtering", "vlan_filtering", "bool", default=False),
        Setting("vlan_protocol", "vlan_protocol", choices=VLAN_PROTOCOLS, default="802.1Q"),
        Setting("vlan_default_pvid", "vlan_default_pvid", lo=0, hi=4094, default=1),
        Setting("mcast_snooping", "mcast_snooping", "bool", default=True),
    ],
    "veth": [
        Setting("peer", None, "str", mutable=False),
        Setting("peer_netns", None, "str", mutable=False),
    ],
    "vlan": [
        Setting("id", "id", lo=0, hi=4094, mutable=False),
        Setting("protocol", "protocol", choices=VLAN_PROTOCOLS, mutable=False),
    ],
    "macvlan": [
        Setting("mode", "mode", choices=MACVLAN_MODES),
    ],
    "vxlan": [
        Setting("id", "id", lo=0, hi=(1 << 24) - 1, mutable=False),
        Setting("remote", None, "str"),
        Setting("group", None, "str"),
        Setting("local", None, "str"),
        Setting("dev", "link", "str"),
        Setting("dstport", "port", lo=0, hi=65535, mutable=False),
        Setting("ttl", "ttl", lo=0, hi=255),
        Setting("learning", "learning", "bool", ip_bool=("learning", "nolearning")),
    ],
    "bond": [
        Setting("mode", "mode", choices=BOND_MODES),
        Setting("miimon", "miimon", lo=0, hi=U32_MAX),
        Setting("updelay", "updelay", lo=0, hi=U32_MAX),
        Setting("downdelay", "downdelay", lo=0, hi=U32_MAX),
        Setting("min_links", "min_links", lo=0, hi=U32_MAX),
        Setting("xmit_hash_policy", "xmit_hash_policy", choices=BOND_XMIT_HASH),
        Setting("lacp_rate", "ad_lacp_rate", choices=BOND_LACP_RATE),
    ],
    "vrf": [
        Setting("table", "table", lo=1, hi=U32_MAX, mutable=False),
    ],
}

# Kinds the module can create.  Links of other kinds (a physical NIC, a
# kind this collection does not know) can still be configured.
CREATABLE = ("veth", "bridge", "bond", "vlan", "macvlan", "vxlan", "vrf", "dummy", "ifb")
# Settings a kind cannot do without on creation.
REQUIRED = {"vlan": ("id",), "vxlan": ("id",)}
# Kinds that stack on a parent link (``link:``).
NEEDS_PARENT = ("vlan", "macvlan")


def by_name(kind):
    return dict((s.name, s) for s in SETTINGS.get(kind, ()))


def argspec():
    """The per-kind suboption blocks of the module's argument spec."""
    return dict(
        (kind, {"type": "dict", "options": dict((s.name, s.argspec()) for s in rows)})
        for kind, rows in SETTINGS.items()
    )
