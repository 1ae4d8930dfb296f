# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IP addresses (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR) for nl_addr.

An address object, in the module's own input format (plain data)::

    {"dev": "br0", "address": "192.0.2.10/24", "peer": None,
     "broadcast": None, "label": None, "scope": "global",
     "valid_lft": "forever", "preferred_lft": "forever",
     "noprefixroute": False, "nodad": False, "metric": 0}

Identity follows the kernel: (device, family, local, prefixlen), written
here as ``(dev, "local/prefixlen")`` (the family is the address's).

What the kernel can change in place (measured on 6.18, ``ip addr replace``):

- IPv4: lifetimes and metric only.  Peer, broadcast, label, scope and
  noprefixroute of an existing address are silently kept by
  NLM_F_REPLACE, so they are *immutable* here: changing one needs
  ``recreate: true`` (delete + add, said so in the diff).  A different
  peer is even a different kernel object (two ``10.0.0.1 peer X``
  addresses can coexist).
- IPv6: lifetimes, metric, flags (nodad, noprefixroute) and peer change in
  place.  The prefix length does not (``replace`` keeps the old one, ``add``
  says "address already assigned"): an IPv6 local has one prefix length, so
  a new prefix length for a listed local deletes the old one first.
- IPv6 has no labels, no broadcast, and its scope is derived from the
  address by the kernel: those options are refused for IPv6.

Deleting a primary IPv4 address also deletes the secondaries of its subnet
(unless ``promote_secondaries`` is set).  The plan therefore deletes
secondaries before primaries, and a secondary that must survive the
deletion of its primary is deleted and added again explicitly (said so in
the diff), so that the plan, its undo and the kernel agree whatever the
sysctl says.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import os
import socket

from .. import reconcile
from ..netlink import const as C
from ..netlink.errors import NotFoundError
from ..netlink.rtnl import addr as A
from ..netlink.socket import Request

FOREVER = "forever"
INFINITY = A.INFINITY_LIFE_TIME
# Lifetimes count down in the kernel; the one "as set" is rebuilt from the
# remaining one and IFA_CACHEINFO's tstamp, within this many seconds.
LIFETIME_TOLERANCE = 2

SCOPES = {"global": 0, "universe": 0, "site": 200, "link": 253, "host": 254, "nowhere": 255}
SCOPE_NAMES = {0: "global", 200: "site", 253: "link", 254: "host", 255: "nowhere"}

# IFA_PROTO values (linux/if_addr.h): addresses the kernel made itself.
IFAPROT_KERNEL_LO = 1
IFAPROT_KERNEL_RA = 2
IFAPROT_KERNEL_LL = 3

# Flags this module sets; flags the kernel owns (tentative, dadfailed,
# permanent, secondary, deprecated, optimistic) are never compared.
_MANAGED_FLAGS = A.IFA_F_NODAD | A.IFA_F_NOPREFIXROUTE
# Flags of an existing address an in-place update must carry over.
_KEPT_FLAGS = (A.IFA_F_MANAGETEMPADDR | A.IFA_F_MCAUTOJOIN | A.IFA_F_HOMEADDRESS
               | A.IFA_F_OPTIMISTIC | A.IFA_F_STABLE_PRIVACY)

ITEM_OPTIONS = ("address", "peer", "broadcast", "label", "scope", "valid_lft",
                "preferred_lft", "noprefixroute", "nodad", "metric")
ATTR_OPTIONS = ITEM_OPTIONS[1:]
_V4_ONLY = ("broadcast", "label", "scope")
_V6_ONLY = ("nodad",)
IMMUTABLE_V4 = ("peer", "broadcast", "label", "scope", "noprefixroute")
LABEL_MAX = 15  # IFNAMSIZ - 1


def _uptime():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


def _kernel_has_ifa_proto():
    """IFA_PROTO exists since Linux 6.3 (absent on a message: unspecified)."""
    try:
        major, minor = os.uname()[2].split("-")[0].split(".")[:2]
        return (int(major), int(minor)) >= (6, 3)
    except ValueError:
        return False


def _canonical(ip):
    """The text the kernel's side uses (inet_ntop, as the IP codec
    decodes), so desired and current objects compare as strings."""
    fam = socket.AF_INET if ip.version == 4 else socket.AF_INET6
    return socket.inet_ntop(fam, ip.packed)


def _net(value):
    return ipaddress.ip_interface(value)


# -- validation --------------------------------------------------------------

def _fail(where, value, why):
    raise reconcile.ValidationError("%s: %r %s" % (where, value, why))


def _parse_ip(where, value, allow_prefix=True):
    if not isinstance(value, str) or not value.strip():
        _fail(where, value, "is not an IP address")
    text = value.strip()
    if "/" in text and not allow_prefix:
        _fail(where, value, "must be a plain address, without /prefix")
    try:
        return ipaddress.ip_interface(text)
    except ValueError as exc:
        _fail(where, value, "is not a valid IP address[/prefix] (%s)" % exc)


def _lifetime(where, value):
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip().lower() in ("forever", "infinite"):
            return FOREVER
        if not value.strip().isdigit():
            _fail(where, value, "is not a number of seconds or 'forever'")
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, value, "is not a number of seconds or 'forever'")
    if value < 0 or value >= INFINITY:
        _fail(where, value, "is out of range (0..%d seconds, or 'forever')" % (INFINITY - 1))
    return value


