# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route's input -> desired route objects (objects/route.py format),
validated before anything is read or changed.  Every error names the
option (``routes[2].gateway``) and the value.

Names become numbers here: a table, protocol from the host's
``rt_tables``/``rt_protos`` (objects/rt_names.py) is turned into its
number, so an object (and a stored plan) holds numbers, or the builtin
names main/local/default and the uapi protocol names, never a host's own.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import ipaddress
import socket

from .. import contract
from ..netlink.rtnl import route as R
from ..objects import rt_names
from ..objects.route import ALWAYS_LOCKED, ENCAP_TYPES, IP6_DEFAULT_METRIC, METRIC_WORDS, default_scope, table_name
from .validate import canonical_ip, fail, truth, validate_ifname

# Flat metric options (iproute2's words) -> the object's metrics field.
METRIC_OPTIONS = dict((word, field) for num, field, word in METRIC_WORDS)
# Options of one route (top level or a ``routes`` item).
ROUTE_OPTIONS = ("dst", "gateway", "dev", "src", "metric", "table", "protocol", "scope", "type", "tos",
                 "onlink", "pref", "expires", "nhid", "nexthops", "family", "lock", "state") + \
    tuple(METRIC_OPTIONS)
# Top-level options that are defaults for every ``routes`` item.
DEFAULT_OPTIONS = tuple(o for o in ROUTE_OPTIONS
                        if o not in ("dst", "gateway", "nexthops", "nhid", "tos", "state"))
ROUTE_KEYS = frozenset(ROUTE_OPTIONS + ("metrics",))  # what a ``routes`` item may hold
METRIC_KEYS = frozenset(tuple(METRIC_OPTIONS) + ("lock",))
HOP_OPTIONS = ("gateway", "dev", "weight", "onlink")
# Route types that forward nowhere: no gateway, device or next hops.
NO_PATH_TYPES = ("blackhole", "unreachable", "prohibit", "throw")
# Types iproute2 puts in table local when no table is given.
LOCAL_TABLE_TYPES = ("local", "broadcast", "anycast", "nat")
U32 = 0xFFFFFFFF
# rta_expires is clock_t in an int: longer lifetimes read back clamped.
EXPIRES_MAX = 0x7FFFFFFF // 100
TCP_CA_NAME_MAX = 16
PROTOCOL_STATIC = "static"
_FAMILIES = ((4, socket.AF_INET), (6, socket.AF_INET6))
_AF = dict(_FAMILIES)


def _int(option, value, lo, hi):
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        fail(option, value, "not a number in %d-%d" % (lo, hi))
    return value


def _bool(option, value):
    if value is None or isinstance(value, bool):
        return value
    word = truth(value)
    if word is None:
        fail(option, value, "not a boolean")
    return word


def _packed(text):
    """(version, packed bytes) of a plain address, or None.  inet_pton
    (no stricter than ipaddress, and much faster: a task may name 10,000
    routes); what it refuses goes the ipaddress way, for its message."""
    for version, fam in _FAMILIES:
        try:
            return version, socket.inet_pton(fam, text)
        except (OSError, ValueError):
            continue
    return None


def _address(option, value, family=None):
    """A plain IP address (no /prefix) as the kernel prints it."""
    text = str(value).strip()
    found = _packed(text)
    if found is not None:
        version, text = found[0], socket.inet_ntop(_AF[found[0]], found[1])
    else:
        try:
            ip = ipaddress.ip_address(text)
        except ValueError:
            fail(option, value, "not an IP address")
        version, text = ip.version, canonical_ip(ip)
    if family is not None and version != family:
        fail(option, value, "is IPv%d but the route is IPv%d" % (version, family))
    return text


def _address_version(text):
    """4 or 6 for an address (None when it is none)."""
    found = _packed(text)
    if found is not None:
        return found[0]
    try:
        return ipaddress.ip_address(text).version
    except ValueError:
        return None


def _network(text):
    """(version, "ADDR/LEN" as the kernel prints it) for a network given
    as ADDR/LEN or a host ADDR without host bits, or None when inet_pton
    does not take it as such (the ipaddress way then decides and says
    why)."""
    addr, slash, plen = text.partition("/")
    found = _packed(addr)
    if found is None:
        return None
    version, packed = found
    width = len(packed) * 8
    if not slash:
        length = width
    elif plen.isascii() and plen.isdigit() and int(plen) <= width:
        length = int(plen)
    else:
        return None
    if int.from_bytes(packed, "big") & ((1 << (width - length)) - 1):
        return None  # host bits set
    return version, "%s/%d" % (socket.inet_ntop(_AF[version], packed), length)


