# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE) as engine objects:
kernel message <-> the nl_route input format, requests and the equivalent
``ip route`` commands.

A route object, in the module's own input format (plain data)::

    {"family": 4, "dst": "10.0.0.0/8" | "default", "table": "main" | 100,
     "tos": 0, "metric": 0, "type": "unicast", "protocol": "static",
     "scope": "global", "gateway": "192.0.2.1", "dev": "eth0",
     "src": "192.0.2.10", "onlink": False, "pref": None,
     "src_prefix": None, "nhid": None,
     "nexthops": [{"gateway": "192.0.2.1", "dev": "eth0", "weight": 1}],
     "metrics": {"mtu": 1400, "lock": ["mtu"]}, "expires": None,
     "encap": None}

``src`` is RTA_PREFSRC (iproute2's ``src``); ``src_prefix`` is RTA_SRC,
the IPv6 source prefix (iproute2's ``from``).  ``pref`` is the IPv6
router preference.  ``expires`` (IPv6) is the lifetime in whole seconds
(what remains of it, read back).  Fields the kernel did not report are
None.

Encapsulation (RTA_ENCAP, lightweight tunnels: mpls, seg6, ip, ...) is
not modelled as input: ``encap`` names its type when the kernel holds
one (on the route or any of its next hops), and the raw attributes travel
in the object's hidden ``kernel`` block (``{"encap": {"type", "data"},
"hop_encap": [...]}``, data as hex), so that a delete is undone with the
encapsulation it had.  Tasks refuse to replace such a route (a replace
would strip it).

A route using a nexthop object (``nhid``) is read without the gateway,
device and next hops the kernel reports beside RTA_NH_ID (they belong to
the nexthop object, and the kernel refuses them together with an id).

Names and numbers: ``type``, ``protocol``, ``scope``, ``table`` and
``pref`` take the names of the schema's enums (netlink/rtnl/route.py) or
numbers; read back they are names where the enum has one.  ``type`` must
be a name (``ip route`` takes no number for it).  Commands print the
words ``ip`` takes on any host: a protocol's name only when iproute2 has
it built in (``mrouted`` prints as 17), scope 0 as ``global``.
``metrics.rto_min`` (milliseconds) is always locked, as iproute2 does and
as the kernel's TCP needs; its lock is never listed in ``metrics.lock``.

Identity follows the kernel: (family, table, dst, tos, metric) and, for
IPv6, the source prefix, and for an IPv6 route through a device alone
(``is_device_route``) the device: the kernel keeps such routes that
differ only by device apart.  Kernel defaults are normalised: table main
is 254, an IPv6 route without a metric has metric 1024.  Everything else
(type, protocol, scope, gateway, device, metrics...) changes in place
with NLM_F_REPLACE (``ip route replace``), but an IPv6 device route is
added with NLM_F_APPEND and never replaced (tasks/route.py deletes and
appends it again).

Equivalent to: ``ip route add|append|replace|del ...``; they differ only
in message type and flags.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import struct

from .. import contract
from ..netlink import const as C
from ..netlink.rtnl import route as R
from ..netlink.socket import Request
from .dies_with_link import DiesWithLink
from .enums import enum_number
from .iproute2 import CommandLabel, ip_words, quote

FAMILIES = {C.AF_INET: 4, C.AF_INET6: 6}
AF = {4: C.AF_INET, 6: C.AF_INET6}
IP6_DEFAULT_METRIC = 1024

# Route origins iproute2 names without any /etc/iproute2/rt_protos file
# (its built-in table, lib/rt_names.c rtnl_rtprot_tab); ``proto`` prints
# any other protocol as its number, which ``ip`` always takes (RTPROT_MROUTED
# has a uapi name but no iproute2 one: ``proto mrouted`` fails).
IPROUTE2_RTPROTS = frozenset((
    "unspec", "redirect", "kernel", "boot", "static", "gated", "ra", "mrt", "zebra", "bird",
    "babel", "dnrouted", "xorp", "ntk", "dhcp", "keepalived", "bgp", "isis", "ospf", "rip", "eigrp"))

# RTAX_* number -> (object field, iproute2 word), in iproute2's print order.
METRIC_WORDS = (
    (2, "mtu", "mtu"), (3, "window", "window"), (4, "rtt", "rtt"), (5, "rttvar", "rttvar"),
    (6, "ssthresh", "ssthresh"), (7, "cwnd", "cwnd"), (8, "advmss", "advmss"),
    (9, "reordering", "reordering"), (10, "hoplimit", "hoplimit"), (11, "initcwnd", "initcwnd"),
    (12, "features", "features"), (13, "rto_min", "rto_min"), (14, "initrwnd", "initrwnd"),
    (15, "quickack", "quickack"), (16, "cc_algo", "congctl"),
    (17, "fastopen_no_cookie", "fastopen_no_cookie"),
)
METRIC_NUMBERS = dict((field, num) for num, field, word in METRIC_WORDS)
METRIC_ORDER = [(field, word) for num, field, word in METRIC_WORDS]
RTAX_FEATURE_ECN = 1
# rto_min (milliseconds) is always sent locked, as ``ip route ... rto_min
# T`` does (it takes no ``lock`` word there): the kernel's TCP uses a
# route's rto_min only when its RTAX_LOCK bit is set (tcp_rto_min():
# dst_metric_locked).  So its lock is implied and never listed in ``lock``.
ALWAYS_LOCKED = ("rto_min",)

