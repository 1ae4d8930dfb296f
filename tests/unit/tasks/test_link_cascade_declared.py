"""What dies with a link is what the kinds declare (``dies_with``): a
made-up kind, added as one objects/manifest.py entry, that declares dying
with a link is read, planned and undone by the link cascade, at the place
its declaration names, without an edit anywhere else.  Without a kernel:
the real kinds' dumps (addresses, routes) come back empty."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier, cascade
from ansible_collections.netlink.host.plugins.module_utils.objects import manifest, registry
from ansible_collections.netlink.host.plugins.module_utils.objects.dies_with_link import STEPS, DiesWithLink
from ansible_collections.netlink.host.plugins.module_utils.tasks import link_cascade


class ThingGoesWithLink(DiesWithLink):
    role = "thing"
    before = "port"

    def __init__(self):
        self.reads = []

    def read(self, kind, ctx, gone):
        out = {}
        for index, name in self.by_index(gone):
            self.reads.append(index)
            thing = {"dev": name, "n": index, "made_by": "kernel" if index == 6 else "user"}
            out[name] = [contract.change(kind, contract.DELETE, thing, None, "goes with link %s" % name)]
        return out

    def returns(self, change):
        return change["before"]["made_by"] == "kernel"


class ThingKind(contract.ObjectKind):
    name = "thing"

    def __init__(self):
        self.dies_with = (ThingGoesWithLink(),)  # its own, to count its reads

    def key(self, obj):
        return (obj["dev"], obj["n"])

    def devices(self, obj):
        return (obj["dev"],)


class NoKernel:
    """A context whose dumps are empty (no address, no route)."""
    netns = None

    def socket(self, protocol=0):
        return self

    def links(self):
        return {}

    def dump(self, *args, **kwargs):
        return []


@pytest.fixture
def thing(monkeypatch):
    made = ThingKind()
    monkeypatch.setattr(manifest, "KINDS", manifest.KINDS + (manifest.Kind("thing", lambda: made),))
    monkeypatch.setattr(registry, "_loaded", {})
    return made


def _link(name, index, **kw):
    out = {"name": name, "kind": None, "state": "up", "mtu": 1500, "address": None, "txqueuelen": 1000,
           "master": "", "alias": "", "link": None, "kernel": {"ifindex": index}}
    out.update(kw)
    return out


def _links():
    return {"br0": _link("br0", 5, kind="bridge"),
            "v0": _link("v0", 6, kind="vlan", link="br0", vlan={"id": 7}),
            "p0": _link("p0", 7, master="br0", bridge_port={"cost": 2}),
            "other": _link("other", 8)}


def _delete(links, name):
    ch = contract.change(registry.kind("link"), contract.DELETE, links[name], None)
    ch["stage"] = 100
    return ch


def test_a_declared_kind_is_planned_where_it_says(thing):
    links = _links()
    plan = link_cascade.plan_deletes(NoKernel(), [_delete(links, "br0")], links)
    steps = [(ch["kind"], ch["op"], ch["key"], (ch.get("implied") or {}).get("as")) for ch in plan]
    # down (stacked first), then the things (before "port"), the port, the
    # stacked vlan, the delete; each thing in the order its links go
    assert steps == [
        ("link", "update", ["v0"], "down"), ("link", "update", ["br0"], "down"),
        ("thing", "delete", ["br0", 5], "thing"), ("thing", "delete", ["v0", 6], "thing"),
        ("link", "update", ["p0"], "port"), ("link", "delete", ["v0"], "stacked"),
        ("link", "delete", ["br0"], None)]
    things = [ch for ch in plan if ch["kind"] == "thing"]
    assert [ch["implied"]["by"] for ch in things] == [{"kind": "link", "key": ["br0"]}] * 2
    assert [ch["stage"] for ch in things] == [100, 100]
    assert [ch["note"] for ch in things] == ["goes with link br0", "goes with link v0"]
    # what the kernel brings back by itself is marked so (undo only checks it)
    assert [ch["implied"].get("returns") for ch in things] == [None, True]
    assert thing.dies_with[0].reads == [5, 6]  # one read per gone link, by ifindex


def test_its_undo_restores_it_after_the_link(thing):
    links = _links()
    plan = link_cascade.plan_deletes(NoKernel(), [_delete(links, "br0")], links)
    undo = applier.undo_plan(applier.applied_order(plan))
    order = [(ch["kind"], ch["op"], ch["key"]) for ch in undo]
    assert order.index(("link", "create", ["br0"])) < order.index(("thing", "create", ["br0", 5])) \
        < order.index(("link", "update", ["br0"]))
    # the one that returns by itself sends nothing on undo either
    returned = [ch for ch in undo if ch["kind"] == "thing" and ch.get("implied")]
    assert [ch["key"] for ch in returned] == [["v0", 6]]


def test_nothing_is_read_without_a_link_delete(thing):
    links = _links()
    assert link_cascade.plan_deletes(NoKernel(), [], links) == []
    assert thing.dies_with[0].reads == []


def test_the_real_kinds_declare_theirs():
    declared = [(kind.name, dies.role, dies.before, dies.after) for kind, dies in cascade.declared("link")]
    # routes, neighbour entries and nexthops go before their link goes down
    # (undo adds them once it is up again), addresses after (see
    # link_cascade.goes_down)
    assert declared == [("address", "address", None, "down"), ("route", "route", "down", None),
                        ("neigh", "neigh", "down", None), ("fdb", "fdb", "down", None),
                        ("nexthop", "nexthop", "down", None)]
    assert "down" in STEPS


def test_a_step_the_cascade_lacks_is_refused():
    class Lost(DiesWithLink):
        role = "lost"
        after = "no such step"

    with pytest.raises(ValueError, match="no such step"):
        cascade.placed([("down", [])], [(Lost(), {})], ["br0"], {"kind": "link", "key": ["br0"], "stage": 0})