def _dst(option, value, family_hint):
    """``default``, ``A/LEN`` or ``A`` (a host route) -> (family, dst as
    the kernel reads it back: ``default`` for /0)."""
    text = str(value).strip()
    if text in ("default", "all", "any"):
        return family_hint, "default"
    fast = _network(text)
    if fast is not None and family_hint in (None, fast[0]):
        if fast[1].endswith("/0"):
            return fast[0], "default"
        return fast
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError as exc:
        if "host bits set" in str(exc):
            fixed = ipaddress.ip_network(text, strict=False)
            fail(option, value, "has host bits set (the network is %s)" % fixed)
        fail(option, value, "not a destination (default, ADDRESS/LEN or ADDRESS)")
    if family_hint and family_hint != net.version:
        fail(option, value, "is IPv%d but family is %d" % (net.version, family_hint))
    if net.prefixlen == 0:
        return net.version, "default"
    return net.version, "%s/%d" % (canonical_ip(net.network_address), net.prefixlen)


def family_option(option, value):
    if value is None:
        return None
    text = str(value).strip().lower()
    known = {"4": 4, "inet": 4, "ipv4": 4, "6": 6, "inet6": 6, "ipv6": 6}
    if text not in known:
        fail(option, value, "not a family (4, 6, inet, inet6)")
    return known[text]


def table_option(option, value):
    """A table number or name (builtin or from rt_tables) -> the object's
    table: main/local/default or the number."""
    num = rt_names.number("rt_tables", value, option, builtin=R.RT_TABLE)
    if num == 0:
        fail(option, value, "table 0 is 'unspecified', not a table")
    return table_name(num)


def protocol_option(option, value):
    num = rt_names.number("rt_protos", value, option, builtin=R.RTPROT, limit=255)
    return R.RTPROT.name_of(num)


def _metrics(where, raw):
    out = {}
    for word, field in METRIC_OPTIONS.items():
        value = raw.get(word)
        if value is None:
            continue
        opt = where(word)
        if word == "congctl":
            text = str(value)
            if not text or len(text) >= TCP_CA_NAME_MAX or not text.isprintable() or " " in text:
                fail(opt, value, "not a TCP congestion control name (up to %d characters)" % (TCP_CA_NAME_MAX - 1))
            out[field] = text
        elif word == "features":
            # The kernel accepts only RTAX_FEATURE_ECN (RTAX_FEATURE_ALLOWED).
            words = value if isinstance(value, list) else [value]
            if any(str(w).strip().lower() not in ("ecn", "1") for w in words):
                fail(opt, value, "the kernel accepts only the feature ecn")
            out[field] = 1
        elif word in ("quickack", "fastopen_no_cookie"):
            out[field] = int(_bool(opt, value)) if not isinstance(value, int) or isinstance(value, bool) \
                else _int(opt, value, 0, 1)
        elif word == "hoplimit":
            out[field] = _int(opt, value, 1, 255)
        else:
            out[field] = _int(opt, value, 0, U32)
    lock = raw.get("lock")
    if lock is not None:
        words = lock if isinstance(lock, list) else [w for w in str(lock).split(",") if w.strip()]
        locked = []
        for word in words:
            word = str(word).strip()
            if word not in METRIC_OPTIONS:
                fail(where("lock"), lock, "%s is not a route metric (known: %s)" % (word, ", ".join(METRIC_OPTIONS)))
            if METRIC_OPTIONS[word] in ALWAYS_LOCKED:
                continue  # always locked (objects/route.py), never listed
            if METRIC_OPTIONS[word] not in out:
                fail(where("lock"), lock, "locks %s, which this route does not set" % word)
            locked.append(METRIC_OPTIONS[word])
        out["lock"] = sorted(set(locked))
    return out or None


