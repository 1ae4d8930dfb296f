"""The engine without a kernel: batches, implied changes, undo order, undo
failures and the read-back that decides ``undone``.

A made-up object kind ("box": named boxes holding a value) keeps its state
in a dict that a fake socket changes as a kernel would, and refuses the
requests a test picks; so every property of the applier is checked against
the state it leaves, not against what it says.
"""
import json

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import NetlinkError
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import BatchResult, Request
from ansible_collections.netlink.host.plugins.module_utils.objects import registry

NEW, DEL = 1, 2


class BoxKind(contract.ObjectKind):
    """A box is {"name", "value"}; a box may hold others ("inside"): the
    fake kernel deletes those with it, as the kernel deletes a veth's peer."""

    name = "box"
    lossy = False  # when True, a create forgets the value (a lossy request)

    def key(self, obj):
        return (obj["name"],)

    def request(self, change, ctx):
        if change["op"] == contract.DELETE:
            return Request(DEL, 0, {}, {"name": change["before"]["name"]}, label=self.command(change, ctx))
        obj = dict(change["after"])
        if self.lossy and change["op"] == contract.CREATE:
            obj["value"] = None
        return Request(NEW, 0, {}, {"obj": obj}, label=self.command(change, ctx))

    def command(self, change, ctx):
        obj = change["after"] or change["before"]
        return "box %s %s" % (change["op"], obj["name"])

    def protocol(self):
        return 0

    def read(self, ctx, objs):
        return dict(((name,), dict(obj)) for name, obj in ctx.kernel.items())


class FakeSocket:
    """Applies requests to ``kernel`` (name -> box) like the kernel: in
    order, every request of the batch (even after a failure), each acked."""

    def __init__(self, kernel, refuse):
        self.kernel = kernel
        self.refuse = refuse
        self.sent = []
        self.sent_requests = 0
        self.batches = []

    def batch(self, requests):
        out = BatchResult()
        self.batches.append([r.label for r in requests])
        for i, req in enumerate(requests):
            n = len(self.sent)
            self.sent.append(req.label)
            self.sent_requests += 1
            inside = (req.attrs.get("obj") or {}).get("inside")
            if self.refuse(n, req) or (inside and inside not in self.kernel):
                out.errors[i] = NetlinkError(1, "refused by the test")
                if out.failed is None:
                    out.failed, out.error = i, out.errors[i]
                continue
            if req.type == DEL:
                gone = req.attrs["name"]
                for name in [n for n, box in self.kernel.items() if box.get("inside") == gone] + [gone]:
                    self.kernel.pop(name, None)
            else:
                obj = req.attrs["obj"]
                self.kernel[obj["name"]] = dict((k, v) for k, v in obj.items() if k != "kernel")
            out.applied.append(i)
        return out


class FakeContext:
    netns = None

    def __init__(self, kernel, refuse=lambda n, req: False):
        self.kernel = kernel
        self.sock = FakeSocket(kernel, refuse)

    def socket(self, protocol=0):
        return self.sock


@pytest.fixture(scope="module", autouse=True)
def box_kind():
    try:
        registry.register(BoxKind())
    except KeyError:
        pass  # registered by an earlier module of this run
    return registry.kind("box")


def box(name, value, inside=None):
    out = {"name": name, "value": value}
    if inside:
        out["inside"] = inside
    return out


def plan_of(kind, start):
    """create c, update a, delete b (which holds d: implied), create e in a
    later stage; deletes last."""
    changes = [
        contract.change(kind, contract.CREATE, None, box("c", 3)),
        contract.change(kind, contract.UPDATE, start["a"], box("a", 10)),
        contract.change(kind, contract.CREATE, None, box("e", 5)),
    ]
    changes[2]["stage"] = 1
    cause = contract.change(kind, contract.DELETE, start["b"], None)
    cause["stage"] = 2
    inner = contract.change(kind, contract.DELETE, start["d"], None)
    contract.implied(inner, cause, "inside")
    inner["stage"] = 2
    return plans.order(changes + [inner, cause])


def start_state():
    return {"a": box("a", 1), "b": box("b", 2), "d": box("d", 4, inside="b")}


def test_batches_follow_stages_and_implied_changes_send_nothing(box_kind):
    kernel = start_state()
    ctx = FakeContext(kernel)
    applied = applier.apply(plan_of(box_kind, start_state()), ctx)
    assert ctx.sock.batches == [["box create c", "box update a"], ["box create e"], ["box delete b"]]
    assert kernel == {"a": box("a", 10), "c": box("c", 3), "e": box("e", 5)}
    # the implied delete is recorded just before its cause
    assert [(ch["op"], ch["key"]) for ch in applied][-2:] == [("delete", ["d"]), ("delete", ["b"])]


