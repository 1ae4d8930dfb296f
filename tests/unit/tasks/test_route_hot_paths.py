"""The shortcuts a 10,000-route nl_route task takes (tasks/route_validate.py
Memo, objects/route.py key/command/merged/table_id, KernelContext.ifindex)
must give what the general way gives, refuse what it refuses, and name the
same option in their messages."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.objects.route import table_id
from ansible_collections.netlink.host.plugins.module_utils.tasks import route_validate as V
from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask

KIND = registry.kind("route")


class Ctx:
    netns = "ns1"

    def ifindex(self, name, required=True):
        return 7

    def ifname(self, index):
        return "eth0"


def desired(routes, **top):
    return RouteTask().desired(dict(top, routes=routes, state="present"))


def test_shared_table_protocol_and_dev_are_validated_once(monkeypatch):
    calls = []
    for name in ("table_option", "protocol_option", "validate_ifname"):
        real = getattr(V, name)
        monkeypatch.setattr(V, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    routes = [{"dst": "10.%d.0.0/16" % i, "gateway": "192.0.2.1"} for i in range(50)]
    out = desired(routes, table="100", dev="eth0", protocol="bgp")
    assert [o["table"] for o in out] == [100] * 50
    assert [o["protocol"] for o in out] == ["bgp"] * 50
    assert sorted(calls) == ["protocol_option", "table_option", "validate_ifname"]


def test_a_bad_value_is_refused_at_the_route_that_names_it():
    routes = [{"dst": "10.0.0.0/8", "gateway": "192.0.2.1", "table": 100},
              {"dst": "10.1.0.0/16", "gateway": "192.0.2.1", "table": 100},
              {"dst": "10.2.0.0/16", "gateway": "192.0.2.1", "table": "no-such-table"}]
    with pytest.raises(contract.ValidationError, match=r"^routes\[2\]\.table=no-such-table: unknown name"):
        desired(routes)
    routes[2] = {"dst": "10.2.0.0/16", "gateway": "192.0.2.1", "dev": "a/b"}
    with pytest.raises(contract.ValidationError, match=r"^routes\[2\]\.dev=a/b: "):
        desired(routes, dev="eth0")
    with pytest.raises(contract.ValidationError, match=r"^dev='a b': "):
        desired(routes[:2], dev="a b")


def test_remembered_values_keep_true_apart_from_one():
    routes = [{"dst": "10.0.0.0/8", "gateway": "192.0.2.1", "table": 1},
              {"dst": "10.1.0.0/16", "gateway": "192.0.2.1", "table": True}]
    with pytest.raises(contract.ValidationError, match=r"^routes\[1\]\.table=True: not a number or a name"):
        desired(routes)
    route = {"family": 4, "dst": "10.0.0.0/8", "table": 100, "gateway": "192.0.2.1", "dev": "eth0"}
    ch = contract.change(KIND, contract.CREATE, None, dict(route, protocol=1))
    assert "proto redirect" in KIND.command(ch, Ctx())
    ch = contract.change(KIND, contract.CREATE, None, dict(route, protocol=True))
    with pytest.raises(contract.ValidationError):
        KIND.command(ch, Ctx())


def test_routes_with_the_same_hops_share_one_validated_list():
    hops = [{"gateway": "192.0.2.%d" % i, "dev": "eth0"} for i in (1, 2)]
    routes = [{"dst": "10.%d.0.0/16" % i, "nexthops": [dict(h) for h in hops]} for i in range(3)]
    routes.append({"dst": "10.9.0.0/16", "nexthops": [dict(hops[0], weight=2), hops[1]]})
    out = desired(routes)
    assert out[0]["nexthops"] is out[1]["nexthops"] is out[2]["nexthops"]
    assert out[0]["nexthops"] == [{"gateway": "192.0.2.1", "dev": "eth0", "weight": 1},
                                  {"gateway": "192.0.2.2", "dev": "eth0", "weight": 1}]
    assert out[3]["nexthops"] is not out[0]["nexthops"] and out[3]["nexthops"][0]["weight"] == 2


def test_remembered_hops_keep_true_apart_from_one():
    hops = [{"gateway": "192.0.2.1", "weight": 1}, {"gateway": "192.0.2.2"}]
    routes = [{"dst": "10.0.0.0/16", "nexthops": hops},
              {"dst": "10.1.0.0/16", "nexthops": [{"gateway": "192.0.2.1", "weight": True}, {"gateway": "192.0.2.2"}]}]
    with pytest.raises(contract.ValidationError, match=r"^routes\[1\]\.nexthops\[0\]\.weight=True"):
        desired(routes)


def test_a_dump_shares_plain_hops_and_keeps_encapsulated_ones_apart():
    hop = {"ifindex": 7, "flags": 0, "hops": 0, "attrs": {"gateway": "192.0.2.1"}}
    other = {"ifindex": 7, "flags": 0, "hops": 1, "attrs": {"gateway": "192.0.2.2"}}
    first = KIND._hops_from([hop, other], Ctx())
    assert first == [{"gateway": "192.0.2.1", "dev": "eth0", "weight": 1},
                     {"gateway": "192.0.2.2", "dev": "eth0", "weight": 2}]
    assert KIND._hops_from([dict(hop), dict(other)], Ctx()) is first
    encap = dict(hop, attrs={"gateway": "192.0.2.1", "encap_type": 1, "encap": b"\x00"})
    a, b = KIND._hops_from([encap, other], Ctx()), KIND._hops_from([encap, other], Ctx())
    assert a == b and a is not b


def test_the_same_paths_decode_once_and_bad_ones_are_not_kept():
    import struct
    from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import DecodeError
    from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import route as RT
    codec = [a for a in RT.ROUTE_ATTRS.attrs if a.name == "multipath"][0].codec
    hop = struct.pack("=HBBi", 16, 0, 0, 7) + struct.pack("=HH", 8, 5) + bytes([192, 0, 2, 1])
    one = codec.decode(b"xx" + hop + hop, 2, 34)
    assert one == [{"flags": 0, "hops": 0, "ifindex": 7, "attrs": {"gateway": "192.0.2.1"}}] * 2
    assert codec.decode(bytearray(hop + hop), 0, 32) is one
    bad = struct.pack("=HBBi", 99, 0, 0, 7) + hop[8:]
    for _twice in range(2):
        with pytest.raises(DecodeError, match="bad length 99"):
            codec.decode(bad, 0, len(bad))


def test_a_route_by_nhid_keeps_no_expanded_hops(monkeypatch):
    monkeypatch.setattr(type(KIND), "_hops_from", classmethod(lambda cls, *a: pytest.fail("hops decoded")))
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Message
    header = {"family": 2, "dst_len": 24, "src_len": 0, "tos": 0, "table": 254, "protocol": 4, "scope": 0,
              "type": 1, "flags": 0}
    attrs = {"dst": "10.0.0.0", "nh_id": 10, "table": 254,
             "multipath": [{"flags": 0, "hops": 0, "ifindex": 7, "attrs": {"gateway": "192.0.2.1"}}]}
    msg = Message(24, 0, 0, 0, header, attrs)
    obj = KIND.from_msg(msg, Ctx())
    assert obj["nhid"] == 10 and obj["nexthops"] is None and obj["gateway"] is None


def test_duplicates_name_the_first_route():
    routes = [{"dst": "10.0.0.0/8", "gateway": "192.0.2.1"}, {"dst": "10.0.0.0/8", "dev": "eth0"}]
    with pytest.raises(contract.ValidationError, match=r"listed twice \(also routes\[0\]\.dst\)"):
        desired(routes)


@pytest.mark.parametrize("table, tid", [(None, 254), ("main", 254), ("local", 255), ("default", 253), (100, 100),
                                        ("100", 100), ("0x10", 16), (5000, 5000)])
def test_table_id(table, tid):
    assert table_id(table) == tid


@pytest.mark.parametrize("table", [True, "no-such-name"])
def test_table_id_refuses(table):
    with pytest.raises(contract.ValidationError):
        table_id(table)


def test_key_and_command_spell_tables_and_metrics_as_before():
    v6 = {"family": 6, "dst": "2001:db8::/32", "table": "local", "gateway": "2001:db8::1", "dev": "eth0"}
    assert KIND.key(v6) == (6, 255, "2001:db8::/32", 0, 1024, None)
    assert KIND.key({"dst": "10.0.0.0/8", "table": "300"}) == (4, 300, "10.0.0.0/8", 0, 0)
    ch = contract.change(KIND, contract.CREATE, None, dict(v6, protocol="static", metric=1024))
    assert KIND.command(ch, Ctx()) == "ip -n ns1 -6 route add 2001:db8::/32 table local proto static " \
                                      "via 2001:db8::1 dev eth0"
    ch = contract.change(KIND, contract.DELETE, dict(v6, table=100, metric=5), None)
    assert KIND.command(ch, Ctx()) == "ip -n ns1 -6 route del 2001:db8::/32 table 100 metric 5"


def test_a_new_route_is_merged_as_the_general_merge_does():
    for obj in desired([{"dst": "10.0.0.0/8", "gateway": "192.0.2.1", "mtu": 1400, "lock": ["mtu"]},
                        {"dst": "10.1.0.0/16", "type": "blackhole"},
                        {"dst": "10.2.0.0/16", "nexthops": [{"gateway": "192.0.2.1"}, {"gateway": "192.0.2.2"}]}]):
        general = contract.ObjectKind.merged(KIND, obj, {})
        for field in ("gateway", "dev", "onlink", "nexthops", "nhid"):
            general[field] = obj.get(field)
        merged = KIND.merged(obj, {})
        assert merged == general
        assert merged["metrics"] is not obj["metrics"] if obj["metrics"] else True


class TwoDumps(KernelContext):
    """links() as two successive dumps: eth0 renamed to wan0."""

    def __init__(self):
        KernelContext.__init__(self)
        self.dumps = [{2: _Link("eth0"), 3: _Link("br0")}, {2: _Link("wan0"), 3: _Link("br0")}]

    def links(self, refresh=False):
        if self._links is None or refresh:
            self._links = self.dumps.pop(0)
        return self._links


class _Link:
    def __init__(self, name):
        self.attrs = {"ifname": name}


def test_ifindex_follows_a_new_links_dump():
    ctx = TwoDumps()
    assert (ctx.ifindex("eth0"), ctx.ifindex("br0"), ctx.ifindex("wan0", required=False)) == (2, 3, None)
    ctx.forget_links()
    assert (ctx.ifindex("eth0", required=False), ctx.ifindex("wan0")) == (None, 2)
    with pytest.raises(KeyError):
        ctx.ifindex("eth0")