def _hops(where, value, family):
    if not isinstance(value, list) or not value:
        fail(where, value, "not a list of next hops")
    out = []
    for i, hop in enumerate(value):
        at = "%s[%d]" % (where, i)
        if not isinstance(hop, dict):
            fail(at, hop, "not a dict with gateway, dev, weight, onlink")
        unknown = sorted(str(k) for k in hop if k not in HOP_OPTIONS)
        if unknown:
            fail(at, hop, "unknown key(s) %s (known: %s)" % (", ".join(unknown), ", ".join(HOP_OPTIONS)))
        if not hop.get("gateway") and not hop.get("dev"):
            fail(at, hop, "a next hop needs a gateway or a dev")
        gw = None
        if hop.get("gateway"):
            gw = _address("%s.gateway" % at, hop["gateway"])
            if family == 6 and ":" not in gw:
                fail("%s.gateway" % at, hop["gateway"], "an IPv6 route cannot go via an IPv4 gateway")
        item = {"gateway": gw, "dev": None, "weight": 1}
        if hop.get("dev"):
            validate_ifname(hop["dev"], "%s.dev" % at)
            item["dev"] = hop["dev"]
        if hop.get("weight") is not None:
            item["weight"] = _int("%s.weight" % at, hop["weight"], 1, 256)
        if _bool("%s.onlink" % at, hop.get("onlink")):
            if not gw:
                fail("%s.onlink" % at, hop["onlink"], "onlink needs a gateway")
            item["onlink"] = True
        out.append(item)
    return out


class Memo:
    """The values a task's routes share (a table, a protocol, a device),
    validated once per task, not once per route: a 10,000-route task
    names one table 10,000 times.  Only what passed is remembered, so a
    bad value fails, naming its option, where it first appears."""

    def __init__(self):
        self._seen = {}

    def check(self, validate, option, value, where):
        """``validate(where(option), value)``, remembered."""
        key = (validate, type(value), value)
        try:
            return self._seen[key]
        except KeyError:
            pass
        except TypeError:  # unhashable: not remembered, validate says why
            return validate(where(option), value)
        out = self._seen[key] = validate(where(option), value)
        return out

    def hops(self, where, value, family):
        """``_hops(where, value, family)``, remembered by value: a table's
        routes through the same 16 paths share one validated list (a
        million routes hold one list of next hops, not a million; callers
        never change a route's next hops in place).  The key holds each
        value's type, so ``weight: true`` is not taken for a valid 1."""
        try:
            key = (_hops, family, tuple(tuple(sorted((k, type(v), v) for k, v in hop.items())) for hop in value))
            hash(key)
        except (TypeError, AttributeError):  # not a list of flat dicts: _hops says why
            return _hops(where, value, family)
        out = self._seen.get(key)
        if out is None:
            out = self._seen[key] = _hops(where, value, family)
        return out


def _ifname(option, value):
    validate_ifname(value, option)
    return value


