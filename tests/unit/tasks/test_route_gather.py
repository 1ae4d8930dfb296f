"""state=gathered reads plain route messages straight into the input form
(tasks/route_gather.py, remembered shapes); every message must come out
exactly as the object's way gives it (RouteKind.from_msg, then
gathered_form): kernel messages of the golden file and a grid of
synthetic ones, each read twice (the second time by its learnt shape)."""
import itertools

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import route as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Message
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.objects.route import is_sibling
from ansible_collections.netlink.host.plugins.module_utils.tasks import route_gather as G
from ansible_collections.netlink.host.tests.unit.netlink.golden.payloads import route_payloads

KIND = registry.kind("route")


class FakeCtx:
    """ifindex -> name as KernelContext.ifname gives it (no kernel)."""

    def __init__(self):
        self.names = {1: "lo", 2: "br0", 5: "ve0"}

    def ifname(self, index):
        return self.names.get(index) if index else None


def object_way(payload, ctx):
    header, attrs = R.ROUTE.decode_parts(payload, 0, len(payload))
    obj = KIND.from_msg(Message(24, 0, 0, 0, header, attrs), ctx)
    return None if obj is None else G.gathered_form(obj)


def object_way_listed(payloads, ctx):
    """The whole dump the object's way: every object, IPv6 siblings joined
    into the first of their key, then each in input form."""
    objs = []
    siblings = {}
    for p in payloads:
        header, attrs = R.ROUTE.decode_parts(p, 0, len(p))
        obj = KIND.from_msg(Message(24, 0, 0, 0, header, attrs), ctx)
        if obj is None:
            continue
        if is_sibling(obj):
            key = KIND.key(obj)
            if key in siblings:
                KIND.collect(siblings, obj)
                continue
            siblings[key] = obj
        objs.append(obj)
    return [G.gathered_form(o) for o in objs]


def direct_way(payloads, ctx, table=None, protocol=None):
    """Each payload through one Gathered, twice over (learn, then shapes)."""
    g = G.Gathered(KIND, ctx, table, protocol)
    out = []
    for _round in range(2):
        listed = []
        for p in payloads:
            got = g.add(p, 0, len(p))
            if got is not None:
                listed.append(got)
        out.append(g.routes(listed))
    return out, g


def payload(header, attrs):
    h = dict(dict(family=2, dst_len=0, src_len=0, tos=0, table=254, protocol=4, scope=0, type=1, flags=0), **header)
    return R.ROUTE.encode_parts(h, attrs)


def grid():
    """Plain messages of either family, through the fields the direct
    way reads: types, tables (attribute or header only), protocols,
    scopes, metrics, tos, onlink, prefsrc, pref, expiry, a device that
    is gone, and a /0."""
    out = []
    v4 = ("10.1.0.0", "192.0.2.1", "192.0.2.9")
    v6 = ("2001:db8:1::", "fe80::1", "2001:db8::9")
    for fam, (dst, gw, src) in ((2, v4), (10, v6)):
        for rtype, table, proto, scope in itertools.product(
                (1, 2, 3, 6, 7, 9), (254, 255, 100, 1000), (4, 2, 186, 250), (0, 253, 254)):
            plen = 16 if fam == 2 else 48
            attrs = {"table": table, "dst": dst, "oif": 2}
            if rtype == 1 and scope == 0:
                attrs["gateway"] = gw
            out.append(payload(dict(family=fam, dst_len=plen, type=rtype, table=min(table, 252), protocol=proto,
                                    scope=scope), attrs))
        for extra, head in (({"priority": 0}, {}), ({"priority": 1024}, {}), ({"priority": 7}, {"tos": 8}),
                            ({"prefsrc": src}, {}), ({"oif": 9}, {}), ({}, {"flags": R.RTNH_F_ONLINK}),
                            ({"pref": 1}, {}), ({"pref": 0}, {}), ({"pref": 3}, {}),
                            ({"cacheinfo": {"expires": 250}}, {}), ({"cacheinfo": {"expires": 0}}, {})):
            attrs = dict({"table": 254, "dst": dst, "gateway": gw, "oif": 5}, **extra)
            out.append(payload(dict(dict(family=fam, dst_len=24 if fam == 2 else 64), **head), attrs))
            attrs.pop("gateway")
            out.append(payload(dict(dict(family=fam, dst_len=24 if fam == 2 else 64, scope=253 if fam == 2 else 0),
                                    **head), attrs))
        out.append(payload(dict(family=fam, dst_len=0), {"table": 254, "gateway": gw, "oif": 2}))
        out.append(payload(dict(family=fam, dst_len=0), {"gateway": gw, "oif": 2}))  # no RTA_TABLE
    return out


def test_shapes_read_the_schema_declaration():
    """The direct way names attributes and rtmsg fields; the sizes and
    formats are the schema's (R.ROUTE)."""
    for name in G.SHAPE_NAMES:
        assert name.partition(".")[0] in R.ROUTE_ATTRS.by_name
    assert sorted(G._HEAD) == sorted(R.RTMSG.field_names)  # pylint: disable=protected-access