def _lft_value(v):
    return INFINITY if v in (None, FOREVER) else v


def _scope(where, value):
    if value is None:
        return None
    if isinstance(value, bool):
        _fail(where, value, "is not a scope")
    if isinstance(value, str):
        text = value.strip().lower()
        if text in SCOPES:
            return SCOPE_NAMES[SCOPES[text]]
        if not text.isdigit():
            _fail(where, value, "is not one of global, site, link, host, nowhere or a number 0-255")
        value = int(text)
    if not isinstance(value, int) or not 0 <= value <= 255:
        _fail(where, value, "is not one of global, site, link, host, nowhere or a number 0-255")
    return SCOPE_NAMES.get(value, value)


def _bool(where, value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("yes", "true", "on", "1", "no", "false", "off", "0"):
        return value.strip().lower() in ("yes", "true", "on", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    _fail(where, value, "is not a boolean")


def _metric(where, value):
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFFFFFF:
        _fail(where, value, "is not a metric (0..4294967295)")
    return value


def normalise_item(dev, item, where, defaults=None, state="present"):
    """One desired address from an ``address`` string or an ``addresses``
    entry (string or dict); ``defaults`` are the top-level attribute
    options.  Raises ValidationError naming the option and value."""
    defaults = defaults or {}
    if isinstance(item, str):
        raw = {"address": item}
    elif isinstance(item, dict):
        unknown = sorted(str(k) for k in item if k not in ITEM_OPTIONS)
        if unknown:
            _fail(where, item, "has unknown key(s) %s (known: %s)" % (", ".join(unknown), ", ".join(ITEM_OPTIONS)))
        raw = dict(item)
        if raw.get("address") is None:
            _fail(where, item, "has no 'address'")
    else:
        _fail(where, item, "is neither an address string nor a dict")
    # Top-level options are defaults for list items; an IPv4-only or
    # IPv6-only default skips items of the other family (a mixed list with
    # nodad: true), but given for a single address it must fit it.
    sub = (lambda k: "%s.%s" % (where, k)) if isinstance(item, dict) else (lambda k: k if k in defaults else "%s.%s" % (where, k))
    iface = _parse_ip(where if isinstance(item, str) else sub("address"), raw["address"])
    skip = ()
    if where != "address":
        skip = _V6_ONLY if iface.version == 4 else _V4_ONLY
    for k in ATTR_OPTIONS:
        if raw.get(k) is None and defaults.get(k) is not None and k not in skip:
            raw[k] = defaults[k]
    has_prefix = "/" in str(raw["address"])
    family = iface.version
    out = {"dev": dev, "address": None, "peer": None, "broadcast": None, "label": None,
           "scope": None, "valid_lft": None, "preferred_lft": None,
           "noprefixroute": None, "nodad": None, "metric": None, "state": state}
    prefixlen = iface.network.prefixlen
    if raw.get("peer") is not None:
        peer = _parse_ip(sub("peer"), raw["peer"])
        if peer.version != family:
            _fail(sub("peer"), raw["peer"], "is IPv%d but address %r is IPv%d" % (peer.version, raw["address"], family))
        if "/" in str(raw["peer"]):
            if has_prefix and peer.network.prefixlen != prefixlen:
                _fail(sub("peer"), raw["peer"], "has prefix length /%d but address %r has /%d"
                      % (peer.network.prefixlen, raw["address"], prefixlen))
            prefixlen = peer.network.prefixlen
        out["peer"] = _canonical(peer.ip)
    out["address"] = "%s/%d" % (_canonical(iface.ip), prefixlen)
    if raw.get("broadcast") is not None:
        if family != 4:
            _fail(sub("broadcast"), raw["broadcast"], "is for IPv4 only (address %r)" % raw["address"])
        if str(raw["broadcast"]).strip() == "+":
            net = ipaddress.ip_network(out["address"], strict=False)
            out["broadcast"] = str(net.broadcast_address)
        else:
            out["broadcast"] = str(_parse_ip(sub("broadcast"), raw["broadcast"], allow_prefix=False).ip)
    if raw.get("label") is not None:
        label = raw["label"]
        if family != 4:
            _fail(sub("label"), label, "is for IPv4 only: IPv6 addresses have no label (address %r)" % raw["address"])
        if not isinstance(label, str) or not label or len(label) > LABEL_MAX:
            _fail(sub("label"), label, "is not a label of 1 to %d characters" % LABEL_MAX)
        out["label"] = label
    if raw.get("scope") is not None:
        if family != 4:
            _fail(sub("scope"), raw["scope"], "is for IPv4 only: the kernel derives an IPv6 address's scope "
                  "from the address (%r)" % raw["address"])
        out["scope"] = _scope(sub("scope"), raw["scope"])
    valid = _lifetime(sub("valid_lft"), raw.get("valid_lft"))
    preferred = _lifetime(sub("preferred_lft"), raw.get("preferred_lft"))
    if valid == 0:
        _fail(sub("valid_lft"), raw.get("valid_lft"), "must be at least 1 second")
    if valid is not None and preferred is None:
        preferred = valid  # ip would refuse (preferred defaults to forever there)
    if preferred is not None and valid is None:
        valid = FOREVER
    if valid is not None and _lft_value(preferred) > _lft_value(valid):
        _fail(sub("preferred_lft"), raw.get("preferred_lft"), "is longer than valid_lft %r" % (valid,))
    out["valid_lft"], out["preferred_lft"] = valid, preferred
    out["noprefixroute"] = _bool(sub("noprefixroute"), raw.get("noprefixroute"))
    nodad = _bool(sub("nodad"), raw.get("nodad"))
    if nodad and family != 6:
        _fail(sub("nodad"), raw.get("nodad"), "is for IPv6 only (address %r)" % raw["address"])
    out["nodad"] = nodad if family == 6 else None
    out["metric"] = _metric(sub("metric"), raw.get("metric"))
    return out


def family_of(obj):
    return 6 if ":" in obj["address"] else 4


def local_of(obj):
    return obj["address"].split("/")[0]


def prefixlen_of(obj):
    return int(obj["address"].split("/")[1])


# -- the object kind ---------------------------------------------------------

class AddressKind(reconcile.ObjectKind):
    name = "address"
    immutable_fields = ()  # per family: see immutable()
    control_fields = ("state", "dev")

    def __init__(self):
        self.index = {}   # dev -> ifindex, filled by reads
        self.extra = {}   # key -> {"flags", "proto", "remaining": (valid, preferred)}

    def key(self, obj):
        return (obj["dev"], obj["address"])

    def immutable(self, obj):
        return IMMUTABLE_V4 if family_of(obj) == 4 else ()

    def differs(self, desired, current):
        out = []
        for field in reconcile.ObjectKind.differs(self, desired, current):
            want, have = desired[field], current.get(field)
            if field in ("valid_lft", "preferred_lft") and isinstance(want, int) and isinstance(have, int) \
                    and abs(want - have) <= LIFETIME_TOLERANCE:
                continue
            if field in ("noprefixroute", "nodad") and not want and not have:
                continue
            if field == "metric" and not want and not have:
                continue
            if field == "scope" and want == "global" and have is None:
                continue
            out.append(field)
        return out

    def merged(self, desired, current):
        out = reconcile.ObjectKind.merged(self, desired, current)
        out["dev"] = desired.get("dev") or current.get("dev")
        return out

    def _ifindex(self, ctx, dev):
        idx = self.index.get(dev)
        if idx is None:
            idx = ctx.ifindex(dev)
            self.index[dev] = idx
        return idx

    def request(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != reconcile.DELETE else change["before"]
        fam = family_of(obj)
        header = {"family": C.AF_INET if fam == 4 else C.AF_INET6, "prefixlen": prefixlen_of(obj),
                  "index": self._ifindex(ctx, obj["dev"]), "scope": 0, "flags": 0}
        local = local_of(obj)
        attrs = {"local": local, "address": obj.get("peer") or local}
        label = self.command(change, ctx)
        if op == reconcile.DELETE:
            return Request(C.RTM_DELADDR, 0, header, attrs, label)
        extra = self.extra.get(self.key(obj), {})
        flags = 0
        if obj.get("nodad"):
            flags |= A.IFA_F_NODAD
        if obj.get("noprefixroute"):
            flags |= A.IFA_F_NOPREFIXROUTE
        if op == reconcile.UPDATE:
            flags |= extra.get("flags", 0) & _KEPT_FLAGS
            if extra.get("proto"):
                attrs["proto"] = extra["proto"]
        header["flags"] = flags & 0xFF
        attrs["flags"] = flags
        scope = obj.get("scope")
        header["scope"] = SCOPES.get(scope, scope) if scope is not None else 0
        if fam == 4:
            if obj.get("broadcast"):
                attrs["broadcast"] = obj["broadcast"]
            attrs["label"] = obj.get("label") or obj["dev"]
        if obj.get("metric"):
            attrs["rt_priority"] = obj["metric"]
        valid, preferred = obj.get("valid_lft"), obj.get("preferred_lft")
        if op == reconcile.UPDATE and change["before"] is not None and "remaining" in extra:
            # A lifetime the update does not change keeps counting down:
            # send what remains of it, not the value it was set to.
            before = change["before"]
            rv, rp = extra["remaining"]
            if valid == before.get("valid_lft") and valid != FOREVER:
                valid = rv
            if preferred == before.get("preferred_lft") and preferred != FOREVER:
                preferred = rp
        attrs["cacheinfo"] = {"valid": _lft_value(valid), "preferred": _lft_value(preferred),
                              "cstamp": 0, "tstamp": 0}
        flags = C.NLM_F_REPLACE if op == reconcile.UPDATE else C.NLM_F_CREATE | C.NLM_F_EXCL
        return Request(C.RTM_NEWADDR, flags, header, attrs, label)

    def command(self, change, ctx):
        op = change["op"]
        obj = change["after"] if op != reconcile.DELETE else change["before"]
        fam = family_of(obj)
        local, plen = local_of(obj), prefixlen_of(obj)
        if obj.get("peer"):
            words = [local, "peer", "%s/%d" % (obj["peer"], plen)]
        else:
            words = [obj["address"]]
        words += ["dev", obj["dev"]]
        ip = ["ip", "-n", ctx.netns] if getattr(ctx, "netns", None) else ["ip"]
        if op == reconcile.DELETE:
            return " ".join(ip + ["addr", "del"] + words)
        if fam == 4 and obj.get("broadcast"):
            words += ["broadcast", obj["broadcast"]]
        if fam == 4 and obj.get("label") and obj["label"] != obj["dev"]:
            words += ["label", obj["label"]]
        if obj.get("scope") not in (None, "global"):
            words += ["scope", str(obj["scope"])]
        if obj.get("valid_lft") not in (None, FOREVER) or obj.get("preferred_lft") not in (None, FOREVER):
            words += ["valid_lft", str(obj.get("valid_lft") or FOREVER),
                      "preferred_lft", str(obj.get("preferred_lft") if obj.get("preferred_lft") is not None else FOREVER)]
        if obj.get("noprefixroute"):
            words.append("noprefixroute")
        if obj.get("nodad"):
            words.append("nodad")
        if obj.get("metric"):
            words += ["metric", str(obj["metric"])]
        verb = "replace" if op == reconcile.UPDATE else "add"
        return " ".join(ip + ["addr", verb] + words)

    # -- kernel -> object --------------------------------------------------

    def from_msg(self, msg, dev, uptime):
        """The address object for one RTM_NEWADDR message, in input format,
        kernel defaults left out (None keys dropped)."""
        h, a = msg.header, msg.attrs
        fam = 4 if h["family"] == C.AF_INET else 6 if h["family"] == C.AF_INET6 else None
        if fam is None:
            return None
        local = a.get("local") or a.get("address")
        peer = a.get("address") if a.get("local") is not None and a.get("address") not in (None, a.get("local")) else None
        flags = a.get("flags", h["flags"])
        obj = {"dev": dev, "address": "%s/%d" % (local, h["prefixlen"])}
        if peer:
            obj["peer"] = peer
        if fam == 4:
            if a.get("broadcast"):
                obj["broadcast"] = a["broadcast"]
            obj["label"] = a.get("label") or dev
            obj["scope"] = SCOPE_NAMES.get(h["scope"], h["scope"])
        ci = a.get("cacheinfo")
        remaining = None
        if ci:
            elapsed = max(0.0, uptime - ci["tstamp"] / 100.0)
            obj["valid_lft"] = self._as_set(ci["valid"], elapsed)
            obj["preferred_lft"] = self._as_set(ci["preferred"], elapsed)
            remaining = (FOREVER if ci["valid"] == INFINITY else max(ci["valid"], 1),
                         FOREVER if ci["preferred"] == INFINITY else ci["preferred"])
        else:
            obj["valid_lft"] = obj["preferred_lft"] = FOREVER
        obj["noprefixroute"] = bool(flags & A.IFA_F_NOPREFIXROUTE)
        if fam == 6:
            obj["nodad"] = bool(flags & A.IFA_F_NODAD)
        obj["metric"] = a.get("rt_priority", 0)
        extra = {"flags": flags, "proto": a.get("proto"), "secondary": bool(flags & A.IFA_F_SECONDARY),
                 "index": h["index"]}
        if remaining is not None:
            extra["remaining"] = remaining
        self.extra[self.key(obj)] = extra
        return obj

    @staticmethod
    def _as_set(remaining, elapsed):
        if remaining == INFINITY:
            return FOREVER
        return int(remaining + elapsed + 0.5)

    def kernel_made(self, obj):
        """Addresses the kernel made itself: IPv6 link-local (and loopback),
        by IFA_PROTO where the kernel reports it (6.3+), else by address."""
        proto = self.extra.get(self.key(obj), {}).get("proto")
        if proto in (IFAPROT_KERNEL_LO, IFAPROT_KERNEL_LL):
            return True
        ip = _net(obj["address"])
        if obj["dev"] == "lo" and str(ip) in ("127.0.0.1/8", "::1/128"):
            return True  # IPv4's is not marked (6.18)
        if proto or _kernel_has_ifa_proto():
            return False  # 6.3+ marks what it made; no mark: made by someone
        return ip.version == 6 and ip.ip in ipaddress.ip_network("fe80::/64") and ip.network.prefixlen == 64


def gathered_form(obj):
    """An object in the shortest input form that reproduces it (kernel
    defaults left out), as ``state: gathered`` returns it."""
    out = {"address": obj["address"]}
    if obj.get("peer"):
        out["peer"] = obj["peer"]
    if obj.get("broadcast"):
        out["broadcast"] = obj["broadcast"]
    if obj.get("label") and obj["label"] != obj["dev"]:
        out["label"] = obj["label"]
    if obj.get("scope") not in (None, "global"):
        out["scope"] = obj["scope"]
    for k in ("valid_lft", "preferred_lft"):
        if obj.get(k) not in (None, FOREVER):
            out[k] = obj[k]
    if out.get("valid_lft") is not None and "preferred_lft" not in out:
        out["preferred_lft"] = FOREVER
    for k in ("noprefixroute", "nodad"):
        if obj.get(k):
            out[k] = True
    if obj.get("metric"):
        out["metric"] = obj["metric"]
    return out


# -- the task ----------------------------------------------------------------

class AddressTask:
    """nl_addr's view of the engine (module_runner.Task protocol)."""

    result_key = "addresses"

    def __init__(self):
        self.kind = AddressKind()
        self._all = []          # every current address of the device, kernel order
        self._missing_dev = False

    def kinds(self):
        return {self.kind.name: self.kind}

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        dev = params.get("dev")
        single, many = params.get("address"), params.get("addresses")
        defaults = dict((k, params.get(k)) for k in ATTR_OPTIONS if params.get(k) is not None)
        if state == "gathered":
            if single is not None or many:
                raise reconcile.ValidationError("state: 'gathered' takes no address/addresses")
            return []
        if not dev:
            raise reconcile.ValidationError("dev: is required with state %r" % state)
        if single is not None and many is not None:
            raise reconcile.ValidationError("address and addresses are mutually exclusive")
        if single is None and many is None and state != "replaced":
            raise reconcile.ValidationError("one of address or addresses is required with state %r" % state)
        if single is not None:
            if not isinstance(single, (str, dict)):
                _fail("address", single, "is neither an address string nor a dict")
            items = [("address", single)]
        else:
            if not isinstance(many or [], list):
                _fail("addresses", many, "is not a list")
            items = [("addresses[%d]" % i, it) for i, it in enumerate(many or [])]
        out = []
        seen = {}
        item_state = "absent" if state == "absent" else "present"
        for where, item in items:
            obj = normalise_item(dev, item, where, defaults, item_state)
            key = self.kind.key(obj)
            if key in seen:
                _fail(where, item, "is listed twice (also %s)" % seen[key])
            seen[key] = where
            out.append(obj)
        if not out and defaults:
            raise reconcile.ValidationError("%s: given without address/addresses" % ", ".join(sorted(defaults)))
        return out

    # -- kernel reads --------------------------------------------------------

    def _read_dev(self, ctx, dev):
        """One GET of the link, one address dump filtered by its ifindex."""
        try:
            link = ctx.socket().get(C.RTM_GETLINK, {"family": C.AF_UNSPEC}, {"ifname": dev},
                                    label="ip link show dev %s" % dev)
        except NotFoundError:
            return None
        index = link.header["index"]
        self.kind.index[dev] = index
        uptime = _uptime()
        msgs = ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC, "index": index},
                                 label="ip addr show dev %s" % dev)
        out = []
        for m in msgs:
            if m.header["index"] != index:
                continue  # kernels without strict dump filtering
            obj = self.kind.from_msg(m, dev, uptime)
            if obj is not None:
                out.append(obj)
        return out

    def current(self, ctx, desired, params):
        dev = params.get("dev")
        objs = self._read_dev(ctx, dev)
        self._missing_dev = objs is None
        if objs is None:
            if params.get("state") in ("present", "replaced") and desired:
                raise reconcile.ValidationError("dev: %r: no such device" % dev)
            objs = []
        self._all = objs
        cur = {}
        for obj in objs:
            cur.setdefault(self.kind.key(obj), obj)  # IPv4 may hold one local/plen with several peers
        return cur

    def after(self, ctx, desired, params):
        if self._missing_dev:
            return []
        if ctx.write_requests:
            cur = self.current(ctx, desired, params)
        else:  # nothing was written (a no-op or check mode): what was read stands
            cur = dict((self.kind.key(o), o) for o in reversed(self._all))
        if params.get("state") == "replaced":
            return list(self._all)
        return [cur[k] for k in (self.kind.key(d) for d in desired) if k in cur]

    def gather(self, ctx, params):
        dev = params.get("dev")
        if dev:
            objs = self._read_dev(ctx, dev)
            if objs is None:
                raise reconcile.ValidationError("dev: %r: no such device" % dev)
            return [dict(gathered_form(o), dev=dev) for o in objs]
        uptime = _uptime()
        names = dict((i, m.attrs.get("ifname")) for i, m in ctx.links().items())
        out = []
        for m in ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC}, label="ip addr show"):
            name = names.get(m.header["index"]) or str(m.header["index"])
            obj = self.kind.from_msg(m, name, uptime)
            if obj is not None:
                out.append(dict(gathered_form(obj), dev=name))
        return out

    # -- plan ------------------------------------------------------------------

    def plan(self, ctx, desired, current, params):
        kind = self.kind
        recreate = bool(params.get("recreate"))
        state = params.get("state")
        deletes, updates, creates = [], [], []
        matched = set()  # id() of current objects the desired ones account for

        by_local6 = {}
        for obj in self._all:
            if family_of(obj) == 6:
                by_local6.setdefault(local_of(obj), []).append(obj)

        by_key = {}
        for obj in self._all:
            by_key.setdefault(kind.key(obj), []).append(obj)

        def pick(d):
            """The current object for desired ``d``: same key, and for IPv4
            several peers on one local/prefix, the one with d's peer."""
            same = by_key.get(kind.key(d))
            if not same:
                return None
            for o in same:
                if d.get("peer") is None or o.get("peer") == d.get("peer"):
                    return o
            return same[0]

        for d in desired:
            cur = pick(d)
            if d["state"] == "absent":
                if cur is not None:
                    deletes.append(reconcile.change(kind, reconcile.DELETE, cur, None))
                    matched.add(id(cur))
                continue
            if cur is None:
                if family_of(d) == 6:
                    for other in by_local6.get(local_of(d), []):
                        if id(other) not in matched:
                            matched.add(id(other))
                            deletes.append(reconcile.change(
                                kind, reconcile.DELETE, other, None,
                                "an IPv6 address has one prefix length: %s replaces it" % d["address"]))
                creates.append(reconcile.change(kind, reconcile.CREATE, None, kind.merged(d, {})))
                continue
            matched.add(id(cur))
            fields = kind.differs(d, cur)
            if not fields:
                continue
            after = kind.merged(d, cur)
            fixed = [f for f in fields if f in kind.immutable(cur)]
            if fixed:
                what = ", ".join(fixed)
                if not recreate:
                    raise reconcile.PlanError(
                        "address %s on %s: the kernel cannot change %s of an existing IPv4 address in "
                        "place; set recreate=true to delete and re-add it" % (cur["address"], cur["dev"], what))
                note = "re-created: %s cannot be changed in place" % what
                deletes.append(reconcile.change(kind, reconcile.DELETE, cur, None, note))
                creates.append(reconcile.change(kind, reconcile.CREATE, None, after, note))
            else:
                updates.append(reconcile.change(kind, reconcile.UPDATE, cur, after))

        if state == "replaced":
            for obj in self._all:
                if id(obj) not in matched and not kind.kernel_made(obj):
                    deletes.append(reconcile.change(kind, reconcile.DELETE, obj, None,
                                                    "not listed (state=replaced)"))
                    matched.add(id(obj))

        deletes, readd = self._secondaries(deletes, updates, creates)
        # Deletes first (secondaries before their primaries), then in-place
        # updates, then adds in the order the user listed them (the first
        # IPv4 address of a subnet becomes its primary).
        position = dict((kind.key(d), i) for i, d in enumerate(desired))
        adds = sorted(readd + creates, key=lambda ch: position.get(kind.key(ch["after"]), -1))
        return deletes + updates + adds

    def _secondaries(self, deletes, updates, creates):
        """Order deletes secondaries-first; re-add kept secondaries whose
        primary goes (the kernel deletes them with it unless
        promote_secondaries is set)."""
        kind = self.kind

        def secondary(obj):
            return kind.extra.get(kind.key(obj), {}).get("secondary", False)

        def subnet(obj):
            return (obj["dev"], str(_net(obj["address"]).network))

        gone = set(id(ch["before"]) for ch in deletes)
        primaries = set(subnet(ch["before"]) for ch in deletes
                        if family_of(ch["before"]) == 4 and not secondary(ch["before"]))
        readd = []
        if primaries:
            updated = dict((id(ch["before"]), ch) for ch in updates)
            for obj in self._all:
                if id(obj) in gone or family_of(obj) != 4 or not secondary(obj) or subnet(obj) not in primaries:
                    continue
                note = "re-added: deleting the primary address of %s deletes its secondaries" % subnet(obj)[1]
                deletes.append(reconcile.change(kind, reconcile.DELETE, obj, None, note))
                upd = updated.get(id(obj))
                after = upd["after"] if upd is not None else obj
                if upd is not None:
                    updates.remove(upd)
                readd.append(reconcile.change(kind, reconcile.CREATE, None, after, note))
        deletes.sort(key=lambda ch: 0 if secondary(ch["before"]) else 1)
        return deletes, readd