# LWTUNNEL_ENCAP_* (linux/lwtunnel.h enum lwtunnel_encap_types), in
# iproute2's words (``ip route ... encap TYPE``).
ENCAP_TYPES = {1: "mpls", 2: "ip", 3: "ila", 4: "ip6", 5: "seg6", 6: "bpf", 7: "seg6local",
               8: "rpl", 9: "ioam6", 10: "xfrm"}
MPLS_IPTUNNEL_DST = 1  # linux/mpls_iptunnel.h
# rta_cacheinfo.rta_expires is in clock_t (USER_HZ) units.
USER_HZ = os.sysconf("SC_CLK_TCK")
# The fields that say where a route's packets go: given together, compared
# and replaced together (a new gateway drops the old next hops).
PATH_FIELDS = ("gateway", "dev", "onlink", "nexthops", "nhid")

# The route types, by name: ``ip route`` takes a type only as a word
# before the destination (``ip route add blackhole X``), never a number.
ROUTE_TYPES = tuple(name for num, name in sorted(R.RTN_TYPE.names.items()))


def protocol_word(value):
    """A route/rule protocol as ``ip`` takes it without rt_protos files:
    its name when iproute2 has it built in, else its number."""
    number = enum_number(R.RTPROT, value)
    name = R.RTPROT.name_of(number)
    return name if name in IPROUTE2_RTPROTS else str(number)


def table_name(tid):
    """Kernel table id -> the input format (names for the reserved tables
    iproute2 knows: default, main, local)."""
    return R.RT_TABLE.name_of(tid)


# The builtin table names (and None: main) -> ids, for table_id().
_TABLE_IDS = dict(R.RT_TABLE.numbers)
_TABLE_IDS[None] = R.RT_TABLE_MAIN


def table_id(table):
    """The input format's table (name, number or numeric string) -> id;
    None is main."""
    if isinstance(table, int) and not isinstance(table, bool):
        return table
    found = _TABLE_IDS.get(table)  # hot (every key()): main, local, default, None
    if found is not None:
        return found
    return enum_number(R.RT_TABLE, table)


# Number -> name maps of the enums from_msg() reads (Enum.names).
_TABLE_NAMES = R.RT_TABLE.names
_TYPE_NAMES = R.RTN_TYPE.names
_PROTO_NAMES = R.RTPROT.names
_SCOPE_NAMES = R.RT_SCOPE.names


def route_type(obj):
    """The route's type name (default unicast).  A number or an unknown name
    is refused: ``ip route`` takes only the names."""
    rtype = obj.get("type")
    if rtype is None:
        return "unicast"
    name = R.RTN_TYPE.name_of(rtype) if isinstance(rtype, int) else rtype
    if name not in R.RTN_TYPE.numbers:
        raise contract.ValidationError("type=%s: not a route type; use one of %s"
                                       % (rtype, ", ".join(ROUTE_TYPES)))
    return name


def family_of(obj):
    fam = obj.get("family")
    if fam:
        return fam
    for field in ("dst", "gateway", "src", "src_prefix"):
        v = obj.get(field)
        if v and v != "default":
            return 6 if ":" in v else 4
    return 4


def parse_prefix(value, family):
    """"default" / "a.b.c.d/len" / "a.b.c.d" -> (address or None, len)."""
    if value in (None, "default", "all", "any"):
        return None, 0
    if "/" in value:
        addr, plen = value.split("/", 1)
        return addr, int(plen)
    return value, 32 if family == 4 else 128


def metric_of(obj):
    """The route's priority with the kernel's default (IPv6: 1024)."""
    m = obj.get("metric")
    if m:
        return m
    return IP6_DEFAULT_METRIC if family_of(obj) == 6 else 0


def default_scope(obj):
    """The scope iproute2 (and this library) gives a new route without
    one: host for local/nat, link for broadcast/multicast/anycast and for
    a unicast route without a gateway, else global."""
    rtype = route_type(obj)
    if rtype in ("local", "nat"):
        return "host"
    if rtype in ("broadcast", "multicast", "anycast"):
        return "link"
    if rtype == "unicast" and not obj.get("gateway") and not obj.get("nexthops") and not obj.get("nhid"):
        return "link"
    return "global"


def _gw_family(addr):
    return 6 if ":" in addr else 4


def metrics_differ(want, have):
    """Whether the metrics given in ``want`` (and its lock list, when
    given) are not those of ``have``."""
    for name, value in want.items():
        if name == "lock":
            if value is not None and sorted(value) != sorted(have.get("lock") or []):
                return True
        elif value is not None and have.get(name) != value:
            return True
    return False