def test_golden_and_grid_read_as_the_object_way():
    ctx = FakeCtx()
    payloads = list(route_payloads()) + grid()
    want = [object_way(p, ctx) for p in payloads]
    # siblings (IPv6 via a gateway, same key) are joined by both ways alike:
    # compare message by message first, then the whole list
    for p, w in zip(payloads, want):
        (first, second), _g = direct_way([p], ctx)
        assert first == second == ([w] if w is not None else [])
    (first, second), g = direct_way(payloads, ctx)
    expect = object_way_listed(payloads, ctx)
    assert any("nexthops" in r for r in expect), "the grid has IPv6 siblings"
    assert first == expect
    assert second == expect
    assert sum(len(known[0]) for known in g.shapes.values()) > 10, "shapes were learnt and used"


def test_filters_applied_as_the_kernel_would():
    ctx = FakeCtx()
    payloads = grid()
    (first, second), _g = direct_way(payloads, ctx, table=100, protocol=186)
    assert first == second
    assert first and all(r.get("table") == 100 and r.get("protocol") == "bgp" for r in first)


def test_ipv6_siblings_are_joined():
    ctx = FakeCtx()
    hops = [payload(dict(family=10, dst_len=64), {"table": 254, "dst": "2001:db8:1::", "gateway": gw, "oif": 2})
            for gw in ("fe80::1", "fe80::2")]
    (first, second), _g = direct_way(hops, ctx)
    assert first == second == [{"dst": "2001:db8:1::/64", "nexthops": [
        {"gateway": "fe80::1", "dev": "br0"}, {"gateway": "fe80::2", "dev": "br0"}]}]


@pytest.mark.parametrize("attrs", [
    {"table": 254, "dst": "10.1.0.0", "via": {"family": 10, "addr": "fe80::1"}, "oif": 2},
    {"table": 254, "dst": "10.1.0.0", "nh_id": 7},
    {"table": 254, "dst": "10.1.0.0", "gateway": "192.0.2.1", "metrics": {"mtu": 1400}},
    {"table": 254, "dst": "10.1.0.0", "gateway": "192.0.2.1", "mark": 3},
])
def test_other_messages_take_the_object_way(attrs):
    ctx = FakeCtx()
    p = payload({"dst_len": 16}, attrs)
    (first, second), g = direct_way([p], ctx)
    assert first == second == [object_way(p, ctx)]
    assert not any(known[0] for known in g.shapes.values())


def v6_route(dst="2001:db8:1::", gw="fe80::1", **extra):
    head = {"family": 10, "dst_len": 64}
    for field in ("tos",):
        if field in extra:
            head[field] = extra.pop(field)
    return payload(head, dict({"table": 254, "dst": dst, "gateway": gw, "oif": 2}, **extra))


def test_ipv6_gateway_routes_take_the_direct_way(monkeypatch):
    """A full IPv6 table is routes through gateways: once their shape is
    learnt, none of them is decoded the object's way."""
    ctx = FakeCtx()
    payloads = [v6_route("2001:db8:%x::" % i, "fe80::%x" % (1 + i % 3)) for i in range(50)]
    slow = []
    real = G.Gathered._add_slow  # pylint: disable=protected-access
    monkeypatch.setattr(G.Gathered, "_add_slow", lambda *a: slow.append(1) or real(*a))
    g = G.Gathered(KIND, ctx)
    assert g.routes([g.add(p, 0, len(p)) for p in payloads[:1]]) == [object_way(payloads[0], ctx)]
    got = g.routes([g.add(p, 0, len(p)) for p in payloads])
    assert slow == [] and got == object_way_listed(payloads, ctx)


@pytest.mark.parametrize("order", ["adjacent", "apart", "reversed"])
def test_ipv6_hops_join_by_key_only(order):
    """Hops sent as routes of their own join into the first route of their
    key (table, metric, tos) wherever they are in the dump, whichever way
    each was read; the same destination in another table or at another
    metric is another route, and a hop read twice is one hop."""
    ctx = FakeCtx()
    multipath = payload({"family": 10, "dst_len": 64}, {"table": 254, "dst": "2001:db8:1::", "multipath": [
        {"ifindex": 2, "attrs": {"gateway": "fe80::1"}}, {"ifindex": 5, "attrs": {"gateway": "fe80::2"}}]})
    hops = [multipath, v6_route(gw="fe80::3"), v6_route(gw="fe80::2", oif=5), v6_route(gw="fe80::4", priority=7),
            v6_route(gw="fe80::4", table=100), v6_route(gw="fe80::5", priority=7)]
    others = [v6_route("2001:db8:%x::" % i) for i in range(2, 5)] + \
        [payload({"family": 10, "dst_len": 64}, {"table": 254, "dst": "2001:db8:1::", "oif": 5})]
    if order == "adjacent":
        payloads = hops + others
    elif order == "apart":
        payloads = [p for pair in zip(hops, others + others) for p in pair]
    else:
        payloads = hops[::-1] + others
    want = object_way_listed(payloads, ctx)
    (first, second), _g = direct_way(payloads, ctx)
    assert first == second == want
    mine = [r for r in first if r["dst"] == "2001:db8:1::/64"]
    assert len(mine) == 4, mine  # main at 1024, main at 7, table 100, the device route
    main = [r for r in mine if "table" not in r and "metric" not in r and "nexthops" in r]
    assert len(main) == 1 and sorted(h["gateway"] for h in main[0]["nexthops"]) == ["fe80::1", "fe80::2", "fe80::3"]
    at7 = [r for r in mine if r.get("metric") == 7]
    want7 = [{"gateway": "fe80::4", "dev": "br0"}, {"gateway": "fe80::5", "dev": "br0"}]
    assert len(at7) == 1 and sorted(at7[0]["nexthops"], key=repr) == want7