@pytest.mark.parametrize("fail_at", range(4))
def test_refusal_at_any_request_leaves_the_state_as_it_was(box_kind, fail_at):
    kernel = start_state()
    ctx = FakeContext(kernel, refuse=lambda n, req: n == fail_at)
    with pytest.raises(applier.ApplyError) as err:
        applier.apply(plan_of(box_kind, start_state()), ctx)
    assert kernel == start_state()
    assert err.value.undone is True and err.value.undo_failures == []
    assert "refused by the test" in str(err.value) or "Operation not permitted" in str(err.value)


def test_a_refused_last_delete_restores_the_implied_ones_it_took(box_kind):
    """Fail the request after the delete (a second delete in the same
    batch): d went with b and must come back, after b."""
    kernel = start_state()
    kernel["z"] = box("z", 9)
    start = dict(kernel)
    plan = plan_of(box_kind, start)
    extra = contract.change(box_kind, contract.DELETE, kernel["z"], None)
    extra["stage"] = 2
    ctx = FakeContext(kernel, refuse=lambda n, req: req.label == "box delete z")
    with pytest.raises(applier.ApplyError) as err:
        applier.apply(plan + [extra], ctx)
    assert kernel == start
    assert err.value.undone is True
    undo_requests = ctx.sock.sent[5:]
    assert undo_requests.index("box create b") < undo_requests.index("box create d")


def test_undo_goes_on_past_a_failure_and_says_what_it_left(box_kind):
    """The forward run fails after b's delete (at f); the undo then cannot
    re-create b, but still puts back everything else, and lists b and d
    (which cannot come back without b)."""
    kernel = start_state()
    late = contract.change(box_kind, contract.CREATE, None, box("f", 6))
    late["stage"] = 3
    ctx = FakeContext(kernel, refuse=lambda n, req: req.label in ("box create f", "box create b"))
    with pytest.raises(applier.ApplyError) as err:
        applier.apply(plan_of(box_kind, start_state()) + [late], ctx)
    failures = dict((tuple(f["key"]), f["reason"]) for f in err.value.undo_failures)
    assert err.value.undone is False
    assert "refused" in failures[("b",)]
    assert "refused" in failures[("d",)]
    assert kernel == {"a": box("a", 1)}
    assert "not restored exactly" in str(err.value)


def test_a_lossy_restore_is_caught_by_the_read_back(box_kind):
    kernel = start_state()
    box_kind.lossy = True
    try:
        late = contract.change(box_kind, contract.CREATE, None, box("f", 6))
        late["stage"] = 3
        ctx = FakeContext(kernel, refuse=lambda n, req: req.label == "box create f")
        with pytest.raises(applier.ApplyError) as err:
            applier.apply(plan_of(box_kind, start_state()) + [late], ctx)
    finally:
        box_kind.lossy = False
    reasons = dict((tuple(f["key"]), f["reason"]) for f in err.value.undo_failures)
    assert reasons[("b",)] == "restored with different value"
    assert err.value.undone is False


def test_undo_plan_is_plain_data_and_inverts_implied_changes(box_kind):
    plan = plan_of(box_kind, start_state())
    undo = applier.undo_plan(plan)
    assert json.loads(json.dumps(undo)) == undo
    # the inverse of what the kernel did by itself is a request of its own
    assert [(ch["op"], ch["key"], bool(ch.get("implied"))) for ch in undo] == [
        ("create", ["b"], False), ("create", ["d"], False), ("delete", ["e"], False),
        ("update", ["a"], False), ("delete", ["c"], False)]


def test_what_the_kernel_brings_back_by_itself_stays_implied(box_kind):
    cause = contract.change(box_kind, contract.DELETE, box("b", 2), None)
    inner = contract.implied(contract.change(box_kind, contract.DELETE, box("d", 4), None),
                             cause, "inside", returns=True)
    inv = box_kind.inverse(inner)
    assert inv["op"] == "create" and inv["implied"]["returns"] is True


def test_plan_documents_carry_a_version():
    doc = plans.plan_document([{"kind": "box"}], netns="lab")
    assert doc == {"version": plans.PLAN_VERSION, "netns": "lab", "changes": [{"kind": "box"}]}
    assert plans.load_plan(json.loads(json.dumps(doc))) == [{"kind": "box"}]
    with pytest.raises(ValueError, match="plan version 99"):
        plans.load_plan(dict(doc, version=99))
    with pytest.raises(ValueError):
        plans.load_plan({"changes": []})


def test_a_saved_plan_is_readable_by_its_owner_only(tmp_path):
    import os
    import stat
    folder = tmp_path / "plans"
    folder.mkdir(mode=0o700)
    os.chmod(str(folder), 0o700)
    doc = plans.plan_document([{"kind": "xfrm_state", "after": {"aead": {"key": "0x1122"}}}])
    path = str(folder / "p.json")
    old = os.umask(0)
    try:
        plans.save_plan(path, doc)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as f:
        assert plans.load_plan(json.load(f)) == doc["changes"]
    os.chmod(str(folder), 0o755)
    with pytest.raises(ValueError, match="must be private"):
        plans.save_plan(str(folder / "q.json"), doc)
    assert not os.path.exists(str(folder / "q.json"))