def is_sibling(obj):
    """Whether ``obj`` may be one next hop of an IPv6 multipath route:
    the kernel joins only unicast routes through a gateway
    (rt6_qualify_for_ecmp); IPv6 routes that differ only by device (each
    link's fe80::/64) are separate routes."""
    return (obj["family"] == 6 and obj["type"] == "unicast" and not obj.get("nhid")
            and bool(obj.get("gateway") or obj.get("nexthops")))


# Types of route that go through a device (a reject route's device is
# the loopback, set by the kernel): None is unicast.
DEVICE_ROUTE_TYPES = (None, "unicast", "local", "anycast", "multicast")


def is_device_route(obj):
    """Whether ``obj`` is an IPv6 route through a device alone (unicast,
    or local/anycast/multicast of the local table, with a ``dev`` and no
    gateway, next hops or nexthop id).  The kernel keeps such
    routes that differ only by device as separate routes (each link's
    fe80::/64, ff00::/8; ip6_fib.c fib6_add_rt2node joins only gateway
    routes as siblings, rt6_qualify_for_ecmp), so the device is part of their
    identity: they are added with NLM_F_APPEND (``ip -6 route append``: a
    create with NLM_F_EXCL fails if any route of that destination and
    metric exists) and never replaced (NLM_F_REPLACE takes the first
    route of that metric, whatever its device)."""
    get = obj.get
    return ((get("family") or family_of(obj)) == 6 and get("type") in DEVICE_ROUTE_TYPES and bool(get("dev"))
            and not get("gateway") and not get("nexthops") and not get("nhid"))


def path_differs(want, have):
    """The path fields in which ``have`` does not match ``want`` (see
    RouteKind.differs)."""
    if want.get("nhid") or have.get("nhid"):
        return [] if want.get("nhid") == have.get("nhid") else ["nhid"]
    if want.get("nexthops") or have.get("nexthops"):
        return [] if hops_match(want.get("nexthops") or [], have.get("nexthops") or []) else ["nexthops"]
    out = []
    if want.get("gateway") != have.get("gateway"):
        out.append("gateway")
    if want.get("dev") is not None and want["dev"] != have.get("dev"):
        out.append("dev")
    if want.get("onlink") is not None and bool(want["onlink"]) != bool(have.get("onlink")):
        out.append("onlink")
    return out


def _hop_matches(want, have):
    return (want.get("gateway") == have.get("gateway")
            and (want.get("dev") is None or want["dev"] == have.get("dev"))
            and (want.get("weight") or 1) == (have.get("weight") or 1)
            and (want.get("onlink") is None or bool(want["onlink"]) == bool(have.get("onlink"))))


def hops_match(want, have):
    """Whether two next-hop lists are the same ECMP set, in any order (a
    hop's dev or onlink not given matches any)."""
    if len(want) != len(have):
        return False
    left = list(have)
    for hop in want:
        for i, other in enumerate(left):
            if _hop_matches(hop, other):
                del left[i]
                break
        else:
            return False
    return True


_SCALARS = (str, int, bool, float)
_VERBS = {contract.CREATE: "add", contract.UPDATE: "replace", contract.DELETE: "del"}
# Spellings RouteKind.command() looks up once per value, not per route:
# (netns, family) -> the ``ip`` words; protocol -> its ``proto`` word
# (None: boot, which is not printed); scope -> its number.
_IP_WORDS = {}
_PROTO_WORDS = {}
_SCOPES = {}
_SPELLINGS_MAX = 256
# RouteKind._hops_from: (device, flags, weight, gateway) of each plain
# next hop -> the one list of hop objects routes with those hops share;
# cleared when full (a table has few distinct sets of paths).
_SHARED_HOPS = {}
_SHARED_HOPS_MAX = 4096


class _NotPlain(Exception):
    """A next hop with more than a gateway (encapsulation): not shared."""


def _spelling(cache, value, make, *args):
    """``make(*args)``, remembered in ``cache`` under ``value`` (a list comes
    back as a new list).  What raises is not remembered; nor is anything
    once the cache holds _SPELLINGS_MAX values."""
    try:
        found = cache[value]
    except KeyError:
        found = make(*args)
        if len(cache) < _SPELLINGS_MAX:
            cache[value] = tuple(found) if isinstance(found, list) else found
        return found
    return list(found) if isinstance(found, tuple) else found


def _typed(value):
    """A cache key that keeps True apart from 1."""
    return type(value), value


def _proto_word(protocol):
    """The ``proto`` word of a route's protocol; None for boot (the
    default of ``ip route add``, not printed)."""
    if enum_number(R.RTPROT, protocol) == R.RTPROT_BOOT:
        return None
    return protocol_word(protocol)