def normalise_route(raw, where, state, memo=None):
    """One desired route object from a dict of route options (the item
    with the top-level defaults applied).  ``where(option)`` names an
    option in messages; ``memo`` (a Memo) shares validated values between
    the routes of one task."""
    memo = memo or Memo()
    family = raw.get("family")
    if family is not None:
        family = family_option(where("family"), family)
    if raw.get("dst") is None:
        fail(where("dst"), None, "required (a destination: default, ADDRESS/LEN or ADDRESS)")
    gateway = raw.get("gateway")
    if family is None and gateway and str(raw["dst"]).strip() in ("default", "all", "any"):
        family = _address_version(str(gateway).strip())
        if family is None:
            fail(where("gateway"), gateway, "not an IP address")
    family, dst = _dst(where("dst"), raw["dst"], family)
    family = family or 4
    rtype = raw.get("type") or "unicast"
    if rtype not in R.RTN_TYPE.numbers or isinstance(rtype, int):
        fail(where("type"), rtype, "not a route type (%s)" % ", ".join(sorted(R.RTN_TYPE.numbers)))
    if family == 6 and rtype in ("broadcast", "nat"):
        fail(where("type"), rtype, "IPv4 only")
    obj = {"family": family, "dst": dst, "tos": 0, "type": rtype, "state": state,
           "gateway": None, "dev": None, "src": None, "onlink": None, "pref": None, "src_prefix": None,
           "nhid": None, "nexthops": None, "metrics": None, "expires": None, "scope": None}
    table = raw.get("table")
    if table is None:
        table = "local" if rtype in LOCAL_TABLE_TYPES else "main"
    obj["table"] = memo.check(table_option, "table", table, where)
    obj["protocol"] = memo.check(protocol_option, "protocol", raw.get("protocol") or PROTOCOL_STATIC, where)
    if raw.get("metric") is not None:
        obj["metric"] = _int(where("metric"), raw["metric"], 0, U32)
    else:
        obj["metric"] = 0
    if family == 6 and not obj["metric"]:
        obj["metric"] = IP6_DEFAULT_METRIC  # the kernel's default for IPv6
    if raw.get("tos") is not None:
        if family != 4:
            fail(where("tos"), raw["tos"], "IPv4 only")
        obj["tos"] = _int(where("tos"), raw["tos"], 0, 255)
    if gateway:
        obj["gateway"] = _address(where("gateway"), gateway)
        if family == 6 and ":" not in obj["gateway"]:
            fail(where("gateway"), gateway, "an IPv6 route cannot go via an IPv4 gateway")
    if raw.get("dev"):
        obj["dev"] = memo.check(_ifname, "dev", raw["dev"], where)
    onlink = raw.get("onlink")
    obj["onlink"] = onlink if onlink is None or isinstance(onlink, bool) else _bool(where("onlink"), onlink)
    if obj["onlink"] and not obj["gateway"]:
        fail(where("onlink"), raw.get("onlink"), "onlink needs a gateway")
    if raw.get("nexthops") is not None:
        hops = memo.hops(where("nexthops"), raw["nexthops"], family)
        if obj["gateway"] or obj["dev"] or obj["onlink"]:
            fail(where("nexthops"), raw["nexthops"], "give gateway/dev/onlink inside each next hop, not beside them")
        if len(hops) == 1:
            # the kernel keeps a single next hop as a plain route
            obj.update(gateway=hops[0]["gateway"], dev=hops[0]["dev"], onlink=hops[0].get("onlink"))
        else:
            obj["nexthops"] = hops
    if raw.get("nhid") is not None:
        obj["nhid"] = _int(where("nhid"), raw["nhid"], 1, U32)
        if obj["gateway"] or obj["dev"] or obj["nexthops"] or obj["onlink"]:
            fail(where("nhid"), raw["nhid"], "a route through a nexthop object takes no gateway, dev, onlink or "
                 "nexthops (they are the nexthop object's)")
    if raw.get("src"):
        obj["src"] = _address(where("src"), raw["src"], family)
    if raw.get("pref") is not None:
        if family != 6:
            fail(where("pref"), raw["pref"], "IPv6 only (the router preference)")
        if raw["pref"] not in R.ICMPV6_ROUTER_PREF.numbers:
            fail(where("pref"), raw["pref"], "not one of low, medium, high")
        obj["pref"] = raw["pref"]
    if raw.get("expires") is not None:
        if family != 6:
            fail(where("expires"), raw["expires"], "IPv6 only (IPv4 routes do not expire)")
        obj["expires"] = _int(where("expires"), raw["expires"], 1, EXPIRES_MAX)
    obj["metrics"] = None if METRIC_KEYS.isdisjoint(raw) else _metrics(where, raw)
    if raw.get("scope") is not None:
        if family != 4:
            fail(where("scope"), raw["scope"], "IPv4 only (the kernel keeps no scope on IPv6 routes)")
        try:
            num = R.RT_SCOPE.number_of(raw["scope"])
        except Exception:  # pylint: disable=broad-except
            num = None
        if num is None or not 0 <= num <= 255:
            fail(where("scope"), raw["scope"], "not a scope (global, site, link, host, nowhere or 0-255)")
        obj["scope"] = R.RT_SCOPE.name_of(num)
    elif family == 4:
        obj["scope"] = R.RT_SCOPE.name_of(R.RT_SCOPE.numbers[default_scope(obj)])
    if state != "absent":
        _check_path(obj, raw, where)
    if raw.get("encap") is not None:
        obj["encap"] = raw["encap"]
    return obj


def _check_path(obj, raw, where):
    has_path = obj["gateway"] or obj["dev"] or obj["nexthops"] or obj["nhid"]
    rtype = obj["type"]
    if rtype in NO_PATH_TYPES and has_path:
        for opt in ("gateway", "dev", "nexthops", "nhid"):
            if raw.get(opt):
                fail(where(opt), raw[opt], "a %s route goes nowhere: it takes no gateway, dev, nexthops or nhid"
                     % rtype)
    if rtype == "unicast" and not has_path:
        fail(where("dst"), obj["dst"], "a unicast route needs gateway, dev, nexthops or nhid")
    if rtype in ("local", "broadcast", "anycast", "multicast") and not obj["dev"]:
        fail(where("dev"), None, "a %s route needs a dev" % rtype)


