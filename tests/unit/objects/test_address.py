"""nl_addr's object kind and planner on plain data (no kernel, no root)."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import reconcile
from ansible_collections.netlink.host.plugins.module_utils.objects import address as A
from ansible_collections.netlink.host.plugins.module_utils.tasks import address as T


def norm(item, defaults=None, where="addresses[0]"):
    return T.normalise_item("br0", item, where, defaults)


@pytest.mark.parametrize("item,field,want", [
    ("192.0.2.10/24", "address", "192.0.2.10/24"),
    ("192.0.2.10", "address", "192.0.2.10/32"),
    ("2001:DB8:0:0::1/64", "address", "2001:db8::1/64"),
    ({"address": "10.0.0.1", "peer": "10.0.0.2/30"}, "address", "10.0.0.1/30"),
    ({"address": "198.51.100.1/24", "broadcast": "+"}, "broadcast", "198.51.100.255"),
    ({"address": "192.0.2.1/24", "scope": "253"}, "scope", "link"),
    ({"address": "192.0.2.1/24", "scope": "7"}, "scope", 7),
    ({"address": "192.0.2.1/24", "valid_lft": "100"}, "preferred_lft", 100),
    ({"address": "2001:db8::1/64", "preferred_lft": 5}, "valid_lft", "forever"),
    ({"address": "192.0.2.1/24", "preferred_lft": 0}, "valid_lft", "forever"),
    ({"address": "192.0.2.1/24", "valid_lft": "Forever"}, "valid_lft", "forever"),
])
def test_normalise(item, field, want):
    assert norm(item)[field] == want


@pytest.mark.parametrize("item,words", [
    ("192.0.2.1/33", ["addresses[0]", "192.0.2.1/33"]),
    ({"address": "192.0.2.1/24", "peer": "::1"}, ["addresses[0].peer", "::1", "IPv6"]),
    ({"address": "192.0.2.1/24", "valid_lft": 5, "preferred_lft": 6}, ["preferred_lft", "6"]),
    ({"address": "192.0.2.1/24", "scope": "galactic"}, ["scope", "galactic"]),
    ({"address": "2001:db8::1/64", "label": "x"}, ["label", "IPv6"]),
    ({"addr": "192.0.2.1/24"}, ["unknown", "addr"]),
    ({"address": "192.0.2.1/24", "metric": 2 ** 32}, ["metric", str(2 ** 32)]),
    # the kernel counts no preferred lifetime down on a permanent IPv4 address
    ({"address": "192.0.2.1/24", "preferred_lft": 5}, ["addresses[0].preferred_lft", "5", "valid_lft"]),
])
def test_normalise_refuses(item, words):
    with pytest.raises(reconcile.ValidationError) as exc:
        norm(item)
    for w in words:
        assert w in str(exc.value)


def test_list_defaults_skip_other_family():
    assert norm("192.0.2.1/24", {"nodad": True})["nodad"] is None
    assert norm("2001:db8::1/64", {"nodad": True})["nodad"] is True
    with pytest.raises(reconcile.ValidationError):
        norm("192.0.2.1/24", {"nodad": True}, where="address")


def cur(address, secondary=False, **kw):
    obj = dict({"dev": "br0", "address": address, "valid_lft": "forever", "preferred_lft": "forever",
                "noprefixroute": False, "metric": 0}, **kw)
    if ":" not in address:
        obj.setdefault("label", "br0")
        obj.setdefault("scope", "global")
    return obj, secondary


def task_with(current):
    t = T.AddressTask()
    t._all = [pair[0] for pair in current]
    for o, sec in current:
        o["kernel"] = {"ifindex": 2, "flags": 1 if sec else 0, "secondary": sec, "proto": None, "read_at": 0.0}
    return t, dict((t.kind.key(o), o) for o in t._all)


def plan(current, params):
    t, c = task_with(current)
    desired = t.desired(dict({"dev": "br0", "state": "present"}, **params))
    return [(ch["op"], ch["key"][1]) for ch in t.plan(None, desired, c, params)]


def test_plan_noop_with_lifetime_tolerance():
    current = [cur("192.0.2.1/24", valid_lft=101, preferred_lft=99)]
    assert plan(current, {"addresses": [{"address": "192.0.2.1/24", "valid_lft": 100}]}) == []
    assert plan(current, {"addresses": [{"address": "192.0.2.1/24", "valid_lft": 200}]}) == [
        ("update", "192.0.2.1/24")]


def test_plan_immutable_v4_needs_recreate():
    current = [cur("192.0.2.1/24")]
    with pytest.raises(reconcile.PlanError):
        plan(current, {"address": "192.0.2.1/24", "label": "br0:x"})
    assert plan(current, {"address": "192.0.2.1/24", "label": "br0:x", "recreate": True}) == [
        ("delete", "192.0.2.1/24"), ("create", "192.0.2.1/24")]


def test_plan_replaced_secondaries_and_order():
    current = [cur("192.0.2.1/24"), cur("192.0.2.3/24", secondary=True), cur("2001:db8::1/64", nodad=True)]
    got = plan(current, {"state": "replaced", "addresses": ["192.0.2.2/24", "192.0.2.3/24", "2001:db8::1/48"]})
    assert sorted(got[:3]) == [("delete", "192.0.2.1/24"), ("delete", "192.0.2.3/24"), ("delete", "2001:db8::1/64")]
    assert got.index(("delete", "192.0.2.3/24")) < got.index(("delete", "192.0.2.1/24"))
    assert got[3:] == [("create", "192.0.2.2/24"), ("create", "192.0.2.3/24"), ("create", "2001:db8::1/48")]


def test_plan_absent_deletes_secondaries_first():
    current = [cur("192.0.2.1/24"), cur("192.0.2.3/24", secondary=True)]
    assert plan(current, {"state": "absent", "addresses": ["192.0.2.1/24", "192.0.2.3/24"]}) == [
        ("delete", "192.0.2.3/24"), ("delete", "192.0.2.1/24")]


def test_undo_of_plan_is_plain_data():
    import json
    current = [cur("192.0.2.1/24")]
    t, c = task_with(current)
    desired = t.desired({"dev": "br0", "state": "replaced", "addresses": ["192.0.2.2/24"]})
    p = t.plan(None, desired, c, {"state": "replaced"})
    undo = reconcile.undo_plan(p)
    assert json.loads(json.dumps(undo)) == undo
    assert [ch["op"] for ch in undo] == ["delete", "create"]


def test_commands():
    k = A.AddressKind()
    obj = norm({"address": "10.0.0.1/32", "peer": "10.0.0.2", "valid_lft": 60, "metric": 5})
    obj = k.merged(obj, {})
    ch = reconcile.change(k, reconcile.CREATE, None, obj)
    assert k.command(ch, None) == ("ip addr add 10.0.0.1 peer 10.0.0.2/32 dev br0 valid_lft 60 "
                                   "preferred_lft 60 metric 5")
    assert k.command(reconcile.inverse(ch), None) == "ip addr del 10.0.0.1 peer 10.0.0.2/32 dev br0"
