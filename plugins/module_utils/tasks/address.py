# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_addr's Task: params -> validated, normalised desired addresses; one
link GET and one address dump of the device; a plan that matches desired
to current addresses the way the kernel identifies them.

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

from .. import contract
from .base import Task
from .validate import canonical_ip, parse_ip, truth
from ..netlink import const as C
from ..netlink.errors import NotFoundError
from ..objects import registry
from ..objects.address import (FOREVER, INFINITY, SCOPE_NAMES, SCOPES, boottime, default_scope, family_of,
                               kernel_of, lft_value, local_of)

ITEM_OPTIONS = ("address", "peer", "broadcast", "label", "scope", "valid_lft",
                "preferred_lft", "noprefixroute", "nodad", "metric")
ATTR_OPTIONS = ITEM_OPTIONS[1:]
_V4_ONLY = ("broadcast", "label", "scope")
_V6_ONLY = ("nodad",)
LABEL_MAX = 15  # IFNAMSIZ - 1
DEVICE_KEYS = ("dev", "addresses", "state")


# -- validation --------------------------------------------------------------

def _fail(where, value, why):
    raise contract.ValidationError("%s: %r %s" % (where, value, why))


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
    word = truth(value) if isinstance(value, (str, int)) else None
    if word is None:
        _fail(where, value, "is not a boolean")
    return word


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
        if "dev" in item:
            # Gathered output names the device of each address, so that it
            # can be pasted back: accepted when it is this task's device.
            if item["dev"] != dev:
                _fail("%s.dev" % where, item["dev"], "differs from dev=%s: one task manages one device" % dev)
            item = dict((k, v) for k, v in item.items() if k != "dev")
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
    iface = parse_ip(raw["address"], where if isinstance(item, str) else sub("address"))
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
        peer = parse_ip(raw["peer"], sub("peer"))
        if peer.version != family:
            _fail(sub("peer"), raw["peer"], "is IPv%d but address %r is IPv%d" % (peer.version, raw["address"], family))
        if "/" in str(raw["peer"]):
            if has_prefix and peer.network.prefixlen != prefixlen:
                _fail(sub("peer"), raw["peer"], "has prefix length /%d but address %r has /%d"
                      % (peer.network.prefixlen, raw["address"], prefixlen))
            prefixlen = peer.network.prefixlen
        out["peer"] = canonical_ip(peer.ip)
    out["address"] = "%s/%d" % (canonical_ip(iface.ip), prefixlen)
    if raw.get("broadcast") is not None:
        if family != 4:
            _fail(sub("broadcast"), raw["broadcast"], "is for IPv4 only (address %r)" % raw["address"])
        if str(raw["broadcast"]).strip() == "+":
            net = ipaddress.ip_network(out["address"], strict=False)
            out["broadcast"] = str(net.broadcast_address)
        else:
            out["broadcast"] = str(parse_ip(raw["broadcast"], sub("broadcast"), allow_prefix=False).ip)
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
    if valid is not None and lft_value(preferred) > lft_value(valid):
        _fail(sub("preferred_lft"), raw.get("preferred_lft"), "is longer than valid_lft %r" % (valid,))
    if family == 4 and valid == FOREVER and preferred not in (0, FOREVER):
        # The kernel keeps no countdown for a permanent IPv4 address: it
        # would report "forever" and every run would re-send it.
        _fail(sub("preferred_lft"), raw.get("preferred_lft"), "needs a finite valid_lft on an IPv4 address (the "
              "kernel counts no preferred lifetime down on an address valid forever; only 0, deprecated, holds)")
    out["valid_lft"], out["preferred_lft"] = valid, preferred
    out["noprefixroute"] = _bool(sub("noprefixroute"), raw.get("noprefixroute"))
    nodad = _bool(sub("nodad"), raw.get("nodad"))
    if nodad and family != 6:
        _fail(sub("nodad"), raw.get("nodad"), "is for IPv6 only (address %r)" % raw["address"])
    out["nodad"] = nodad if family == 6 else None
    out["metric"] = _metric(sub("metric"), raw.get("metric"))
    return out


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
    if obj.get("scope") not in (None, default_scope(obj)):
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

