# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IP settings of a device (nl_link's ``ipv4:`` and ``ipv6:`` blocks)
and of a namespace's ``all``/``default`` pseudo-devices: one table, named
as the sysctl files under net/ipv4/conf/DEV/ and net/ipv6/conf/DEV/ are.

Each ``Conf`` row says where the kernel reports the value and how it is
written:

- ``index``: its place in the array the kernel reports in RTM_GETLINK
  under IFLA_AF_SPEC: for IPv4, IFLA_INET_CONF holds u32 values in the
  order of IPV4_DEVCONF_* (linux/ip.h, 1-based: value i is at [i - 1]);
  for IPv6, IFLA_INET6_CONF holds s32 values in the order of DEVCONF_*
  (linux/ipv6.h, 0-based).  tests/integration/objects/test_devconf_table.py
  holds every index to the sysctl file of the same name.
- ``via``: NETLINK (IPv4: IFLA_INET_CONF in an RTM_NEWLINK, nested u32
  attributes typed by the 1-based index), PROC (the sysctl file in the
  task's namespace, netlink/procsys.py) or an IFLA_INET6_* attribute of
  its own (``addr_gen_mode``, ``token``).

An IPv4 setting whose sysctl handler does more than store the value is
written through its file, so that it means what ``sysctl -w`` means:
``forwarding`` (turns LRO off, notifies routing daemons with
RTM_NEWNETCONF, flushes cached routes), ``rp_filter``, ``proxy_arp`` and
``ignore_routes_with_linkdown`` (RTM_NEWNETCONF), ``accept_local``,
``route_localnet``, ``bc_forwarding``, ``disable_xfrm``,
``disable_policy`` and ``promote_secondaries`` (cached routes flushed).
The kernel's netlink setter (inet_set_link_af) only stores values.

Values are what the input format takes: a bool for an on/off setting, a
name for one with named values (``rp_filter: loose``), an integer in range
for the rest.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ..netlink.rtnl.link import IN6_ADDR_GEN_MODES

NETLINK, PROC, ATTR = "netlink", "proc", "attr"
BLOCKS = {"ipv4": 4, "ipv6": 6}
RP_FILTER = {"off": 0, "strict": 1, "loose": 2}
INT_MAX = 2 ** 31 - 1


class Conf:
    """One setting: ``name`` (the sysctl file), ``family`` 4 or 6,
    ``index`` (see the module docstring), ``type`` ("bool", "int",
    "choice", "addr"), ``choices`` (name -> kernel value), ``lo``/``hi``,
    ``via``, and its documentation line."""

    def __init__(self, name, family, index, type="bool", via=NETLINK, choices=None, lo=None, hi=None, doc=""):
        self.name = name
        self.family = family
        self.index = index
        self.type = type
        self.via = via
        self.choices = choices
        self.lo = lo
        self.hi = hi
        self.doc = doc

    @property
    def block(self):
        return "ipv%d" % self.family

    # -- values ----------------------------------------------------------

    def from_kernel(self, raw):
        """The input-format value of the kernel's integer."""
        if self.type == "bool" and raw in (0, 1):
            return bool(raw)
        if self.choices:
            for name, value in self.choices.items():
                if value == raw:
                    return name
        return raw

    def to_kernel(self, value):
        if self.type == "bool" or isinstance(value, bool):
            return 1 if value else 0
        if self.choices and value in self.choices:
            return self.choices[value]
        return value

    def normalise(self, value, option):
        """``value`` as the table keeps it, or ValueError naming
        ``option`` and the value."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            if value in (0, 1):
                return bool(value)
            if isinstance(value, int) and -INT_MAX - 1 <= value <= INT_MAX:
                return value  # as the kernel may hold it (from_kernel): any int, nonzero is on
            raise ValueError("%s=%r: must be a boolean (true or false)" % (option, value))
        if self.type == "choice":
            text = str(value).strip().lower() if not isinstance(value, bool) else None
            for name, number in self.choices.items():
                if text == name or text == str(number):
                    return name
            raise ValueError("%s=%r is not one of %s (or %s)" % (
                option, value, ", ".join(self.choices), ", ".join(str(v) for v in self.choices.values())))
        if self.type == "addr":
            return _token(value, option)
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except ValueError:
                raise ValueError("%s=%r: must be an integer" % (option, value))
        if self.lo is not None and value < self.lo or self.hi is not None and value > self.hi:
            raise ValueError("%s=%r is out of range (%d-%d)" % (option, value, self.lo, self.hi))
        return value

    def words(self, value):
        """The value as sysctl prints it."""
        return str(self.to_kernel(value))

    # -- argument spec and documentation ----------------------------------

    def argspec(self):
        if self.type == "bool":
            return {"type": "bool"}
        if self.type in ("choice", "int"):
            return {"type": "raw"} if self.type == "choice" else {"type": "int"}
        return {"type": "str", "no_log": False}  # a token is an interface identifier, not a secret

    def doc_entry(self):
        text = self.doc
        kind = {"bool": "bool", "int": "int", "addr": "str", "choice": "raw"}[self.type]
        if self.type == "int" and self.lo is not None:
            text += " %d to %d." % (self.lo, self.hi)
        if self.type == "choice":
            names = ", ".join("V(%s)" % c for c in self.choices)
            numbers = ", ".join("V(%d)" % v for v in self.choices.values())
            text += " One of %s (or %s)." % (names, numbers)
        return {"description": text.strip(), "type": kind}


def _token(value, option):
    """An IPv6 token: the interface identifier (the low 64 bits) that
    SLAAC puts after an advertised prefix; ``::`` clears it."""
    try:
        addr = ipaddress.IPv6Address(str(value))
    except ValueError:
        raise ValueError("%s=%r: not an IPv6 token (an address like ::1:2:3:4)" % (option, value))
    if int(addr) >> 64:
        raise ValueError("%s=%s: a token is the low 64 bits only (like ::1:2:3:4); the kernel drops the rest"
                         % (option, value))
    return str(addr)


def _v4(name, index, doc, via=NETLINK, **kw):
    return Conf(name, 4, index, via=via, doc=doc, **kw)


def _v6(name, index, doc, via=PROC, **kw):
    return Conf(name, 6, index, via=via, doc=doc, **kw)


IPV4 = [
    _v4("forwarding", 1, "Forward IPv4 packets that arrive on this device (routing).", via=PROC),
    _v4("proxy_arp", 3, "Answer ARP requests for addresses this host routes elsewhere.", via=PROC),
    _v4("accept_redirects", 4, "Accept ICMP redirects."),
    _v4("secure_redirects", 5, "Accept ICMP redirects only from gateways of the default route list."),
    _v4("send_redirects", 6, "Send ICMP redirects (as a router)."),
    _v4("shared_media", 7, "The device's medium is shared with other IP subnets (redirects for them)."),
    _v4("rp_filter", 8, "Reverse path filter (RFC 3704): V(strict) drops packets whose source is not routed back "
        "through this device, V(loose) those whose source is not routed back at all.", via=PROC, type="choice",
        choices=RP_FILTER),
    _v4("accept_source_route", 9, "Accept packets with the source route option."),
    _v4("bootp_relay", 10, "Accept packets with source 0.b.c.d for a BOOTP relay."),
    _v4("log_martians", 11, "Log packets with impossible addresses."),
    _v4("arp_filter", 13, "Answer ARP only on the device the reply would be routed through."),
    _v4("disable_xfrm", 15, "No IPsec encryption on this device.", via=PROC),
    _v4("disable_policy", 16, "No IPsec policy check on this device.", via=PROC),
    _v4("arp_announce", 18, "Source address choice in ARP requests (0 any, 1 avoid off-subnet, 2 best local).",
        type="int", lo=0, hi=2),
    _v4("arp_ignore", 19, "Which ARP requests to answer (0 any local address, 1 only for addresses of this device, "
        "2 also in the sender's subnet, 3 not scope host, 8 none).", type="int", lo=0, hi=8),
    _v4("promote_secondaries", 20, "Promote a secondary address when the primary is removed.", via=PROC),
    _v4("arp_accept", 21, "Gratuitous ARP: 0 drop, 1 create neighbour entries, 2 only for addresses in a subnet "
        "of this device.", type="int", lo=0, hi=2),
    _v4("arp_notify", 22, "Send gratuitous ARP when the device comes up or its address changes."),
    _v4("accept_local", 23, "Accept packets with a local source address.", via=PROC),
    _v4("src_valid_mark", 24, "The packet mark counts in the reverse path check."),
    _v4("proxy_arp_pvlan", 25, "Proxy ARP for hosts of the same device (private VLAN)."),
    _v4("route_localnet", 26, "Route 127.0.0.0/8 to and from this device.", via=PROC),
    _v4("ignore_routes_with_linkdown", 29, "Ignore routes through this device while it has no carrier.", via=PROC),
    _v4("drop_unicast_in_l2_multicast", 30, "Drop IP unicast packets in link-layer multicast frames."),
    _v4("drop_gratuitous_arp", 31, "Drop all gratuitous ARP frames."),
    _v4("bc_forwarding", 32, "Forward directed broadcasts.", via=PROC),
    _v4("arp_evict_nocarrier", 33, "Flush ARP entries when the device loses carrier."),
]

IPV6 = [
    _v6("forwarding", 0, "Forward IPv6 packets from this device; also makes it behave as a router (no router "
        "advertisements accepted unless C(accept_ra) is 2)."),
    _v6("hop_limit", 1, "Default hop limit of packets sent.", type="int", lo=1, hi=255),
    _v6("mtu", 2, "IPv6 MTU (at least 1280, at most the link's MTU).", type="int", lo=1280, hi=INT_MAX),
    _v6("accept_ra", 3, "Router advertisements: 0 ignore, 1 accept unless forwarding, 2 accept even when "
        "forwarding.", type="int", lo=0, hi=2),
    _v6("accept_redirects", 4, "Accept ICMPv6 redirects (ignored when forwarding)."),
    _v6("autoconf", 5, "Make addresses from prefixes in router advertisements (SLAAC)."),
    _v6("dad_transmits", 6, "Duplicate address detection probes per address.", type="int", lo=0, hi=INT_MAX),
    _v6("use_tempaddr", 10, "Privacy extensions (RFC 8981): 0 off, 1 make temporary addresses, 2 also prefer them (-1 on "
        "loopback and point-to-point links).",
        type="int", lo=-1, hi=2),
    _v6("accept_ra_defrtr", 17, "Take a default route from router advertisements."),
    _v6("accept_ra_pinfo", 18, "Take prefix information from router advertisements."),
    _v6("proxy_ndp", 22, "Proxy neighbour discovery (for the proxy entries of C(ip -6 neigh add proxy))."),
    _v6("accept_source_route", 24, "Source-routed packets: below 0 drop all, 0 accept only type 2 (mobile IPv6), "
        "above 0 accept.", type="int", lo=-1, hi=1),
    _v6("disable_ipv6", 26, "Turn IPv6 off on this device (its IPv6 addresses go)."),
    _v6("accept_dad", 27, "Duplicate address detection: 0 off, 1 on, 2 on and IPv6 off on this device when a "
        "link-local duplicate is found (the kernel shows -1 on loopback).", type="int", lo=-1, hi=2),
    _v6("ignore_routes_with_linkdown", 39, "Ignore routes through this device while it has no carrier."),
    _v6("keep_addr_on_down", 42, "Keep addresses when the device goes down: 1 keep, 0 as the C(all) setting, "
        "below 0 flush.", type="int", lo=-1, hi=1),
    _v6("addr_gen_mode", None, "How the link-local address is made (C(ip link set addrgenmode)); V(none) makes "
        "none.", via=ATTR, type="choice", choices=IN6_ADDR_GEN_MODES),
    _v6("token", None, "The interface identifier SLAAC uses (C(ip token set)), the low 64 bits of an IPv6 address "
        "like V(::1:2:3:4); V(::) clears it. The kernel takes one only while the device accepts router "
        "advertisements.", via=ATTR, type="addr"),
]

BY_BLOCK = {"ipv4": IPV4, "ipv6": IPV6}
ROWS = dict((block, dict((c.name, c) for c in rows)) for block, rows in BY_BLOCK.items())


def rows(block):
    return BY_BLOCK[block]


def row(block, name):
    return ROWS[block][name]


def _value_map(c):
    """kernel int -> input value for the ints that read otherwise (None:
    every int reads as itself): decode() maps a whole array per link."""
    if c.type == "bool":
        return {0: False, 1: True}
    if c.choices:
        return dict((v, k) for k, v in c.choices.items())
    return None


# block -> [(name, place in the kernel's array, value map)], for decode()
_ARRAY = dict((block, [(c.name, c.index - 1 if c.family == 4 else c.index, _value_map(c))
                       for c in rs if c.index is not None]) for block, rs in BY_BLOCK.items())
_EXTRA = dict((block, [c for c in rs if c.index is None]) for block, rs in BY_BLOCK.items())


def decode(block, conf, extra=None):
    """The block as the input format reads it, from the kernel's array
    ``conf`` (the ints of IFLA_INET_CONF / IFLA_INET6_CONF) and, for IPv6,
    ``extra`` (the IFLA_INET6_* attributes, for addr_gen_mode and token).
    Settings the array is too short for (an older kernel) are left out.
    Runs for every link of every dump: a table walk, no call per value."""
    out = {}
    size = len(conf)
    for name, at, values in _ARRAY[block]:
        if at < size:
            raw = conf[at]
            out[name] = raw if values is None else values.get(raw, raw)
    if extra is not None:
        for c in _EXTRA[block]:
            if extra.get(c.name) is not None:
                out[c.name] = c.from_kernel(extra[c.name])
    return out


def validate(block, value, where):
    """A block of settings as given (a dict), normalised; ValueError names
    the option (``where`` + name) and the value."""
    if not isinstance(value, dict):
        raise ValueError("%s: a dict is required, got %r" % (where.rstrip("."), value))
    out = {}
    for name, v in value.items():
        c = ROWS[block].get(name)
        if c is None:
            raise ValueError("%s%s: unknown option (known: %s)" % (where, name, ", ".join(sorted(ROWS[block]))))
        if v is None:
            continue
        out[name] = c.normalise(v, where + name)
    return out


def sysctl_path(family, dev, name):
    """The file under /proc/sys of setting ``name`` of device ``dev`` (or
    of ``all``/``default``)."""
    return "net/ipv%d/conf/%s/%s" % (family, dev, name)


def sysctl_name(family, dev, name):
    """The name ``sysctl`` takes for it: dotted, or with slashes when the
    device name has a dot (a VLAN like eth0.100), which sysctl would read
    as a separator.  IPv4 forwarding of ``all`` is the one everybody knows
    as net.ipv4.ip_forward (the same variable, the same handler)."""
    if (family, dev, name) == (4, "all", "forwarding"):
        return "net.ipv4.ip_forward"
    if "." in dev:
        return sysctl_path(family, dev, name)
    return "net.ipv%d.conf.%s.%s" % (family, dev, name)


def argspec():
    return dict((block, {"type": "dict", "options": dict((c.name, c.argspec()) for c in rs)})
                for block, rs in BY_BLOCK.items())


def block_spec(block):
    return dict((c.name, c.argspec()) for c in BY_BLOCK[block])


BLOCK_DOC = {
    "ipv4": "The link's IPv4 settings, named as the files of C(net.ipv4.conf.NAME) are (C(sysctl -w "
            "net.ipv4.conf.NAME.SETTING=VALUE)), in the task's namespace. Only those given are compared and set.",
    "ipv6": "The link's IPv6 settings, named as the files of C(net.ipv6.conf.NAME) are (C(sysctl -w "
            "net.ipv6.conf.NAME.SETTING=VALUE)), in the task's namespace. Only those given are compared and set.",
}


def doc_options():
    """The ``ipv4``/``ipv6`` options as nl_link's DOCUMENTATION documents
    them (scripts/gen_nl_link_docs.py writes them, a unit test checks)."""
    return dict((block, {"description": BLOCK_DOC[block], "type": "dict",
                         "suboptions": dict((c.name, c.doc_entry()) for c in rs)})
                for block, rs in BY_BLOCK.items())


# The namespace's pseudo-devices (nl_netconf): ``all`` (combined with or
# overriding each device's value, as each setting's kernel documentation
# says; net.ipv4.ip_forward is all's forwarding) and ``default`` (what a new
# device starts with).  Settings that exist per device only have no file there.
SCOPES = ("all", "default")
PER_DEVICE = (("ipv6", "token"),)


def scope_rows(block):
    """The settings of ``block`` that ``all`` and ``default`` have."""
    return [c for c in BY_BLOCK[block] if (block, c.name) not in PER_DEVICE]


SCOPE_DOC = {
    "all": "The settings of C(net.ipv4.conf.all) and C(net.ipv6.conf.all); V(ipv4.forwarding) is "
           "C(net.ipv4.ip_forward). How each counts beside a link's own value is the kernel's rule for it "
           "(some are combined with it, some override it, some are ignored).",
    "default": "The settings of C(net.ipv4.conf.default) and C(net.ipv6.conf.default): what a link made "
               "afterwards starts with (an IPv4 one also reaches the links that never had it set).",
}


def scope_doc_options():
    """nl_netconf's ``ipv4``/``ipv6`` blocks (the same under ``all`` and
    ``default``), as its DOCUMENTATION documents them."""
    return dict((block, {"description": "The IPv%d settings, named as the files of C(net.ipv%d.conf.SCOPE) are."
                         % (BLOCKS[block], BLOCKS[block]), "type": "dict",
                         "suboptions": dict((c.name, c.doc_entry()) for c in scope_rows(block))})
                for block in BY_BLOCK)
