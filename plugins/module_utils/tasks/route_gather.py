# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route's reads: the kernel-filtered route dump, and ``state:
gathered`` (every route of a dump in the module's input form).

Gathered is the one read that decodes a whole table (a million routes
beside a full BGP feed), so it does not go through the route object nor
the generic decoder: a plain route message (a destination, a gateway, a
device, a metric, a table...) is read by its remembered shape (the wire
layer's shape reader, R.ROUTE.reader: one struct call, the attributes
named by their schema names) and turned straight into its input form as
it arrives, from tables of names built once; nothing of the message is
kept.  Messages with anything
more (next hops, metrics, encapsulation, RTA_VIA, a nexthop object, an
IPv6 source prefix, an attribute the shapes do not know) take the
object's way (the schema's decode, ``RouteKind.from_msg``,
``gathered_form``); tests/unit/tasks/test_route_gather.py holds both ways
to the same result.  IPv6 routes through a gateway take the direct way
too: current kernels dump a multipath route as one message (RTA_MULTIPATH,
the object's way), older ones sent each hop as a route of its own, and
routes() joins those of one key, in input form, after the dump.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import functools
import socket

from ..netlink import const as C
from ..netlink.errors import NetlinkError
from ..netlink.socket import Message
from ..netlink.rtnl import route as R
from .route_validate import LOCAL_TABLE_TYPES, NO_PATH_TYPES, PROTOCOL_STATIC
from ..objects.route import AF, FAMILIES, IP6_DEFAULT_METRIC, USER_HZ, default_scope, is_sibling, table_name

# The attributes a message read the direct way may hold, by their schema
# names (R.ROUTE declares them; the reader takes their values from it):
# any other attribute, or one of another size, sends a message the object's
# way.  The order is that of a shape's layout (see Gathered._layout).
SHAPE_NAMES = ("table", "gateway", "dst", "oif", "prefsrc", "cacheinfo.expires", "priority", "pref")
ADDRESSES = ("gateway", "dst", "prefsrc")
_ADDRESS_AT = tuple(SHAPE_NAMES.index(n) for n in ADDRESSES)
# where each rtmsg field is in a message's values (R.RTMSG's order)
_HEAD = dict((name, i) for i, name in enumerate(R.RTMSG.field_names))
PREFIX_LENGTHS = tuple("/%d" % n for n in range(256))


def dump(ctx, family, table=None, protocol=None, oif=None, factory=None, raw=False):
    """The routes of one family, filtered by the kernel on table, protocol
    and output device (None: any), each handed to ``factory(message)``
    (see NetlinkSocket.dump; ``raw``: ``factory(data, start, end)``).  A
    table the kernel does not have holds no routes (the kernel answers
    ENOENT)."""
    header = {"family": AF[family]}
    attrs = {}
    if table is not None:
        attrs["table"] = table
    if protocol is not None:
        header["protocol"] = protocol
    if oif is not None:
        attrs["oif"] = oif
    # Devices are named through ctx.links(): dumped first, as a dump in
    # the middle of this one would read this one's replies.
    ctx.links()
    label = "ip -%d route show%s%s%s" % (
        family, "" if table is None else " table %d" % table, "" if protocol is None else " proto %d" % protocol,
        "" if oif is None else " oif %d" % oif)
    try:
        return ctx.socket().dump(C.RTM_GETROUTE, header, attrs, factory=factory, label=label, raw=raw)
    except NetlinkError as exc:
        if exc.errno == errno.ENOENT:
            return []
        raise


def gathered_form(obj):
    """A route object in the shortest input form that makes it again
    (kernel defaults left out), as ``state: gathered`` returns it."""
    out = {"dst": obj["dst"]}
    if obj["dst"] == "default":
        out["family"] = obj["family"]
    no_path = obj["type"] in NO_PATH_TYPES
    for field in ("gateway", "dev", "nhid", "nexthops", "src", "src_prefix", "expires", "encap"):
        if obj.get(field) and not (no_path and field == "dev"):
            out[field] = obj[field]
    if out.get("nexthops"):
        out["nexthops"] = [dict((k, v) for k, v in hop.items() if v and not (k == "weight" and v == 1))
                           for hop in obj["nexthops"]]
    if obj.get("onlink"):
        out["onlink"] = True
    if obj["type"] != "unicast":
        out["type"] = obj["type"]
    local = obj["type"] in LOCAL_TABLE_TYPES
    if obj["table"] != ("local" if local else "main"):
        out["table"] = obj["table"]
    if obj["protocol"] != PROTOCOL_STATIC:
        out["protocol"] = obj["protocol"]
    if obj["metric"] != (IP6_DEFAULT_METRIC if obj["family"] == 6 else 0):
        out["metric"] = obj["metric"]
    if obj.get("tos"):
        out["tos"] = obj["tos"]
    if obj["family"] == 4 and obj.get("scope") != default_scope(obj):
        out["scope"] = obj["scope"]
    if obj.get("pref") not in (None, "medium"):
        out["pref"] = obj["pref"]
    if obj.get("metrics"):
        out["metrics"] = obj["metrics"]
    return out


class _Names(dict):
    """number -> name of one enum, filled on first use (``name_of``)."""

    def __init__(self, name_of):
        dict.__init__(self)
        self.name_of = name_of

    def __missing__(self, number):
        name = self[number] = self.name_of(number)
        return name


def _type_defaults(type_name):
    """For a route type: (the table it goes to without one, whether it
    forwards nowhere, its default scope with a gateway, without one)."""
    probe = {"type": type_name}
    return ("local" if type_name in LOCAL_TABLE_TYPES else "main", type_name in NO_PATH_TYPES,
            default_scope(dict(probe, gateway="x")), default_scope(probe))


class _Sibling:
    """A route object that may be one hop of an IPv6 multipath route (a
    kernel may send each hop as its own message): joined after the dump."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj


class Gathered:
    """The factory of a gathered dump (``raw``: ``add(data, start, end)``
    per reply), then ``routes(listed)``: every route in the kernel's order,
    in input form.  IPv6 routes that share a key but not a device (each
    link's fe80::/64) are all listed; IPv6 multipath siblings are joined as
    the task reads them.  Each route is returned by ``add`` (a restarted
    dump starts a new list: nothing is kept here but names and shapes)."""

    def __init__(self, kind, ctx, table=None, protocol=None):
        self.kind = kind
        self.ctx = ctx
        self.table = table
        self.protocol = protocol
        self.types = _Names(R.RTN_TYPE.name_of)
        self.tables = _Names(table_name)
        self.protocols = _Names(R.RTPROT.name_of)
        self.scopes = _Names(R.RT_SCOPE.name_of)
        self.prefs = _Names(R.ICMPV6_ROUTER_PREF.name_of)
        self.type_defaults = _Names(_type_defaults)
        self.ifnames = _Names(ctx.ifname)
        # [True] once an IPv6 route that may be one hop of a multipath
        # route was read: routes() then joins those of one key
        self.maybe_hops = [False]
        self._form = self._make_form()
        # the factory: messages of a remembered shape go to _form, others
        # (and those _form declines) to _add_slow
        self.add = R.ROUTE.reader(SHAPE_NAMES, self._form, self._add_slow, prepare=_layout)
        self.shapes = self.add.shapes

    def routes(self, listed):
        """The dump's list in input form, IPv6 multipath siblings joined
        into the first of their key (the kernel's own order kept)."""
        if not self.maybe_hops[0]:
            return listed
        out = []
        first = {}  # dst -> position in out of its first possible hop (a list of them, rarely)
        for item in listed:
            if type(item) is _Sibling:  # pylint: disable=unidiomatic-typecheck
                item = gathered_form(item.obj)
            elif not _may_be_hop(item):
                out.append(item)
                continue
            dst = item["dst"]
            at = first.get(dst)
            if at is None:
                first[dst] = len(out)
                out.append(item)
                continue
            key = _hop_key(item)
            places = at if type(at) is list else [at]  # pylint: disable=unidiomatic-typecheck
            for i in places:
                if _hop_key(out[i]) == key:
                    out[i] = _joined(out[i], item)
                    break
            else:
                first[dst] = places + [len(out)]
                out.append(item)
        return out

    def form(self, v, layout):
        """The input form of a message of a known shape (``v``: its values),
        None when it is filtered out, False when it needs the object's way."""
        return self._form(v, layout)

    def _make_form(self):
        """``form`` as a closure over the name tables: it runs once per
        route of a whole table, and locals are what Python reads fastest."""
        table_filter, protocol_filter = self.table, self.protocol
        types, tables, protocols, scopes, prefs = self.types, self.tables, self.protocols, self.scopes, self.prefs
        type_defaults, ifnames = self.type_defaults, self.ifnames
        families = FAMILIES
        prefix_lengths = PREFIX_LENGTHS
        onlink_flag = R.RTNH_F_ONLINK
        static = PROTOCOL_STATIC
        hz = USER_HZ
        ip6_metric = IP6_DEFAULT_METRIC
        gateways = {}
        maybe_hops = self.maybe_hops
        i_family, i_dst_len, i_src_len, i_tos = _HEAD["family"], _HEAD["dst_len"], _HEAD["src_len"], _HEAD["tos"]
        i_table, i_protocol, i_scope, i_type, i_flags = (_HEAD["table"], _HEAD["protocol"], _HEAD["scope"], _HEAD["type"],
                                                         _HEAD["flags"])

        def form(v, layout):
            fam = families.get(v[i_family])
            if fam is None:
                return None
            at_table, at_gw, at_dst, at_oif, at_src, at_cache, at_metric, at_pref, gw_ntop, dst_ntop, src_ntop = layout
            # The kernel filters strictly; checked anyway (a kernel without
            # NETLINK_GET_STRICT_CHK dumps everything).
            tnum = v[at_table] if at_table else v[i_table]
            if table_filter is not None and tnum != table_filter:
                return None
            if protocol_filter is not None and v[i_protocol] != protocol_filter:
                return None
            tname = types[v[i_type]]
            if at_gw:
                # a table has few next hops: each one's text is made once
                # (and shared by every route through it)
                gateway = gateways.get(v[at_gw])
                if gateway is None:
                    gateway = gateways[v[at_gw]] = gw_ntop(v[at_gw])
            else:
                gateway = None
            if fam == 6:
                if v[i_src_len]:
                    return False  # an IPv6 source prefix
                if gateway and tname == "unicast":
                    maybe_hops[0] = True  # maybe one hop of several (an older kernel's dump)
            dst_len = v[i_dst_len]
            if dst_len:
                if not at_dst:
                    return False
                out = {"dst": dst_ntop(v[at_dst]) + prefix_lengths[dst_len]}
            else:
                out = {"dst": "default", "family": fam}
            table_default, no_path, scope_gw, scope_no_gw = type_defaults[tname]
            if gateway:
                out["gateway"] = gateway
            if at_oif and v[at_oif] and not no_path:
                dev = ifnames[v[at_oif]]
                if dev:
                    out["dev"] = dev
            if at_src:
                out["src"] = src_ntop(v[at_src])
            if at_cache and fam == 6 and v[at_cache] > 0:
                # remaining clock_t ticks, rounded up to whole seconds
                out["expires"] = -(-v[at_cache] // hz)
            if v[i_flags] & onlink_flag:
                out["onlink"] = True
            if tname != "unicast":
                out["type"] = tname
            name = tables[tnum]
            if name != table_default:
                out["table"] = name
            name = protocols[v[i_protocol]]
            if name != static:
                out["protocol"] = name
            if at_metric:
                metric = v[at_metric]
                if metric and metric != (ip6_metric if fam == 6 else 0):
                    out["metric"] = metric
            if v[i_tos]:
                out["tos"] = v[i_tos]
            if fam == 4:
                name = scopes[v[i_scope]]
                if name != (scope_gw if gateway else scope_no_gw):
                    out["scope"] = name
            elif at_pref:
                name = prefs[v[at_pref]]
                if name != "medium":
                    out["pref"] = name
            return out
        return form

    def _add_slow(self, data, start, end):
        """The object's way."""
        header, attrs = R.ROUTE.decode_parts(data, start, end)
        if FAMILIES.get(header["family"]) is None:
            return None
        if self.table is not None and attrs.get("table", header["table"]) != self.table:
            return None
        if self.protocol is not None and header["protocol"] != self.protocol:
            return None
        obj = self.kind.from_msg(Message(C.RTM_NEWROUTE, 0, 0, 0, header, attrs), self.ctx)
        if is_sibling(obj):
            self.maybe_hops[0] = True
            return _Sibling(obj)
        return gathered_form(obj)


def _layout(positions, families):
    """A shape's layout as ``form`` reads it: the position of each of
    SHAPE_NAMES in a message's values (0: not in the message), then for
    each of ADDRESSES the inet_ntop of its family."""
    return positions + tuple(None if families[i] is None else functools.partial(socket.inet_ntop, families[i])
                             for i in _ADDRESS_AT)


def _may_be_hop(item):
    """Whether a route in input form may be (or hold) hops of an IPv6
    multipath route: unicast through a gateway or next hops, no nexthop
    object (is_sibling, on the input form)."""
    return ("gateway" in item or "nexthops" in item) and "type" not in item and "nhid" not in item \
        and (item.get("family") == 6 or ":" in item["dst"])


def _hop_key(item):
    """What, beside its destination, makes a route's identity (RouteKind.key)."""
    return item.get("table"), item.get("metric"), item.get("tos"), item.get("src_prefix")


def _hops(item):
    """A route's next hops as gathered_form writes them."""
    if "nexthops" in item:
        return item["nexthops"]
    hop = {"gateway": item["gateway"]}
    if "dev" in item:
        hop["dev"] = item["dev"]
    if item.get("onlink"):
        hop["onlink"] = True
    return [hop]


def _joined(have, item):
    """``have`` with the next hops of ``item`` (a sibling of the same key)
    it lacks, as RouteKind.collect joins them; ``have`` itself when it
    lacks none (the same route read twice)."""
    hops = _hops(have)
    new = [hop for hop in _hops(item) if hop not in hops]
    if not new:
        return have
    out = {"dst": have["dst"]}
    if "family" in have:
        out["family"] = have["family"]
    out["nexthops"] = hops + new
    for k, v in have.items():
        if k not in out and k not in ("gateway", "dev", "onlink"):
            out[k] = v
    return out