class AddressTask(Task):
    """nl_addr's view of the engine.  The kind is the registry's (stateless:
    what the reads learnt travels in each object's ``kernel`` block).
    Desired addresses carry the devices the task manages (``scope``: a
    list of (dev, state), in order); current ones what the read saw
    (``seen``: ``{"all": dev -> every current address of the device, in
    the kernel's order, "missing": the devices that do not exist}``)."""

    result_key = "addresses"

    def __init__(self):
        self.kind = registry.kind("address")

    # -- params -> desired ---------------------------------------------------

    def desired(self, params):
        state = params.get("state") or "present"
        defaults = dict((k, params.get(k)) for k in ATTR_OPTIONS if params.get(k) is not None)
        devices = params.get("devices")
        if state == "gathered":
            if params.get("address") is not None or params.get("addresses") or devices:
                raise contract.ValidationError("state: 'gathered' takes no address/addresses/devices")
            return []
        groups = []  # (dev, state) of each device the task manages, in order
        if devices is None:
            if not params.get("dev"):
                return contract.Desired(self._per_item_devices(state, params, defaults, groups), scope=groups)
            groups.append((params["dev"], state))
            return contract.Desired(self._dev_desired(params["dev"], state, params.get("address"),
                                                      params.get("addresses"), defaults, ""), scope=groups)
        given = [k for k in ("dev", "address", "addresses") if params.get(k) is not None]
        if given:
            raise contract.ValidationError("devices: cannot be combined with %s (each devices[] entry names its "
                                           "dev and addresses)" % ", ".join(given))
        if not isinstance(devices, list):
            _fail("devices", devices, "is not a list")
        out, seen = [], {}
        for i, entry in enumerate(devices):
            where = "devices[%d]" % i
            if not isinstance(entry, dict):
                _fail(where, entry, "is not a dict with dev, addresses and state")
            unknown = sorted(str(k) for k in entry if k not in DEVICE_KEYS)
            if unknown:
                _fail(where, entry, "has unknown key(s) %s (known: %s)" % (", ".join(unknown), ", ".join(DEVICE_KEYS)))
            dev = entry.get("dev")
            if not dev or not isinstance(dev, str):
                _fail("%s.dev" % where, dev, "is required: the device whose addresses the entry lists")
            if dev in seen:
                _fail("%s.dev" % where, dev, "is listed twice (also %s)" % seen[dev])
            seen[dev] = where
            dev_state = entry.get("state") or state
            if dev_state not in ("present", "absent", "replaced"):
                _fail("%s.state" % where, dev_state, "is not one of present, absent, replaced")
            groups.append((dev, dev_state))
            out.extend(self._dev_desired(dev, dev_state, None, entry.get("addresses"), defaults, where + "."))
        return contract.Desired(out, scope=groups)

    def _per_item_devices(self, state, params, defaults, groups):
        """No top-level ``dev``: every ``addresses`` item names its own
        device (as ``state: gathered`` returns them), and each device named
        is managed as with ``dev`` (``replaced``: the devices named, each
        keeping only its listed addresses)."""
        many = params.get("addresses")
        if params.get("address") is not None or not many or not isinstance(many, list):
            raise contract.ValidationError(
                "dev: is required with state %r (or give addresses whose every item names its dev, as "
                "state=gathered returns them)" % state)
        by_dev = {}
        for i, item in enumerate(many):
            where = "addresses[%d]" % i
            dev = item.get("dev") if isinstance(item, dict) else None
            if not dev or not isinstance(dev, str):
                _fail(where + ".dev", dev, "is required when the task has no top-level dev (the device of "
                      "this address)")
            if dev not in by_dev:
                by_dev[dev] = []
                groups.append((dev, state))
            by_dev[dev].append((where, item))
        out = []
        for dev, _state in groups:
            out.extend(self._normalise_items(dev, state, by_dev[dev], defaults, ""))
        return out

    def _dev_desired(self, dev, state, single, many, defaults, prefix):
        """The desired addresses of one device (``prefix``: where its
        options sit in the params, for error messages)."""
        if single is not None and many is not None:
            raise contract.ValidationError("address and addresses are mutually exclusive")
        if single is None and many is None:
            if state == "replaced":
                raise contract.ValidationError(
                    "%saddresses: required with state 'replaced' (the device's addresses become exactly the "
                    "ones listed; to remove all but the kernel's own, give addresses: [])" % prefix)
            raise contract.ValidationError("one of %saddress or %saddresses is required with state %r"
                                           % (prefix, prefix, state))
        if single is not None:
            if not isinstance(single, (str, dict)):
                _fail("address", single, "is neither an address string nor a dict")
            items = [("address", single)]
        else:
            if not isinstance(many or [], list):
                _fail(prefix + "addresses", many, "is not a list")
            items = [("%saddresses[%d]" % (prefix, i), it) for i, it in enumerate(many or [])]
        return self._normalise_items(dev, state, items, defaults, prefix)

    def _normalise_items(self, dev, state, items, defaults, prefix):
        """``items`` ((where, item) pairs) of device ``dev``, normalised;
        an address listed twice is refused, naming both places."""
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
        if not out and defaults and not prefix:
            raise contract.ValidationError("%s: given without address/addresses" % ", ".join(sorted(defaults)))
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
        uptime = boottime()
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

    def current(self, ctx, desired, params, mode):
        cur = contract.Current(seen={"all": {}, "missing": set()})
        for dev, state in desired.scope:
            objs = self._read_dev(ctx, dev)
            if objs is None:
                cur.seen["missing"].add(dev)
                if state in ("present", "replaced") and any(d["dev"] == dev for d in desired):
                    self.missing_in_check_mode(mode, "dev=%s" % dev, "its addresses are planned as if it had none",
                                               "dev: %r: no such device" % dev, made=("link", (dev,)))
                objs = []
            else:
                cur.seen["missing"].discard(dev)
                objs = mode.ahead.without_gone(self.kind, objs)  # a re-created link's, in a transaction
            cur.seen["all"][dev] = objs
            for obj in objs:
                cur.setdefault(self.kind.key(obj), obj)  # IPv4 may hold one local/plen with several peers
        return cur

    def after(self, ctx, desired, params, current):
        if ctx.write_requests:
            current = self.reread(ctx, desired, params)
        out = []
        for dev, state in desired.scope:
            if dev in current.seen["missing"]:
                continue
            objs = current.seen["all"][dev]
            if state == "replaced":
                out.extend(objs)
                continue
            cur = dict((self.kind.key(o), o) for o in reversed(objs))
            out.extend(cur[k] for k in (self.kind.key(d) for d in desired if d["dev"] == dev) if k in cur)
        return out

    def gather(self, ctx, params):
        dev = params.get("dev")
        if dev:
            objs = self._read_dev(ctx, dev)
            if objs is None:
                raise contract.ValidationError("dev: %r: no such device" % dev)
            return [dict(gathered_form(o), dev=dev) for o in objs]
        uptime = boottime()
        names = dict((i, m.attrs.get("ifname")) for i, m in ctx.links().items())
        out = []
        for m in ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC}, label="ip addr show"):
            name = names.get(m.header["index"]) or str(m.header["index"])
            obj = self.kind.from_msg(m, name, uptime)
            if obj is not None:
                out.append(dict(gathered_form(obj), dev=name))
        return out

    # -- plan ------------------------------------------------------------------

    def plan(self, ctx, desired, current, params, mode):
        """Each device's changes, then all of them in one order: deletes an
        add depends on, in-place updates, adds, every other delete."""
        first, updates, adds, last = [], [], [], []
        for dev, state in desired.scope:
            parts = self._plan_dev(current.seen["all"].get(dev, []), [d for d in desired if d["dev"] == dev], state,
                                   bool(params.get("recreate")))
            for into, part in zip((first, updates, adds, last), parts):
                into.extend(part)
        return first + updates + adds + last

    def _plan_dev(self, present, desired, state, recreate):
        """(first deletes, updates, adds, last deletes) for one device whose
        current addresses are ``present``."""
        kind = self.kind
        deletes, updates, creates = [], [], []
        matched = set()  # id() of current objects the desired ones account for

        by_local6 = {}
        for obj in present:
            if family_of(obj) == 6:
                by_local6.setdefault(local_of(obj), []).append(obj)

        by_key = {}
        for obj in present:
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
                    deletes.append(contract.change(kind, contract.DELETE, cur, None))
                    matched.add(id(cur))
                continue
            if cur is None:
                if family_of(d) == 6:
                    for other in by_local6.get(local_of(d), []):
                        if id(other) not in matched:
                            matched.add(id(other))
                            deletes.append(contract.change(
                                kind, contract.DELETE, other, None,
                                "an IPv6 address has one prefix length: %s replaces it" % d["address"]))
                creates.append(contract.change(kind, contract.CREATE, None, kind.merged(d, {})))
                continue
            matched.add(id(cur))
            fields = kind.differs(d, cur)
            if not fields:
                continue
            after = kind.merged(d, cur)
            fixed = kind.fixed(d, cur, fields)
            if fixed:
                what = ", ".join(fixed)
                if not recreate:
                    raise contract.PlanError(
                        "address %s on %s: the kernel cannot change %s of an existing IPv4 address in "
                        "place; set recreate=true to delete and re-add it" % (cur["address"], cur["dev"], what))
                note = "re-created: %s cannot be changed in place" % what
                deletes.append(contract.change(kind, contract.DELETE, cur, None, note))
                creates.append(contract.change(kind, contract.CREATE, None, after, note))
            else:
                updates.append(contract.change(kind, contract.UPDATE, cur, after))

        if state == "replaced":
            for obj in present:
                if id(obj) not in matched and not kind.kernel_made(obj):
                    deletes.append(contract.change(kind, contract.DELETE, obj, None,
                                                   "not listed (state=replaced)"))
                    matched.add(id(obj))

        deletes, readd = self._secondaries(present, deletes, updates, creates)
        # Deletes that an add depends on first (secondaries before their
        # primaries), then in-place updates, then adds in the order the user
        # listed them (the first IPv4 address of a subnet becomes its
        # primary), then every other delete: a refused add never has to
        # bring back an address already deleted.
        position = dict((kind.key(d), i) for i, d in enumerate(desired))
        adds = sorted(readd + creates, key=lambda ch: position.get(kind.key(ch["after"]), -1))
        first = [ch for ch in deletes if self._blocks_an_add(ch, adds)]
        last = [ch for ch in deletes if not self._blocks_an_add(ch, adds)]
        return first, updates, adds, last

    @staticmethod
    def _blocks_an_add(delete, adds):
        """Must ``delete`` go before the adds?  An IPv6 local re-added with
        another prefix length cannot coexist with its old one; an IPv4 add
        in the subnet of a deleted address would become a secondary of it
        and go with it."""
        gone = delete["before"]
        net = ipaddress.ip_interface(gone["address"]).network
        for ch in adds:
            new = ch["after"]
            if new["dev"] != gone["dev"] or family_of(new) != family_of(gone):
                continue
            if family_of(gone) == 6 and local_of(new) == local_of(gone):
                return True
            if family_of(gone) == 4 and ipaddress.ip_interface(new["address"]).network.overlaps(net):
                return True
        return False

    def _secondaries(self, present, deletes, updates, creates):
        """Order deletes secondaries-first; re-add kept secondaries whose
        primary goes (the kernel deletes them with it unless
        promote_secondaries is set)."""
        kind = self.kind

        def secondary(obj):
            return kernel_of(obj).get("secondary", False)

        def subnet(obj):
            return (obj["dev"], str(ipaddress.ip_interface(obj["address"]).network))

        gone = set(id(ch["before"]) for ch in deletes)
        primaries = set(subnet(ch["before"]) for ch in deletes
                        if family_of(ch["before"]) == 4 and not secondary(ch["before"]))
        readd = []
        if primaries:
            updated = dict((id(ch["before"]), ch) for ch in updates)
            for obj in present:
                if id(obj) in gone or family_of(obj) != 4 or not secondary(obj) or subnet(obj) not in primaries:
                    continue
                note = "re-added: deleting the primary address of %s deletes its secondaries" % subnet(obj)[1]
                deletes.append(contract.change(kind, contract.DELETE, obj, None, note))
                upd = updated.get(id(obj))
                after = upd["after"] if upd is not None else obj
                if upd is not None:
                    updates.remove(upd)
                readd.append(contract.change(kind, contract.CREATE, None, after, note))
        deletes.sort(key=lambda ch: 0 if secondary(ch["before"]) else 1)
        return deletes, readd
