"""The cascade follows chains generically: made-up kinds, each one
manifest entry, where a ``leaf`` dies with a ``thing`` (which dies with a
link) and a ``bud`` with a leaf.  A link delete plans all three levels,
each just before what takes it, tied to the link delete, read once per
level (not per object); each object planned once; the undo re-adds
parents before what depends on them.  ``with_dependents`` does the same
for a task's own deletes.  No kernel: the real kinds' dumps are empty."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier, cascade
from ansible_collections.netlink.host.plugins.module_utils.objects import manifest, registry
from ansible_collections.netlink.host.plugins.module_utils.objects.dies_with_link import DiesWithLink
from ansible_collections.netlink.host.plugins.module_utils.tasks import link_cascade


class ThingGoesWithLink(DiesWithLink):
    role = "thing"
    before = "down"

    def read(self, kind, ctx, gone):
        return dict((name, [contract.change(kind, contract.DELETE, {"n": index}, None)])
                    for index, name in self.by_index(gone))


class Child(contract.DiesWith):
    """Two of its kind per parent, one of them shared by every parent (it
    must be planned once)."""

    def __init__(self, parent, role):
        self.parent, self.role, self.reads = parent, role, []

    def read(self, kind, ctx, gone):
        self.reads.append(sorted(gone))
        out = {}
        for ref in gone:
            out[ref] = [contract.change(kind, contract.DELETE, {"n": "%s.%s" % (ref, self.role)}, None),
                        contract.change(kind, contract.DELETE, {"n": "shared " + self.role}, None)]
        return out


class Kind(contract.ObjectKind):
    def __init__(self, name, dies_with):
        self.name, self.dies_with = name, dies_with

    def key(self, obj):
        return (obj["n"],)


@pytest.fixture
def kinds(monkeypatch):
    made = {"thing": Kind("thing", (ThingGoesWithLink(),)), "leaf": Kind("leaf", (Child("thing", "leaf"),)),
            "bud": Kind("bud", (Child("leaf", "bud"),))}
    monkeypatch.setattr(manifest, "KINDS", manifest.KINDS + tuple(
        manifest.Kind(name, (lambda k=k: k)) for name, k in made.items()))
    monkeypatch.setattr(registry, "_loaded", {})
    return made


class NoKernel:
    netns = None

    def socket(self, protocol=0):
        return self

    def dump(self, *args, **kwargs):
        return []

    def links(self):
        return {}


def _link(name, index):
    return {"name": name, "kind": None, "state": "down", "mtu": 1500, "address": None, "txqueuelen": 1000,
            "master": "", "alias": "", "link": None, "kernel": {"ifindex": index}}


def test_a_link_delete_follows_the_chain(kinds):
    links = {"a0": _link("a0", 5), "b0": _link("b0", 6)}
    deletes = [contract.change(registry.kind("link"), contract.DELETE, links[n], None) for n in ("a0", "b0")]
    plan = link_cascade.plan_deletes(NoKernel(), deletes, links)
    steps = [(ch["kind"], ch["key"][0], (ch.get("implied") or {}).get("as")) for ch in plan]
    assert steps == [
        ("bud", "5.leaf.bud", "bud"), ("bud", "shared bud", "bud"), ("leaf", "5.leaf", "leaf"),
        ("bud", "shared leaf.bud", "bud"), ("leaf", "shared leaf", "leaf"), ("thing", 5, "thing"),
        ("link", "a0", None),
        ("bud", "6.leaf.bud", "bud"), ("leaf", "6.leaf", "leaf"), ("thing", 6, "thing"), ("link", "b0", None)]
    by = dict((ch["key"][0], ch["implied"]["by"]["key"]) for ch in plan if ch.get("implied"))
    assert by["5.leaf.bud"] == ["a0"] and by["6.leaf"] == ["b0"]
    # one read per level, for every parent of that level at once
    assert kinds["leaf"].dies_with[0].reads == [[5, 6]]
    assert kinds["bud"].dies_with[0].reads == [["5.leaf", "6.leaf", "shared leaf"]]
    undo = [(ch["kind"], ch["key"][0]) for ch in applier.undo_plan(applier.applied_order(plan))]
    assert undo.index(("thing", 5)) < undo.index(("leaf", "5.leaf")) < undo.index(("bud", "5.leaf.bud"))


def test_a_tasks_own_deletes_take_their_chain(kinds):
    thing = registry.kind("thing")
    deletes = [contract.change(thing, contract.DELETE, {"n": 1}, None),
               contract.change(thing, contract.DELETE, {"n": 2}, None)]
    plan = cascade.with_dependents(NoKernel(), deletes, planned=[("leaf", ("shared leaf",))])
    assert [(ch["kind"], ch["key"][0]) for ch in plan] == [
        ("bud", "1.leaf.bud"), ("bud", "shared bud"), ("leaf", "1.leaf"), ("thing", 1),
        ("bud", "2.leaf.bud"), ("leaf", "2.leaf"), ("thing", 2)]
    assert [ch["implied"]["by"]["key"] for ch in plan if ch.get("implied")] == [[1], [1], [1], [2], [2]]
    assert cascade.with_dependents(NoKernel(), []) == []