class GoesWithLink(DiesWithLink):
    """The routes through a link go with it: an IPv4 multipath route with
    a next hop on it whole, an IPv6 one loses that hop (an update).  Those
    of protocol kernel come back by themselves when the link comes back
    (with its addresses and its up)."""

    role = "route"
    before = "down"

    def read(self, kind, ctx, gone):
        """A dump per gone link and family, filtered by the kernel on the
        link (every table, every protocol)."""
        out = {}
        seen = set()
        for index, name in self.by_index(gone):
            for family in (C.AF_INET, C.AF_INET6):
                header = {"family": family}
                msgs = ctx.socket().dump(C.RTM_GETROUTE, header, {"oif": index},
                                         label="ip route show dev %s table all" % name)
                for msg in msgs:
                    obj = kind.from_msg(msg, ctx)
                    if obj is None or obj.get("nhid"):
                        continue   # a route by nhid goes with its nexthop object, if at all (GoesWithNexthop)
                    key = kind.key(obj)
                    if key in seen:
                        continue
                    seen.add(key)
                    hops = obj.get("nexthops") or []
                    kept = [h for h in hops if h.get("dev") not in gone]
                    if family == C.AF_INET6 and hops and kept:
                        after = dict(copy.deepcopy(obj), nexthops=kept)
                        ch = contract.change(kind, contract.UPDATE, obj, after, "loses its next hop via %s" % name)
                    else:
                        ch = contract.change(kind, contract.DELETE, obj, None, "goes with link %s" % name)
                    out.setdefault(name, []).append(ch)
        return out

    def returns(self, change):
        return change["before"].get("protocol") == "kernel"


class GoesWithNexthop(contract.DiesWith):
    """The routes using a nexthop object (``nhid``) go with it.  The
    kernel has no route dump filter on RTA_NH_ID: one dump per family,
    every table, read only when a task deletes nexthops, and only the
    messages that carry a gone id become objects.  A route through a
    group whose member goes stays (the group changes, not the route)."""

    parent = "nexthop"
    role = "route"

    def read(self, kind, ctx, gone):
        out = {}
        seen = set()
        for family in (C.AF_INET, C.AF_INET6):
            label = "ip %sroute show table all" % ("-6 " if family == C.AF_INET6 else "")
            for msg in ctx.socket().dump(C.RTM_GETROUTE, {"family": family}, {}, label=label):
                nhid = msg.attrs.get("nh_id")
                if nhid not in gone:
                    continue
                obj = kind.from_msg(msg, ctx)
                if obj is None or kind.key(obj) in seen:
                    continue
                seen.add(kind.key(obj))
                out.setdefault(nhid, []).append(contract.change(kind, contract.DELETE, obj, None,
                                                                "goes with nexthop id %s" % nhid))
        return out


