# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The link-type table: one source for every per-type block of nl_link
(``bridge:``, ``vxlan:``, ``gre:``...) and for ``bridge_port:``.

Each ``LinkType`` row lists its ``Setting``s; a setting declares what it
MEANS, and the argument spec, the documented suboptions (a unit test holds
nl_link's DOCUMENTATION to ``doc_options()``), validation, kernel encoding,
decoding and the iproute2 words all come from that declaration:

  VALUE    the attribute holds the value (an int, a bool as 0/1, or an
           enumeration through ``choices``)
  FLAG     an NLA_FLAG attribute: present means true (the kernel may dump
           it back as a u8 0/1)
  IFNAME   the attribute holds an ifindex; the option names a link
           (a parent the planner must create first, see ``parents()``)
  ADDR     an IP address: ``attr`` for IPv4, ``attr6`` for IPv6 (the same
           attribute when the kernel takes both lengths)
  BITS     a field of an integer attribute (``mask``), e.g. an ip6 tunnel's
           traffic class inside IFLA_*_FLOWINFO
  KEYED    a value whose presence is a bit in another attribute (a GRE key
           and GRE_KEY in IFLA_GRE_[IO]FLAGS)
  PEER     handled by the link object itself (a veth's peer nest)

Units follow iproute2: bridge timers in centiseconds (``ip -d link``
prints ``forward_delay 1500``), booleans where iproute2 takes 0/1 or
on/off words.  ``mutable=False`` marks what the kernel cannot change on an
existing link, as measured on the VM tier's stock kernels
(tests/vm/test_link_types_vm.py).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ..netlink.rtnl.link import (BOND_MODES, ETH_P_8021AD, ETH_P_8021Q, GRE_KEY, IPPROTO_IPIP, IPPROTO_IPV6,
                                 IPPROTO_MPLS, IPVLAN_FLAGS, IPVLAN_MODES, MACVLAN_MODES)

VALUE, FLAG, IFNAME, ADDR, BITS, KEYED, PEER = "value", "flag", "ifname", "addr", "bits", "keyed", "peer"

U32_MAX = 0xFFFFFFFF


def _inverse(mapping):
    return dict((v, k) for k, v in mapping.items())


class Setting:
    """One per-type option.

    ``attr``: the attribute name in the type's IFLA_INFO_DATA schema
    (netlink/rtnl/link.py); ``meaning``: one of the meanings above;
    ``type``: Ansible type; ``choices``: name -> kernel value; ``lo``/``hi``:
    allowed integer range; ``mutable``: the kernel changes it on an
    existing link; ``default``: the value a new link gets when the option
    is not given (for ``send_defaults`` types, what iproute2 sends);
    ``ip``: the iproute2 word; ``ip_true``/``ip_false``: the words of a
    bool; ``ip_hex``: iproute2 reads the number in base 16 (dsfield,
    tclass, flowlabel), so it is printed 0x..; ``family``: 4 or 6 for an
    ADDR that takes only one; ``secret``: True for a secret (no_log),
    False for a name that only looks like one (a GRE key is a tunnel
    identifier that ``ip -d link`` prints); ``doc``: its documentation line.
    """

    def __init__(self, name, attr=None, type="int", meaning=VALUE, choices=None, lo=None, hi=None,
                 mutable=True, default=None, ip=None, ip_true=None, ip_false=None, ip_hex=False,
                 attr6=None, mask=None, present=None, family=None, cast=None, ip_bare=False, secret=None, doc=""):
        self.name = name
        self.attr = attr
        self.type = type
        self.meaning = meaning
        self.choices = choices
        self.lo = lo
        self.hi = hi
        self.mutable = mutable
        self.default = default
        self.ip = ip or name
        self.ip_true = ip_true
        self.ip_false = ip_false
        self.ip_hex = ip_hex
        self.attr6 = attr6 or attr
        self.mask = mask
        self.present = present  # KEYED: (flags attribute, bit)
        self.family = family
        self.cast = cast  # ADDR: "unicast" or "multicast" when one attribute holds either
        self.ip_bare = ip_bare  # iproute2 takes the value alone as the word (ipvlan "private")
        self.secret = secret
        self.doc = doc

    # -- values ---------------------------------------------------------

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
        if self.ip_true is not None:
            return list(self.ip_true if value else self.ip_false)
        if self.ip_bare:
            return [str(value)]
        if self.type == "bool":
            return [self.ip, "1" if value else "0"]
        if self.ip_hex:
            return [self.ip, "0x%x" % value]
        return [self.ip, str(value)]

    def validate(self, value, option):
        """Error text for a bad value, or None."""
        if self.choices and value not in self.choices:
            return "%s=%r is not one of %s" % (option, value, ", ".join(sorted(self.choices)))
        if self.type == "int" and not self.choices:
            if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
                return "%s=%r is out of range (%d-%d)" % (option, value, self.lo, self.hi)
        if self.meaning == ADDR:
            try:
                addr = ipaddress.ip_address(value)
            except ValueError:
                return "%s=%s: not an IP address" % (option, value)
            if self.family and addr.version != self.family:
                return "%s=%s: not an IPv%d address" % (option, value, self.family)
            # One attribute holding either (IFLA_VXLAN_GROUP): the kernel
            # tells them apart by the address, so a unicast "group" would
            # read back as a remote and never converge.
            if self.cast and addr.is_multicast != (self.cast == "multicast"):
                return "%s=%s: not a %s address" % (option, value, self.cast)
        return None

    # -- argument spec and documentation -------------------------------

    def argspec(self):
        spec = {"type": "str" if self.choices else self.type}
        if self.choices:
            spec["choices"] = sorted(self.choices)
        if self.secret is not None:
            spec["no_log"] = self.secret
        return spec

    def doc_entry(self):
        text = self.doc
        if not self.mutable:
            text += " Cannot change in place."
        out = {"description": text.strip(), "type": "str" if self.choices else self.type}
        if self.choices:
            out["choices"] = sorted(self.choices)
        return out


class LinkType:
    """One link type (IFLA_INFO_KIND).

    ``parent``: "required" when the type stacks on a parent link given as
    the top-level ``link`` option, "optional" when it may; ``required``:
    settings a new link cannot do without; ``send_defaults``: the kernel's
    changelink resets whatever a request leaves out (ip tunnels, xfrm
    interfaces), so an update sends the whole block and a create sends the
    iproute2 defaults; ``creatable``: the module can create it;
    ``ip_update_always``: settings an ``ip link set ... type T`` command
    must repeat (iproute2 refuses a geneve ``set`` without ``id``, and an
    xfrm ``set`` sends only what it is given, which the kernel takes as
    the whole configuration); ``creates``: settings naming a link the
    kernel creates together with this one (a veth's ``peer``).
    """

    def __init__(self, name, settings=(), parent=None, required=(), send_defaults=False, doc="",
                 creatable=True, ip_update_always=(), creates=()):
        self.name = name
        self.settings = list(settings)
        self.parent = parent
        self.required = tuple(required)
        self.send_defaults = send_defaults
        self.doc = doc
        self.creatable = creatable
        self.ip_update_always = tuple(ip_update_always)
        self.creates = tuple(creates)
        self.by_name = dict((s.name, s) for s in self.settings)


def _b(name, attr, doc, default=None, mutable=True, **kw):
    return Setting(name, attr, "bool", doc=doc, default=default, mutable=mutable, **kw)


def _onoff(name, attr, doc):
    """A bridge port bool: iproute2 spells it ``NAME on|off``."""
    return Setting(name, attr, "bool", ip_true=(name, "on"), ip_false=(name, "off"), doc=doc)


def _tunnel_endpoints(family):
    return [
        Setting("remote", "remote", "str", ADDR, family=family,
                doc="Remote endpoint (IPv%d); unset for a tunnel that takes any remote." % family),
        Setting("local", "local", "str", ADDR, family=family, doc="Local endpoint (IPv%d)." % family),
        Setting("dev", "link", "str", IFNAME, doc="Underlay link the tunnel is bound to."),
    ]


def _gre_keys():
    return [
        Setting("ikey", "ikey", meaning=KEYED, present=("iflags", GRE_KEY), lo=0, hi=U32_MAX, secret=False,
                doc="Key of received packets (GRE_KEY set in the input flags)."),
        Setting("okey", "okey", meaning=KEYED, present=("oflags", GRE_KEY), lo=0, hi=U32_MAX, secret=False,
                doc="Key of sent packets (GRE_KEY set in the output flags)."),
        Setting("key", None, lo=0, hi=U32_MAX, secret=False,
                doc="Shorthand for the same C(ikey) and C(okey); read back as those two."),
    ]


def _v4_tunnel(modes=None):
    """ipip/sit (with ``modes``) and gre/gretap.  Their mode is immutable:
    measured on the VM kernels, a changelink with another IFLA_IPTUN_PROTO
    is accepted and ignored (ip_tunnel_update keeps the protocol)."""
    rows = _tunnel_endpoints(4) + [
        Setting("ttl", "ttl", lo=0, hi=255, default=0, doc="TTL of the outer packets (0 inherits)."),
        Setting("tos", "tos", lo=0, hi=255, default=0, ip_hex=True,
                doc="TOS of the outer packets (1 inherits)."),
        _b("pmtudisc", "pmtudisc", "Path MTU discovery (the DF bit on outer packets).", default=True,
           ip_true=("pmtudisc",), ip_false=("nopmtudisc",)),
    ]
    if modes:
        rows.append(Setting("mode", "proto", choices=modes, default="any", mutable=False,
                            doc="Inner protocols carried (iproute2's default: any)."))
    return rows


def _v6_tunnel():
    return _tunnel_endpoints(6) + [
        Setting("ttl", "ttl", lo=0, hi=255, default=64, ip="hoplimit",
                doc="Hop limit of the outer packets (0 inherits; iproute2's default 64)."),
        Setting("tclass", "flowinfo", meaning=BITS, mask=0x0FF00000, lo=0, hi=255, default=0, ip_hex=True,
                doc="Traffic class of the outer packets."),
        Setting("flowlabel", "flowinfo", meaning=BITS, mask=0x000FFFFF, lo=0, hi=0xFFFFF, default=0,
                ip_hex=True, doc="Flow label of the outer packets."),
        Setting("encaplimit", "encap_limit", lo=0, hi=255, default=4,
                doc="Tunnel encapsulation limit option (iproute2's default 4)."),
    ]


VLAN_PROTOCOLS = {"802.1Q": ETH_P_8021Q, "802.1ad": ETH_P_8021AD}
BOND_XMIT_HASH = {"layer2": 0, "layer3+4": 1, "layer2+3": 2, "encap2+3": 3,
                  "encap3+4": 4, "vlan+srcmac": 5}
BOND_LACP_RATE = {"slow": 0, "fast": 1}
IPIP_MODES = {"ipip": IPPROTO_IPIP, "mplsip": IPPROTO_MPLS, "any": 0}
SIT_MODES = {"ip6ip": IPPROTO_IPV6, "ipip": IPPROTO_IPIP, "mplsip": IPPROTO_MPLS, "any": 0}
IP6TNL_MODES = {"ip6ip6": IPPROTO_IPV6, "ipip6": IPPROTO_IPIP, "any": 0}

TYPES = [
    LinkType("veth", [
        Setting("peer", None, "str", PEER, mutable=False,
                doc="Name of the other end, created with the link. Required to create a veth."),
        Setting("peer_netns", None, "str", PEER, mutable=False,
                doc="Network namespace to put the other end in on creation, by name or absolute path, like "
                    "O(netns); it must exist. The kernel reports such a peer only by the namespace's id and the "
                    "peer's ifindex there; the task asks the kernel which id this namespace has (RTM_GETNSID) "
                    "and the peer's name there (one RTM_GETLINK), so a second run compares equal whatever "
                    "spelling (name or path) names the namespace. Gathered output names the namespace as "
                    "C(ip netns) lists it, and leaves the peer out when its namespace has no name there."),
    ], creates=("peer",), doc="Settings of a veth pair."),
    LinkType("bridge", [
        _b("stp", "stp_state", "Spanning tree on or off.", default=False, ip="stp_state"),
        Setting("forward_delay", "forward_delay", lo=0, hi=U32_MAX, default=1500,
                doc="Forward delay in centiseconds (200-3000 with STP on; any value with STP off)."),
        Setting("hello_time", "hello_time", lo=100, hi=1000, default=200, doc="Hello time (100-1000 centiseconds)."),
        Setting("max_age", "max_age", lo=600, hi=4000, default=2000, doc="Max message age (600-4000 centiseconds)."),
        Setting("ageing_time", "ageing_time", lo=0, hi=U32_MAX, default=30000,
                doc="FDB entry ageing time (centiseconds)."),
        Setting("priority", "priority", lo=0, hi=65535, default=32768, doc="Bridge priority (0-65535)."),
        _b("vlan_filtering", "vlan_filtering", "VLAN filtering on or off.", default=False),
        Setting("vlan_protocol", "vlan_protocol", choices=VLAN_PROTOCOLS, default="802.1Q",
                doc="VLAN protocol used for filtering."),
        Setting("vlan_default_pvid", "vlan_default_pvid", lo=0, hi=4094, default=1,
                doc="Default PVID of ports (0-4094)."),
        _b("mcast_snooping", "mcast_snooping", "Multicast snooping on or off.", default=True),
    ], doc="Bridge settings (units as in C(ip -d link), timers in centiseconds)."),
    LinkType("vlan", [
        Setting("id", "id", lo=0, hi=4094, mutable=False, doc="VLAN id (0-4094)."),
        Setting("protocol", "protocol", choices=VLAN_PROTOCOLS, mutable=False,
                doc="VLAN protocol (default 802.1Q)."),
    ], parent="required", required=("id",), doc="802.1Q/802.1ad VLAN settings; needs O(link)."),
    LinkType("macvlan", [
        Setting("mode", "mode", choices=MACVLAN_MODES, doc="Macvlan mode."),
    ], parent="required", doc="Macvlan settings; needs O(link)."),
    LinkType("vxlan", [
        Setting("id", "id", lo=0, hi=(1 << 24) - 1, mutable=False,
                doc="VXLAN network identifier (0-16777215)."),
        Setting("remote", "group", "str", ADDR, attr6="group6", cast="unicast",
                doc="Unicast remote endpoint (IPv4 or IPv6); a multicast address is refused (use O(vxlan.group))."),
        Setting("group", "group", "str", ADDR, attr6="group6", cast="multicast",
                doc="Multicast group (IPv4 or IPv6); a unicast address is refused (use O(vxlan.remote))."),
        Setting("local", "local", "str", ADDR, attr6="local6", doc="Local source address."),
        Setting("dev", "link", "str", IFNAME, doc="Underlay link."),
        Setting("dstport", "port", lo=0, hi=65535, mutable=False, doc="UDP destination port (4789 is the IANA port)."),
        Setting("ttl", "ttl", lo=0, hi=255, doc="TTL of the outer packets (0 lets the route decide)."),
        _b("ttl_inherit", "ttl_inherit", "Copy the inner packet's TTL to the outer header (C(ttl inherit)).",
           meaning=FLAG, default=False, mutable=False, ip_true=("ttl", "inherit"), ip_false=()),
        _b("learning", "learning", "Learn remote MAC addresses from traffic.",
           ip_true=("learning",), ip_false=("nolearning",)),
    ], required=("id",), doc="VXLAN settings."),
    LinkType("bond", [
        # The kernel's defaults, left out of a create: some options are
        # refused in modes they do not apply to (lacp_rate outside 802.3ad),
        # even at their default value, which a re-creation by undo sends.
        Setting("mode", "mode", choices=BOND_MODES, default="balance-rr",
                doc="Bonding mode (the kernel changes it only while the bond is down and has no ports)."),
        Setting("miimon", "miimon", lo=0, hi=U32_MAX, default=0, doc="MII link monitoring interval (ms)."),
        Setting("updelay", "updelay", lo=0, hi=U32_MAX, default=0,
                doc="Delay before enabling a port after link up (ms)."),
        Setting("downdelay", "downdelay", lo=0, hi=U32_MAX, default=0,
                doc="Delay before disabling a port after link down (ms)."),
        Setting("min_links", "min_links", lo=0, hi=U32_MAX, default=0,
                doc="Minimum number of active ports for carrier."),
        Setting("xmit_hash_policy", "xmit_hash_policy", choices=BOND_XMIT_HASH, default="layer2",
                doc="Transmit hash policy."),
        Setting("lacp_rate", "ad_lacp_rate", choices=BOND_LACP_RATE, default="slow",
                doc="LACPDU rate asked of the partner in 802.3ad mode."),
    ], doc="Bonding settings."),
    LinkType("vrf", [
        Setting("table", "table", lo=1, hi=U32_MAX, mutable=False, doc="Routing table of the VRF."),
    ], required=("table",), doc="VRF settings."),
    LinkType("dummy"),
    LinkType("ifb"),
    LinkType("gre", _v4_tunnel() + _gre_keys(), send_defaults=True,
             doc="GRE tunnel (IPv4 underlay, layer 3) settings; C(ip link add NAME type gre ...)."),
    LinkType("gretap", _v4_tunnel() + _gre_keys(), send_defaults=True,
             doc="GRE tunnel (IPv4 underlay) carrying Ethernet frames."),
    LinkType("ip6gre", _v6_tunnel() + _gre_keys(), send_defaults=True,
             doc="GRE tunnel over IPv6 (layer 3)."),
    LinkType("ip6gretap", _v6_tunnel() + _gre_keys(), send_defaults=True,
             doc="GRE tunnel over IPv6 carrying Ethernet frames."),
    LinkType("ipip", _v4_tunnel(IPIP_MODES), send_defaults=True, doc="IPv4-in-IPv4 tunnel settings."),
    LinkType("sit", _v4_tunnel(SIT_MODES), send_defaults=True,
             doc="SIT tunnel (IPv6, and with O(sit.mode) other protocols, over IPv4)."),
    LinkType("ip6tnl", _v6_tunnel() + [
        Setting("mode", "proto", choices=IP6TNL_MODES, default="any",
                doc="Inner protocols carried (iproute2's default: any)."),
    ], send_defaults=True, doc="IPv4/IPv6-over-IPv6 tunnel settings."),
    LinkType("geneve", [
        Setting("id", "id", lo=0, hi=(1 << 24) - 1, mutable=False, doc="Virtual network identifier (0-16777215)."),
        Setting("remote", "remote", "str", ADDR, attr6="remote6", doc="Remote endpoint (IPv4 or IPv6)."),
        Setting("ttl", "ttl", lo=0, hi=255, doc="TTL of the outer packets (0 lets the route decide)."),
        Setting("tos", "tos", lo=0, hi=255, ip_hex=True, doc="TOS of the outer packets (1 inherits)."),
        Setting("dstport", "port", lo=0, hi=65535, mutable=False, doc="UDP destination port (default 6081)."),
    ], required=("id", "remote"), ip_update_always=("id",), doc="Geneve tunnel settings."),
    LinkType("ipvlan", [
        Setting("mode", "mode", choices=IPVLAN_MODES, doc="Ipvlan mode (the kernel's default is l3)."),
        Setting("flags", "flags", choices=IPVLAN_FLAGS, default="bridge", ip_bare=True,
                doc="Traffic between ipvlans of one parent: bridge (default), private or vepa."),
    ], parent="required", doc="Ipvlan settings; needs O(link)."),
    LinkType("xfrm", [
        Setting("if_id", "if_id", lo=1, hi=U32_MAX, doc="XFRM interface id: the if_id of the SAs and policies "
                "routed through this interface."),
        Setting("dev", "link", "str", IFNAME, doc="Underlay link."),
    ], required=("if_id",), send_defaults=True, ip_update_always=("if_id", "dev"),
        doc="XFRM interface (route-based IPsec) settings."),
]

# Bridge-port settings: IFLA_INFO_SLAVE_DATA of a port of a bridge
# (slave kind "bridge"), ``ip link set dev X type bridge_slave ...``.
BRIDGE_PORT = LinkType("bridge_port", [
    Setting("cost", "cost", lo=1, hi=U32_MAX, doc="STP path cost of the port."),
    Setting("priority", "priority", lo=0, hi=63, doc="STP port priority (0-63)."),
    _onoff("learning", "learning", "Learn source MAC addresses on the port."),
    _onoff("flood", "unicast_flood", "Flood unknown unicast to the port."),
    _onoff("mcast_flood", "mcast_flood", "Flood unknown multicast to the port."),
    _onoff("bcast_flood", "bcast_flood", "Flood broadcast to the port."),
    _onoff("isolated", "isolated", "Isolated port: it forwards only to non-isolated ports."),
    _onoff("hairpin", "mode", "Send frames back out of the port they came in on."),
    _onoff("neigh_suppress", "neigh_suppress", "ARP/ND suppression on the port."),
    _onoff("proxy_arp", "proxyarp", "Proxy ARP on the port."),
    _onoff("guard", "guard", "BPDU guard: disable the port when it receives STP BPDUs."),
    _onoff("root_block", "protect", "Root port protection: the port can never become root port."),
], doc="Settings of the link as a port of its bridge (IFLA_BRPORT_*); needs a bridge O(master).")

BY_TYPE = dict((t.name, t) for t in TYPES)

# Compatibility views of the table, for the planner.
SETTINGS = dict((t.name, t.settings) for t in TYPES if t.settings)
CREATABLE = tuple(t.name for t in TYPES if t.creatable)
REQUIRED = dict((t.name, t.required) for t in TYPES if t.required)
NEEDS_PARENT = tuple(t.name for t in TYPES if t.parent == "required")
# Options of an item that are blocks of the table (per type, and bridge_port).
BLOCKS = tuple(SETTINGS) + ("bridge_port",)


def link_type(kind):
    return BY_TYPE.get(kind)


def block_rows(block):
    """The settings of a block option (a type name or "bridge_port")."""
    if block == "bridge_port":
        return BRIDGE_PORT.settings
    return SETTINGS.get(block, ())


def by_name(kind):
    return dict((s.name, s) for s in block_rows(kind))


def validate_block(block, value, where):
    """The normalised settings of one block (``key`` expands to ikey and
    okey); raises ValueError with a message naming the option and value."""
    rows = by_name(block)
    out = {}
    for name, v in value.items():
        if name not in rows:
            raise ValueError("%s%s: unknown option" % (where, name))
        if v is None:
            continue
        err = rows[name].validate(v, where + name)
        if err:
            raise ValueError(err)
        out[name] = v
    if "key" in out:
        key = out.pop("key")
        for name in ("ikey", "okey"):
            if out.get(name, key) != key:
                raise ValueError("%skey=%s and %s=%s: give the one key, or ikey and okey"
                                 % (where, key, name, out[name]))
            out[name] = key
    if block == "vxlan":
        if out.get("remote") and out.get("group"):
            raise ValueError("%sremote=%s and group=%s: a vxlan has a remote or a multicast group, not both"
                             % (where, out["remote"], out["group"]))
    return out


def named_links(obj):
    """(option, name) of every link ``obj`` (an nl_link object) names: its
    ``master``, its parent ``link`` and every IFNAME setting of its type
    block (``vxlan.dev``, a tunnel's ``dev``).  An item that gives no kind
    (a link configured, not created) is read by the blocks it gives."""
    out = [(option, obj.get(option)) for option in ("master", "link")]
    kind = obj.get("kind")
    kinds = [kind] if kind else [k for k in SETTINGS if isinstance(obj.get(k), dict)]
    for k in kinds:
        block = obj.get(k)
        for s in block_rows(k) if isinstance(block, dict) else ():
            if s.meaning == IFNAME:
                out.append(("%s.%s" % (k, s.name), block.get(s.name)))
    return [(option, name) for option, name in out if name]


def parents(obj):
    """Names of the links ``obj`` depends on (``named_links``): the
    planner creates these first."""
    out = []
    for _option, name in named_links(obj):
        if name not in out:
            out.append(name)
    return out


def created_with(item):
    """Names of the links that come into being with ``item`` (an nl_link
    item or object) besides ``item`` itself: a veth's peer.  Wherever the
    peer goes: a ``peer_netns`` may name the very namespace the item is
    applied in, and a peer created elsewhere is still no device to wait
    for.  Nothing for an item without ``kind`` (it creates nothing)."""
    kind = item.get("kind")
    t = BY_TYPE.get(kind) if kind else None
    block = item.get(kind) if t else None
    if not isinstance(block, dict):
        return []
    return [block[name] for name in t.creates if isinstance(block.get(name), str) and block[name]]


def block_spec(block):
    """The argument spec of one block's settings."""
    return dict((s.name, s.argspec()) for s in block_rows(block))


def item_plain(block):
    """Whether nl_link's ``links[]`` items take ``block`` as a plain dict,
    its settings documented once, at the top level (the task converts and
    checks them with block_spec()).  Not a block with a secret: only an
    argument spec entry marks a value no_log."""
    return not any(s.secret for s in block_rows(block))


def argspec(item=False):
    """The block options of the module's argument spec; ``item``: for an
    item of ``links`` (see item_plain)."""
    return dict((block, {"type": "dict"} if item and item_plain(block)
                 else {"type": "dict", "options": block_spec(block)})
                for block in BLOCKS)


def _semantic(block, names, entry):
    """A setting's doc entry with semantic markup for its block: the table
    writes a sibling setting as C(ikey) (one text serves several blocks);
    the module's documentation makes it O(gre.ikey), which antsibull-docs
    links and checks."""
    def ref(m):
        return "O(%s.%s)" % (block, m.group(1)) if m.group(1) in names else m.group(0)
    return dict(entry, description=re.sub(r"C\(([a-z_]+)\)", ref, entry["description"]))


def _type_doc(t):
    names = set(s.name for s in t.settings)
    return {"description": t.doc, "type": "dict",
            "suboptions": dict((s.name, _semantic(t.name, names, s.doc_entry())) for s in t.settings)}


def doc_options():
    """The block options as nl_link's DOCUMENTATION must document them."""
    out = dict((t.name, _type_doc(t)) for t in TYPES if t.settings)
    out["bridge_port"] = _type_doc(BRIDGE_PORT)
    return out
