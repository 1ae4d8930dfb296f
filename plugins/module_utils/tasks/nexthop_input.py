# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_nexthop's input: one nexthop (top-level options or a ``nexthops``
item) -> a validated nexthop object in the kind's format
(objects/nexthop.py).  Every error names the option
(``nexthops[2].group[0].weight``) and the value; nothing is read or
changed before all of them pass."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ..netlink.rtnl.route import RTPROT
from ..objects import rt_names
from ..objects.nexthop import GROUP_TYPES, RES_FIELDS
from ..objects.route import ENCAP_TYPES
from .neigh_input import boolean, family_word
from .validate import fail, list_item, parse_ip, validate_ifname

ENTRY_OPTIONS = ("id", "gateway", "dev", "onlink", "blackhole", "fdb", "family", "group", "type") + RES_FIELDS + (
    "protocol",)
# ``encap`` is a list item's only (as gathered returns it): the type of
# an encapsulation the kernel holds, which nl_nexthop does not model; an
# item with it matches only the nexthop the kernel holds with that type
ITEM_KEYS = ENTRY_OPTIONS + ("state", "encap")
DEFAULT_PROTOCOL = "static"
MAX_WEIGHT = 256       # ip nexthop's id,weight (the wire's u8 is weight - 1)
MAX_ID = 2 ** 32 - 1


def protocol(option, value):
    return RTPROT.name_of(rt_names.number("rt_protos", value, option, builtin=RTPROT, limit=255))


def integer(option, value, low, high, what):
    if isinstance(value, bool) or value is None:
        fail(option, value, "not %s" % what)
    try:
        number = int(str(value).strip())
    except ValueError:
        fail(option, value, "not %s" % what)
    if not low <= number <= high:
        fail(option, value, "out of range: %s is %d to %d" % (what, low, high))
    return number


def timer(option, value):
    """Seconds, as ``ip nexthop`` takes them (whole; the kernel keeps clock_t)."""
    return integer(option, value, 0, (2 ** 32 - 1) // 100, "a number of seconds")


def members(option, value, own_id):
    if not isinstance(value, list) or not value:
        fail(option, value, "not a list of members ({id, weight})")
    out, seen = [], set()
    for i, m in enumerate(value):
        where = "%s[%d]" % (option, i)
        if isinstance(m, int) and not isinstance(m, bool):
            m = {"id": m}
        if not isinstance(m, dict) or set(m) - {"id", "weight"}:
            fail(where, m, "not a member: {id, weight}")
        mid = integer(where + ".id", m.get("id"), 1, MAX_ID, "a nexthop id")
        if mid == own_id:
            fail(where + ".id", mid, "a group cannot hold itself")
        if mid in seen:
            fail(where + ".id", mid, "is listed twice")
        seen.add(mid)
        weight = 1 if m.get("weight") is None else integer(where + ".weight", m["weight"], 1, MAX_WEIGHT, "a weight")
        out.append({"id": mid, "weight": weight})
    return out


def entry(raw, where, state):
    """One nexthop from ``raw`` -> the kind's object with its ``state``;
    an absent one needs only its id."""
    get = raw.get
    obj = {"id": integer(where("id"), get("id"), 1, MAX_ID, "a nexthop id")}
    prot = protocol(where("protocol"), get("protocol") if get("protocol") is not None else DEFAULT_PROTOCOL)
    if state != "present":
        obj.update(protocol=prot, state=state)
        return obj
    for flag in ("onlink", "blackhole", "fdb"):
        obj[flag] = boolean(where(flag), get(flag))
    group = get("group")
    gtype = get("type")
    if gtype is not None and gtype not in GROUP_TYPES:
        fail(where("type"), gtype, "not a group type; use %s" % " or ".join(GROUP_TYPES))
    obj.update(family=None, gateway=None, dev=None, group=None, type=None, buckets=None, idle_timer=None,
               unbalanced_timer=None, protocol=prot, encap=None)
    if group is not None:
        for option in ("gateway", "dev", "family"):
            if get(option) is not None:
                fail(where(option), get(option), "a group (group=...) has no %s: its members have" % option)
        for flag in ("onlink", "blackhole"):
            if obj[flag]:
                fail(where(flag), True, "a group (group=...) is not %s: its members may be" % flag)
        obj["group"] = members(where("group"), group, obj["id"])
        obj["type"] = gtype or "mpath"
        for field in RES_FIELDS:
            if get(field) is None:
                continue
            if obj["type"] != "resilient":
                fail(where(field), get(field), "goes with type=resilient only")
            obj[field] = integer(where(field), get(field), 1, 2 ** 16 - 1, "a bucket count") \
                if field == "buckets" else timer(where(field), get(field))
        obj["state"] = state
        return obj
    if gtype is not None:
        fail(where("type"), gtype, "goes with group only")
    for field in RES_FIELDS:
        if get(field) is not None:
            fail(where(field), get(field), "goes with a resilient group only")
    if obj["blackhole"]:
        for option in ("gateway", "dev"):
            if get(option) is not None:
                fail(where(option), get(option), "a blackhole nexthop has no %s" % option)
        if obj["onlink"] or obj["fdb"]:
            fail(where("onlink" if obj["onlink"] else "fdb"), True, "not with blackhole")
    if get("gateway") is not None:
        addr = parse_ip(get("gateway"), where("gateway"), allow_prefix=False).ip
        obj["gateway"] = str(addr)
        obj["family"] = addr.version
    if get("dev") is not None:
        validate_ifname(get("dev"), where("dev"))
        obj["dev"] = get("dev")
        if obj["fdb"]:
            fail(where("dev"), get("dev"), "an fdb nexthop has no device")
    if get("family") is not None:
        fam = family_word(where("family"), get("family"))
        if obj["family"] not in (None, fam):
            fail(where("family"), get("family"), "the gateway %s is IPv%d" % (obj["gateway"], obj["family"]))
        obj["family"] = fam
    if obj["family"] is None:
        obj["family"] = 4   # ip nexthop's default family
    if not (obj["blackhole"] or obj["gateway"] or obj["dev"]):
        fail(where("id"), obj["id"], "a nexthop needs a gateway, a dev, blackhole=true or a group")
    if obj["fdb"] and not obj["gateway"]:
        fail(where("fdb"), True, "an fdb nexthop needs a gateway (the VTEP)")
    if obj["onlink"] and not (obj["gateway"] and obj["dev"]):
        fail(where("onlink"), True, "onlink needs a gateway and a dev")
    if get("encap") is not None:
        if get("encap") not in ENCAP_TYPES.values():
            fail(where("encap"), get("encap"), "not an encapsulation type (%s)"
                 % ", ".join(sorted(ENCAP_TYPES.values())))
        obj["encap"] = get("encap")
    obj["state"] = state
    return obj


def item_raw(where, item):
    return list_item(where, item, ITEM_KEYS, "nexthop options")