class RouteKind(contract.ObjectKind):
    name = "route"
    dies_with = (GoesWithLink(), GoesWithNexthop())

    def key(self, obj):
        # Hot: a 10,000-route task computes it for every route several
        # times (duplicates, plan, read-back); the common case (family
        # and a numeric or builtin table given) skips the general helpers.
        get = obj.get
        fam = get("family") or family_of(obj)
        tid = table_id(get("table"))
        metric = get("metric") or (IP6_DEFAULT_METRIC if fam == 6 else 0)
        if fam == 6:
            # is_device_route() inline (hot): the kernel keeps such routes per device
            dev = get("dev")
            if dev and not get("gateway") and get("type") in DEVICE_ROUTE_TYPES and not get("nexthops") \
                    and not get("nhid"):
                return (fam, tid, get("dst") or "default", get("tos") or 0, metric, get("src_prefix") or None, dev)
            return (fam, tid, get("dst") or "default", get("tos") or 0, metric, get("src_prefix") or None)
        return (fam, tid, get("dst") or "default", get("tos") or 0, metric)

    def label(self, obj):
        """A route as ``ip route`` would name it (messages, diff headers,
        netlink-host's drift): its destination, then what else makes it
        this route, each only when not the default."""
        key = self.key(obj)
        fam, tid, dst, tos, metric = key[:5]
        words = [dst if dst != "default" else "default (IPv%d)" % fam]
        if tid != R.RT_TABLE_MAIN:
            words.append("table %s" % table_name(tid))
        if metric != (IP6_DEFAULT_METRIC if fam == 6 else 0):
            words.append("metric %d" % metric)
        if tos:
            words.append("tos %s" % tos)
        if len(key) > 5 and key[5]:
            words.append("from %s" % key[5])
        if len(key) > 6:
            words.append("dev %s" % key[6])
        return " ".join(words)

    def devices(self, obj):
        """The route's device and those of its next hops."""
        names = [obj.get("dev")]
        names.extend(hop.get("dev") for hop in obj.get("nexthops") or () if isinstance(hop, dict))
        return tuple(n for n in names if isinstance(n, str))

    def base_key(self, obj):
        """``key`` without an IPv6 device route's device: where the kernel
        puts the route (its fib6 node and metric), whatever its device."""
        key = self.key(obj)
        return key[:6] if len(key) == 7 else key

    # -- kernel -> input format -------------------------------------------

    def from_msg(self, msg, ctx):
        """The route object for one RTM_NEWROUTE message (None for
        families other than IPv4/IPv6)."""
        h, a = msg.header, msg.attrs
        fam = FAMILIES.get(h["family"])
        if fam is None:
            return None
        # Hot (the read-back of a 10,000-route task): the enums' name maps
        # are read directly (Enum.name_of: the name, or the number itself).
        get = a.get
        table = get("table", h["table"])
        oif = get("oif")
        obj = {
            "family": fam,
            "dst": "%s/%d" % (get("dst"), h["dst_len"]) if h["dst_len"] else "default",
            "table": _TABLE_NAMES.get(table, table),
            "tos": h["tos"],
            "metric": get("priority", 0),
            "type": _TYPE_NAMES.get(h["type"], h["type"]),
            "protocol": _PROTO_NAMES.get(h["protocol"], h["protocol"]),
            "scope": _SCOPE_NAMES.get(h["scope"], h["scope"]),
            "gateway": get("gateway") or (a["via"]["addr"] if "via" in a else None),
            "dev": ctx.ifname(oif) if oif else None,
            "src": get("prefsrc"),
            "onlink": bool(h["flags"] & R.RTNH_F_ONLINK),
            "pref": R.ICMPV6_ROUTER_PREF.name_of(a["pref"]) if fam == 6 and "pref" in a else None,
            "src_prefix": "%s/%d" % (a.get("src"), h["src_len"]) if fam == 6 and h["src_len"] else None,
            "nhid": a.get("nh_id"),
            "nexthops": None,
            "metrics": None,
            "expires": None,
            "encap": None,
        }
        if fam == 6 and not obj["metric"]:
            obj["metric"] = IP6_DEFAULT_METRIC
        if a.get("multipath") and not obj["nhid"]:   # (a route by nhid: its object's hops, dropped below)
            obj["nexthops"] = self._hops_from(a["multipath"], ctx)
        if a.get("metrics"):
            obj["metrics"] = self._metrics_from(a["metrics"])
        cache = a.get("cacheinfo")
        if fam == 6 and cache and cache["expires"] > 0:
            # remaining clock_t ticks, rounded up to whole seconds
            obj["expires"] = -(-cache["expires"] // USER_HZ)
        if obj["nhid"]:
            # gateway/device/next hops are the nexthop object's, reported
            # beside the id (nexthop_compat_mode); a request takes the id alone.
            obj.update(gateway=None, dev=None, nexthops=None, onlink=False)
        else:
            self._encap_from(obj, a)
        return obj

    @staticmethod
    def _encap_from(obj, attrs):
        """The route's (or its next hops') RTA_ENCAP: its type in the
        object, the raw attributes in the kernel block."""
        found = None
        if attrs.get("encap_type"):
            found = {"type": attrs["encap_type"], "data": bytes(attrs.get("encap") or b"").hex()}
        hops = []
        for hop in attrs.get("multipath") or ():
            ha = hop.get("attrs") or {}
            hops.append({"type": ha["encap_type"], "data": bytes(ha.get("encap") or b"").hex()}
                        if ha.get("encap_type") else None)
        if found is None and not any(hops):
            return
        first = found or [h for h in hops if h][0]
        obj["encap"] = ENCAP_TYPES.get(first["type"], first["type"])
        kernel = {}
        if found:
            kernel["encap"] = found
        if any(hops):
            kernel["hop_encap"] = hops
        obj["kernel"] = kernel

    @classmethod
    def _hops_from(cls, multipath, ctx):
        """The next hops of RTA_MULTIPATH as route objects hold them.
        Plain hops (gateway, device, weight, flags: no encapsulation) are
        shared between the routes that have the same ones (_SHARED_HOPS):
        a full table through 16 paths holds one list, not a million, so
        its dump stays small.  Shared, so never changed in place (nothing
        here does: a route's hops are replaced, not edited)."""
        try:
            key = tuple((ctx.ifname(hop["ifindex"]) if hop["ifindex"] else None, hop["flags"], hop["hops"],
                         cls._plain_gateway(hop["attrs"])) for hop in multipath)
        except _NotPlain:
            return [cls._hop_from(hop, ctx) for hop in multipath]
        out = _SHARED_HOPS.get(key)
        if out is None:
            if len(_SHARED_HOPS) >= _SHARED_HOPS_MAX:
                _SHARED_HOPS.clear()
            out = _SHARED_HOPS[key] = [cls._hop_from(hop, ctx) for hop in multipath]
        return out

    @staticmethod
    def _plain_gateway(attrs):
        """A hop's gateway when it carries nothing else; _NotPlain if it does."""
        if not attrs:
            return None
        if len(attrs) == 1:
            if "gateway" in attrs:
                return attrs["gateway"]
            if "via" in attrs:
                return attrs["via"]["addr"]
        raise _NotPlain()

    @staticmethod
    def _hop_from(hop, ctx):
        attrs = hop.get("attrs") or {}
        gw = attrs.get("gateway") or (attrs["via"]["addr"] if "via" in attrs else None)
        out = {"gateway": gw, "dev": ctx.ifname(hop["ifindex"]) if hop["ifindex"] else None,
               "weight": hop["hops"] + 1}
        if hop["flags"] & R.RTNH_F_ONLINK:
            out["onlink"] = True
        return out

    @staticmethod
    def _metrics_from(raw):
        out = {}
        for field, word in METRIC_ORDER:
            if field in raw:
                out[field] = raw[field]
        lock = raw.get("lock", 0)
        locked = [field for num, field, word in METRIC_WORDS
                  if lock & (1 << num) and field not in ALWAYS_LOCKED]
        if locked:
            out["lock"] = locked
        return out or None

    def collect(self, out, obj):
        """Add ``obj`` (from_msg) to ``out`` (key -> object).  A kernel that
        dumps an IPv6 multipath route as one message per next hop
        (siblings) sends the same key again: its hops are joined into one
        object with ``nexthops``, as newer kernels send it (RTA_MULTIPATH)."""
        if obj is None:
            return
        key = self.key(obj)
        have = out.get(key)
        if have is None or not (is_sibling(have) and is_sibling(obj)):
            out[key] = obj
            return
        hops = have.get("nexthops") or [self._single_hop(have)]
        new = [hop for hop in obj.get("nexthops") or [self._single_hop(obj)] if hop not in hops]
        if new:  # the same route read twice (overlapping dumps) adds nothing
            have.update(nexthops=hops + new, gateway=None, dev=None, onlink=False)

    @staticmethod
    def _single_hop(obj):
        hop = {"gateway": obj.get("gateway"), "dev": obj.get("dev"), "weight": 1}
        if obj.get("onlink"):
            hop["onlink"] = True
        return hop

    # -- comparison ----------------------------------------------------------

    def differs(self, desired, current):
        """Fields of ``desired`` that ``current`` does not match.  The path
        (gateway, dev, onlink, nexthops, nhid) is compared as one: a dev or
        onlink not given matches any; next hops match in any order (the
        kernel's ECMP set); ``metrics`` compares the metrics given and the
        lock list when given; ``expires`` matches a route that expires no
        later than asked (it counts down, the value it was set with cannot
        be read back)."""
        out = []
        for field, want in desired.items():
            if want is None or field in self.control_fields or field in PATH_FIELDS:
                continue
            have = current.get(field)
            if field == "metrics":
                if metrics_differ(want, have or {}):
                    out.append(field)
            elif field == "expires":
                if not have or have > want:
                    out.append(field)
            elif have != want:
                out.append(field)
        if any(desired.get(f) for f in PATH_FIELDS):
            out += path_differs(desired, current)
        return out

    def merged(self, desired, current):
        """``current`` with ``desired`` applied; the path is ``desired``'s
        as a whole (a route's next hops are replaced, never mixed)."""
        if current:
            out = contract.ObjectKind.merged(self, desired, current)
        else:
            # A new route (10,000 of them in a big task): what the general
            # merge gives onto nothing, without its per-field checks.
            skip = self.control_fields
            out = {field: want if type(want) in _SCALARS else contract.plain_copy(want)
                   for field, want in desired.items() if want is not None and field not in skip}
        if any(desired.get(f) for f in PATH_FIELDS) or desired.get("type") not in (None, "unicast"):
            for field in PATH_FIELDS:
                out[field] = desired.get(field)
            if out.get("kernel"):
                out["kernel"] = dict(item for item in out["kernel"].items() if item[0] != "hop_encap")
        return out

    def read(self, ctx, objs):
        """The routes through the devices of ``objs`` (every table), one
        dump per family and device, filtered by the kernel; routes without
        a device, one dump per family and table."""
        wanted = set()
        for obj in objs:
            dev = obj.get("dev") or ((obj.get("nexthops") or [{}])[0]).get("dev")
            index = ctx.ifindex(dev, required=False) if dev else None
            if dev and index is None:
                continue  # its device is not there: none of its routes are
            wanted.add((family_of(obj), index, None if index else table_id(obj.get("table"))))
        out = {}
        for fam, index, table in sorted(wanted, key=repr):
            attrs = {"oif": index} if index else {"table": table}
            for msg in ctx.socket().dump(C.RTM_GETROUTE, {"family": AF[fam]}, attrs):
                self.collect(out, self.from_msg(msg, ctx))
        return out

    def kernel_made(self, obj):
        """Routes the kernel made itself (address prefixes, local and
        broadcast routes of the local table, IPv6 link-local and
        multicast): all of them carry protocol kernel."""
        return obj["protocol"] == "kernel"

    # -- object -> kernel --------------------------------------------------

    def request(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        get = obj.get  # hot: one request per route of a 10,000-route task
        fam = get("family") or family_of(obj)
        dst, dst_len = parse_prefix(get("dst"), fam)
        src, src_len = parse_prefix(get("src_prefix"), fam)
        table = table_id(get("table"))
        rtype = get("type")
        header = {"family": AF[fam], "dst_len": dst_len, "src_len": src_len, "tos": get("tos") or 0,
                  "table": table if table < 256 else 0, "protocol": 0, "scope": R.RT_SCOPE_NOWHERE,
                  "type": R.RTN_TYPE.numbers[route_type(obj)] if rtype is not None else 0,
                  "flags": 0}
        attrs = {"table": table}
        if dst is not None:
            attrs["dst"] = dst
        if src is not None:
            attrs["src"] = src
        metric = get("metric") or (IP6_DEFAULT_METRIC if fam == 6 else 0)
        if metric:
            attrs["priority"] = metric
        protocol = get("protocol")
        if protocol is not None:
            header["protocol"] = enum_number(R.RTPROT, protocol)
        nhid = get("nhid")
        if get("dev") and not nhid:
            attrs["oif"] = ctx.ifindex(obj["dev"])
        if get("gateway") and not nhid:
            self._put_gateway(attrs, obj["gateway"], fam)
        label = CommandLabel(self, change, ctx)
        if op == contract.DELETE:
            # Scope "nowhere" matches any scope; the type, protocol and
            # next hop (when known) narrow the match as ``ip route del``.
            return Request(C.RTM_DELROUTE, 0, header, attrs, label)
        header["type"] = R.RTN_TYPE.numbers[route_type(obj)]
        scope = get("scope")
        header["scope"] = enum_number(R.RT_SCOPE, scope or default_scope(obj))
        if protocol is None:
            header["protocol"] = R.RTPROT_BOOT
        if get("onlink") and not nhid:
            header["flags"] |= R.RTNH_F_ONLINK
        if get("src"):
            attrs["prefsrc"] = obj["src"]
        if fam == 6 and get("pref") is not None:
            attrs["pref"] = enum_number(R.ICMPV6_ROUTER_PREF, obj["pref"])
        if nhid:
            attrs["nh_id"] = nhid
        if get("metrics"):
            attrs["metrics"] = self._metrics_to(obj["metrics"])
        if fam == 6 and get("expires"):
            attrs["expires"] = obj["expires"]
        kernel = get("kernel") or {}
        if get("nexthops") and not nhid:
            attrs["multipath"] = [self._hop_to(hop, fam, ctx) for hop in obj["nexthops"]]
            for hop, enc in zip(attrs["multipath"], kernel.get("hop_encap") or ()):
                if enc:
                    hop["attrs"].update(encap_type=enc["type"], encap=bytes.fromhex(enc["data"]))
        if kernel.get("encap"):
            attrs["encap_type"] = kernel["encap"]["type"]
            attrs["encap"] = bytes.fromhex(kernel["encap"]["data"])
        if op == contract.UPDATE:
            flags = C.NLM_F_REPLACE
        elif fam == 6 and is_device_route(obj):
            # beside the same destination's routes through other devices;
            # the kernel still refuses one through the same device (EEXIST,
            # rt6_duplicate_nexthop)
            flags = C.NLM_F_CREATE | C.NLM_F_APPEND
        else:
            flags = C.NLM_F_CREATE | C.NLM_F_EXCL
        return Request(C.RTM_NEWROUTE, flags, header, attrs, label)

    @staticmethod
    def _put_gateway(attrs, gw, fam):
        if _gw_family(gw) == fam:
            attrs["gateway"] = gw
        else:
            attrs["via"] = {"family": AF[_gw_family(gw)], "addr": gw}

    def _hop_to(self, hop, fam, ctx):
        attrs = {}
        if hop.get("gateway"):
            self._put_gateway(attrs, hop["gateway"], fam)
        return {"flags": R.RTNH_F_ONLINK if hop.get("onlink") else 0,
                "hops": (hop.get("weight") or 1) - 1,
                "ifindex": ctx.ifindex(hop["dev"]) if hop.get("dev") else 0,
                "attrs": attrs}

    @staticmethod
    def _metrics_to(metrics):
        out = {}
        lock = 0
        for field, value in metrics.items():
            if field == "lock":
                for name in value or ():
                    if name not in METRIC_NUMBERS:
                        raise contract.ValidationError("metrics.lock: %r is not a route metric" % (name,))
                    lock |= 1 << METRIC_NUMBERS[name]
            elif value is not None:
                out[field] = value
                if field in ALWAYS_LOCKED:
                    lock |= 1 << METRIC_NUMBERS[field]
        if lock:
            out["lock"] = lock
        return out

    # -- object -> iproute2 ------------------------------------------------

    def command(self, change, ctx):
        # Hot: ``commands`` spells every route of a 10,000-route task; the
        # per-value lookups go through small caches (_spelling) and the
        # words a route without them would print are not looked at.
        op = change["op"]
        obj = change["after"] if op != contract.DELETE else change["before"]
        get = obj.get
        fam = get("family") or family_of(obj)
        device_route = fam == 6 and is_device_route(obj)
        verb = "append" if device_route and op == contract.CREATE else _VERBS[op]
        words = _spelling(_IP_WORDS, (getattr(ctx, "netns", None), fam), ip_words, ctx, fam) + ["route", verb]
        rtype = route_type(obj)
        if rtype != "unicast":
            words.append(rtype)
        words.append(quote(get("dst") or "default"))
        if get("src_prefix"):
            words += ["from", quote(obj["src_prefix"])]
        if get("tos"):
            words += ["tos", "0x%02x" % obj["tos"]]
        table = table_id(get("table"))
        if table != R.RT_TABLE_MAIN:
            words += ["table", quote(table_name(table))]
        metric = get("metric") or (IP6_DEFAULT_METRIC if fam == 6 else 0)
        if metric != (IP6_DEFAULT_METRIC if fam == 6 else 0):
            words += ["metric", str(metric)]
        if op == contract.DELETE:
            if device_route:  # that device's route, not the first of the destination
                words += ["dev", quote(obj["dev"])]
            return " ".join(words)
        if get("protocol") is not None:
            proto = _spelling(_PROTO_WORDS, _typed(obj["protocol"]), _proto_word, obj["protocol"])
            if proto is not None:
                words += ["proto", proto]
        scope = get("scope")
        if scope is not None:
            scope = _spelling(_SCOPES, _typed(scope), enum_number, R.RT_SCOPE, scope)
        if fam == 4 and scope is not None and scope != R.RT_SCOPE.numbers[default_scope(obj)]:
            # the canonical name ("global", never the alias "universe")
            words += ["scope", quote(R.RT_SCOPE.name_of(scope))]
        kernel = get("kernel") or {}
        if kernel.get("encap"):
            words += self._encap_words(kernel["encap"])
        nhid = get("nhid")
        if nhid:
            words += ["nhid", str(nhid)]
        elif get("gateway"):
            words += self._via_words(obj["gateway"], fam)
        if get("dev") and not nhid:
            words += ["dev", quote(obj["dev"])]
        if get("src"):
            words += ["src", quote(obj["src"])]
        if get("pref") is not None:
            pref = enum_number(R.ICMPV6_ROUTER_PREF, obj["pref"])
            if fam == 6 and pref:
                words += ["pref", quote(R.ICMPV6_ROUTER_PREF.name_of(pref))]
        if get("onlink") and not nhid:
            words.append("onlink")
        if fam == 6 and get("expires"):
            words += ["expires", str(obj["expires"])]
        if get("metrics"):
            words += self._metric_words(obj["metrics"])
        hop_encap = kernel.get("hop_encap") or ()
        for i, hop in enumerate(() if nhid else get("nexthops") or ()):
            words.append("nexthop")
            if i < len(hop_encap) and hop_encap[i]:
                words += self._encap_words(hop_encap[i])
            if hop.get("gateway"):
                words += self._via_words(hop["gateway"], fam)
            if hop.get("dev"):
                words += ["dev", quote(hop["dev"])]
            if hop.get("weight") not in (None, 1):
                words += ["weight", str(hop["weight"])]
            if hop.get("onlink"):
                words.append("onlink")
        return " ".join(words)

    @staticmethod
    def _encap_words(enc):
        """``encap mpls L1/L2`` for an MPLS label stack (MPLS_IPTUNNEL_DST:
        32-bit label stack entries, the label in the top 20 bits).  Other
        types print their name only: ``ip`` needs their own syntax, which
        this module does not model."""
        name = ENCAP_TYPES.get(enc["type"], str(enc["type"]))
        data = bytes.fromhex(enc["data"])
        if enc["type"] == 1:
            off = 0
            while off + 4 <= len(data):
                alen, atype = struct.unpack_from("=HH", data, off)
                if alen < 4:
                    break
                if atype & 0x3FFF == MPLS_IPTUNNEL_DST:
                    raw = data[off + 4:off + alen]
                    labels = [struct.unpack_from("!I", raw, i)[0] >> 12 for i in range(0, len(raw) - 3, 4)]
                    return ["encap", "mpls", "/".join(str(lbl) for lbl in labels)]
                off += (alen + 3) & ~3
        return ["encap", name]

    @staticmethod
    def _via_words(gw, fam):
        if _gw_family(gw) == fam:
            return ["via", quote(gw)]
        return ["via", "inet6" if _gw_family(gw) == 6 else "inet", quote(gw)]

    @staticmethod
    def _metric_words(metrics):
        words = []
        locked = metrics.get("lock") or ()
        for field, word in METRIC_ORDER:
            value = metrics.get(field)
            if value is None:
                continue
            if field == "features":
                # iproute2 spells only ECN; other bits have no word.
                if value & RTAX_FEATURE_ECN:
                    words += [word, "ecn"]
                continue
            words.append(word)
            # iproute2 locks rto_min always and takes no "lock" word for it.
            if field in locked and field not in ALWAYS_LOCKED:
                words.append("lock")
            words.append(quote(value))
        return words