def route_items(params):
    """(where, raw dict) for each route of the task: the top-level
    defaults applied to ``routes`` items; ``where(option)`` names an
    option in messages (``routes[2].gateway``, or the top-level option a
    default came from)."""
    many = params.get("routes")
    single = dict((k, params.get(k)) for k in ROUTE_OPTIONS if k != "state" and params.get(k) is not None)
    if many is None:
        return [(lambda option: option, single)] if single else []
    if params.get("dst") is not None:
        raise contract.ValidationError("dst and routes are mutually exclusive (dst=%s)" % params["dst"])
    for opt in ("gateway", "nexthops", "nhid", "tos"):
        if params.get(opt) is not None:
            fail(opt, params[opt], "a top-level %s describes the single route of dst; give it in each routes item"
                 % opt)
    if not isinstance(many, list):
        fail("routes", many, "not a list")
    defaults = dict((k, v) for k, v in single.items() if k in DEFAULT_OPTIONS)
    out = []
    for i, item in enumerate(many):
        at = "routes[%d]" % i
        if isinstance(item, str):
            item = {"dst": item}
        if not isinstance(item, dict):
            fail(at, item, "not a dict (or a destination string)")
        raw = _flat_item(at, item)
        inherited = set()
        for k, v in defaults.items():
            if raw.get(k) is not None:
                continue
            if k in ("dev", "onlink") and (raw.get("nexthops") or raw.get("nhid") or raw.get("type") in NO_PATH_TYPES):
                continue  # a default device does not go where no device may be
            raw[k] = v
            inherited.add(k)
        out.append((functools.partial(_item_option, at, inherited), raw))
    return out


def _item_option(at, inherited, option):
    """How a message names ``option`` of the item at ``at``: the top-level
    option when the item took its value from there."""
    return option if option in inherited else "%s.%s" % (at, option)


def _flat_item(at, item):
    """A ``routes`` item with its metrics as flat options (results and
    gathered give them as one ``metrics`` dict of the object's format)."""
    raw = dict(item)
    if "encap" in raw:
        # Encapsulation is not modelled: gathered names its type, and fed
        # back, it only matches the route the kernel holds (RouteTask.plan
        # refuses to make or change such a route).
        if raw["encap"] not in ENCAP_TYPES.values():
            fail("%s.encap" % at, raw["encap"], "not an encapsulation type (%s)"
                 % ", ".join(sorted(ENCAP_TYPES.values())))
        raw.pop("encap")
    unknown = () if ROUTE_KEYS.issuperset(raw) else sorted(str(k) for k in raw if k not in ROUTE_KEYS)
    if unknown:
        fail(at, item, "unknown key(s) %s (known: %s)" % (", ".join(unknown), ", ".join(ROUTE_OPTIONS)))
    if "encap" in item:
        raw["encap"] = item["encap"]
    nested = raw.pop("metrics", None)
    if nested is None:
        return raw
    if not isinstance(nested, dict):
        fail("%s.metrics" % at, nested, "not a dict of route metrics")
    words = dict((field, word) for word, field in METRIC_OPTIONS.items())
    for field, value in nested.items():
        if field == "lock":
            raw.setdefault("lock", [words.get(v, v) for v in value or ()])
        elif field not in words:
            fail("%s.metrics" % at, nested, "%s is not a route metric" % field)
        elif value is not None:
            raw.setdefault(words[field], value)
    return raw


def desired_routes(params, key):
    """Validated desired route objects of the task (each with its
    ``state``), in input order; ``key(obj)`` finds duplicates."""
    state = params.get("state") or "present"
    out = []
    seen = {}
    memo = Memo()
    for where, raw in route_items(params):
        item_state = raw.get("state") or ("absent" if state == "absent" else "present")
        if item_state not in ("present", "absent"):
            fail(where("state"), item_state, "an item's state is present or absent")
        if state == "absent" and item_state != "absent":
            fail(where("state"), item_state, "with state=absent every listed route is removed")
        obj = normalise_route(raw, where, item_state, memo)
        k = key(obj)
        if k in seen:
            fail(where("dst"), raw.get("dst"), "the same route is listed twice (also %s)" % seen[k]("dst"))
        seen[k] = where
        out.append(obj)
    return out
