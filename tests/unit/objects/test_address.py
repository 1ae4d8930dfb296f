"""nl_addr's object kind and planner on plain data (no kernel, no root)."""
import json

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.engine.driver import RunMode
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
    with pytest.raises(contract.ValidationError) as exc:
        norm(item)
    for w in words:
        assert w in str(exc.value)


def test_list_defaults_skip_other_family():
    assert norm("192.0.2.1/24", {"nodad": True})["nodad"] is None
    assert norm("2001:db8::1/64", {"nodad": True})["nodad"] is True
    with pytest.raises(contract.ValidationError):
        norm("192.0.2.1/24", {"nodad": True}, where="address")


def cur(address, secondary=False, **kw):
    obj = dict({"dev": "br0", "address": address, "valid_lft": "forever", "preferred_lft": "forever",
                "noprefixroute": False, "metric": 0}, **kw)
    if ":" not in address:
        obj.setdefault("label", "br0")
        obj.setdefault("scope", "global")
    return obj, secondary


def task_with(current):
    """The task, and ``current`` as its current() returns it (br0's
    addresses, in the kernel's order, in ``seen``)."""
    t = T.AddressTask()
    objs = [pair[0] for pair in current]
    for o, sec in current:
        o["kernel"] = {"ifindex": 2, "flags": 1 if sec else 0, "secondary": sec, "proto": None, "read_at": 0.0}
    return t, contract.Current(((t.kind.key(o), o) for o in objs), seen={"all": {"br0": objs}, "missing": set()})


def plan(current, params):
    t, c = task_with(current)
    desired = t.desired(dict({"dev": "br0", "state": "present"}, **params))
    return [(ch["op"], ch["key"][1]) for ch in t.plan(None, desired, c, params, RunMode())]


def test_plan_noop_with_lifetime_tolerance():
    current = [cur("192.0.2.1/24", valid_lft=101, preferred_lft=99)]
    assert plan(current, {"addresses": [{"address": "192.0.2.1/24", "valid_lft": 100}]}) == []
    assert plan(current, {"addresses": [{"address": "192.0.2.1/24", "valid_lft": 200}]}) == [
        ("update", "192.0.2.1/24")]


def test_plan_immutable_v4_needs_recreate():
    current = [cur("192.0.2.1/24")]
    with pytest.raises(contract.PlanError):
        plan(current, {"address": "192.0.2.1/24", "label": "br0:x"})
    assert plan(current, {"address": "192.0.2.1/24", "label": "br0:x", "recreate": True}) == [
        ("delete", "192.0.2.1/24"), ("create", "192.0.2.1/24")]


def test_plan_deletes_last_unless_an_add_needs_them_first():
    """A delete goes after the adds, so a refused add never has to bring it
    back; except where the add depends on it: an IPv4 add in the deleted
    address's subnet (it would become its secondary and go with it), an
    IPv6 local re-added with another prefix length."""
    current = [cur("192.0.2.1/24"), cur("198.51.100.1/24"), cur("2001:db8::1/64"), cur("2001:db8:5::1/64")]
    got = plan(current, {"state": "replaced", "addresses": ["192.0.2.9/24", "203.0.113.1/24", "2001:db8::1/56"]})
    assert set(got[:2]) == {("delete", "192.0.2.1/24"), ("delete", "2001:db8::1/64")}
    assert got[2:5] == [("create", "192.0.2.9/24"), ("create", "203.0.113.1/24"), ("create", "2001:db8::1/56")]
    assert set(got[5:]) == {("delete", "198.51.100.1/24"), ("delete", "2001:db8:5::1/64")}


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
    p = t.plan(None, desired, c, {"state": "replaced"}, RunMode())
    undo = applier.undo_plan(p)
    assert json.loads(json.dumps(undo)) == undo
    assert [ch["op"] for ch in undo] == ["delete", "create"]


def test_commands():
    k = A.AddressKind()
    obj = norm({"address": "10.0.0.1/32", "peer": "10.0.0.2", "valid_lft": 60, "metric": 5})
    obj = k.merged(obj, {})
    ch = contract.change(k, contract.CREATE, None, obj)
    assert k.command(ch, None) == ("ip addr add 10.0.0.1 peer 10.0.0.2/32 dev br0 valid_lft 60 "
                                   "preferred_lft 60 metric 5")
    assert k.command(k.inverse(ch), None) == "ip addr del 10.0.0.1 peer 10.0.0.2/32 dev br0"


# -- a stateless kind: every request from the change and the context --------

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C  # noqa: E402
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import addr as RA  # noqa: E402
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import Message  # noqa: E402
from ansible_collections.netlink.host.plugins.module_utils.objects import registry  # noqa: E402

NOW = 5000.0


class Ctx:
    """The KernelContext surface a request uses: links by name."""
    netns = None

    def __init__(self, **index):
        self.index = index
        self.asked = []

    def ifindex(self, name):
        self.asked.append(name)
        return self.index[name]


@pytest.fixture
def clock(monkeypatch):
    """CLOCK_BOOTTIME frozen at NOW (requests count remaining lifetimes
    down from the read)."""
    monkeypatch.setattr(A, "boottime", lambda: NOW)


def msg(address, plen, index=7, flags=0, proto=None, valid=None, preferred=None, tstamp=0, scope=0, **attrs):
    fam = C.AF_INET6 if ":" in address else C.AF_INET
    a = dict({"local": address, "address": address, "flags": flags}, **attrs)
    if proto is not None:
        a["proto"] = proto
    if valid is not None:
        a["cacheinfo"] = {"valid": valid, "preferred": preferred, "cstamp": tstamp, "tstamp": tstamp}
    return Message(C.RTM_NEWADDR, 0, 0, 0, {"family": fam, "prefixlen": plen, "flags": flags & 0xFF,
                                            "scope": scope, "index": index}, a)


def read(m, dev="br0", uptime=NOW - 10):
    return registry.kind("address").from_msg(m, dev, uptime)


MNGTMP = RA.IFA_F_MANAGETEMPADDR | RA.IFA_F_NOPREFIXROUTE | RA.IFA_F_NODAD | RA.IFA_F_PERMANENT


def test_kind_is_stateless_and_shared():
    k = registry.kind("address")
    assert k is registry.kind("address") and vars(k) == {}
    assert T.AddressTask().kind is k
    read(msg("2001:db8::5", 64, flags=MNGTMP, proto=7, valid=300, preferred=200, tstamp=(NOW - 30) * 100))
    assert vars(k) == {}, "a read left state in the kind"


def test_read_fills_the_kernel_block():
    obj = read(msg("2001:db8::5", 64, flags=MNGTMP, proto=7, valid=300, preferred=200,
                   tstamp=int((NOW - 30) * 100)))
    assert obj["kernel"] == {"ifindex": 7, "flags": MNGTMP, "proto": 7, "secondary": False,
                             "remaining": [300, 200], "age": 20.0, "read_at": NOW - 10}
    assert (obj["valid_lft"], obj["preferred_lft"]) == (320, 220)  # as set, 20 s ago
    assert contract.public(obj) == dict((k, v) for k, v in obj.items() if k != "kernel")


def test_undo_of_delete_gives_back_flags_proto_and_what_remains(clock):
    """Read 10 s before NOW with 300/200 s remaining: the re-add sends
    290/190, mngtmpaddr and IFA_PROTO 7, on the device found by name."""
    k = registry.kind("address")
    obj = read(msg("2001:db8::5", 64, flags=MNGTMP, proto=7, valid=300, preferred=200, tstamp=int((NOW - 30) * 100)))
    delete = contract.change(k, contract.DELETE, obj, None)
    undo = json.loads(json.dumps(registry.kind("address").inverse(delete)))  # a stored plan
    ctx = Ctx(br0=42)
    req = k.request(undo, ctx)
    assert ctx.asked == ["br0"] and req.header["index"] == 42  # not the 7 it had when read
    assert req.type == C.RTM_NEWADDR and req.flags == C.NLM_F_CREATE | C.NLM_F_EXCL
    want = RA.IFA_F_MANAGETEMPADDR | RA.IFA_F_NOPREFIXROUTE | RA.IFA_F_NODAD
    assert req.attrs["flags"] == want and req.attrs["proto"] == 7
    assert (req.attrs["cacheinfo"]["valid"], req.attrs["cacheinfo"]["preferred"]) == (290, 190)
    assert k.command(undo, ctx) == ("ip addr add 2001:db8::5/64 dev br0 valid_lft 290 preferred_lft 190 "
                                    "noprefixroute nodad mngtmpaddr proto 7")
    # and the delete itself sends no flags a kernel could misread
    assert k.request(delete, ctx).type == C.RTM_DELADDR


def test_update_keeps_what_it_does_not_change(clock):
    """A metric change: the lifetimes keep counting down (remaining sent),
    flags and IFA_PROTO stay; the verb is 'change', as the flags are."""
    k = registry.kind("address")
    cur = read(msg("192.0.2.10", 24, flags=0, proto=9, valid=300, preferred=300, tstamp=int((NOW - 10) * 100),
                   label="br0"))
    t = T.AddressTask()
    current = contract.Current(seen={"all": {"br0": [cur]}, "missing": set()})
    desired = t.desired({"dev": "br0", "state": "present", "address": "192.0.2.10/24", "metric": 5})
    (ch,) = t.plan(None, desired, current, {}, RunMode())
    req = k.request(ch, Ctx(br0=3))
    assert req.flags == A.VERB_FLAGS["change"] == C.NLM_F_REPLACE
    assert req.attrs["proto"] == 9 and req.attrs["rt_priority"] == 5
    assert (req.attrs["cacheinfo"]["valid"], req.attrs["cacheinfo"]["preferred"]) == (290, 290)
    assert k.command(ch, None) == "ip addr change 192.0.2.10/24 dev br0 valid_lft 290 preferred_lft 290 proto 9 metric 5"
    # a lifetime the update sets is sent as given, the other as remaining
    desired = t.desired({"dev": "br0", "state": "present", "address": "192.0.2.10/24",
                         "valid_lft": 600, "preferred_lft": 300})
    (ch,) = t.plan(None, desired, current, {}, RunMode())
    ci = k.request(ch, Ctx(br0=3)).attrs["cacheinfo"]
    assert (ci["valid"], ci["preferred"]) == (600, 290)
    # and its undo gives back what remained, not the 300 s as set
    ci = k.request(registry.kind("address").inverse(ch), Ctx(br0=3)).attrs["cacheinfo"]
    assert (ci["valid"], ci["preferred"]) == (290, 290)


def test_verbs_are_iproute2s():
    """ip/ipaddress.c do_ipaddr: add = CREATE|EXCL, change = REPLACE,
    replace = CREATE|REPLACE."""
    assert A.VERB_FLAGS == {"add": C.NLM_F_CREATE | C.NLM_F_EXCL, "change": C.NLM_F_REPLACE,
                            "replace": C.NLM_F_CREATE | C.NLM_F_REPLACE}
    assert A.VERB_OF_OP == {contract.CREATE: "add", contract.UPDATE: "change"}


def test_new_address_sends_no_kernel_leftovers():
    k = registry.kind("address")
    obj = k.merged(norm({"address": "2001:db8::9/64", "valid_lft": 100}), {})
    req = k.request(contract.change(k, contract.CREATE, None, obj), Ctx(br0=3))
    assert "proto" not in req.attrs and req.attrs["flags"] == 0
    assert (req.attrs["cacheinfo"]["valid"], req.attrs["cacheinfo"]["preferred"]) == (100, 100)


@pytest.mark.parametrize("address,scope,header,words", [
    ("127.0.0.2/8", None, 254, ""),           # iproute2: host for 127/8
    ("127.0.0.2/8", "global", 0, " scope global"),
    ("192.0.2.1/24", None, 0, ""),
    ("192.0.2.1/24", "host", 254, " scope host"),
])
def test_default_scope_follows_iproute2(address, scope, header, words):
    k = registry.kind("address")
    obj = k.merged(norm({"address": address, "scope": scope}), {})
    ch = contract.change(k, contract.CREATE, None, obj)
    assert k.request(ch, Ctx(br0=3)).header["scope"] == header
    assert k.command(ch, None) == "ip addr add %s dev br0%s" % (address, words)


def test_loopback_scope_gathers_and_compares_as_default():
    lo = read(msg("127.0.0.1", 8, scope=254, label="lo"), dev="lo")
    assert "scope" not in T.gathered_form(lo)
    k = registry.kind("address")
    assert k.differs(T.normalise_item("lo", "127.0.0.1/8", "address"), lo) == []
    odd = read(msg("127.0.0.5", 8, scope=0, label="lo"), dev="lo")
    assert T.gathered_form(odd)["scope"] == "global"


# -- lifetimes that ran out --------------------------------------------------

def test_deprecated_reads_as_preferred_zero_and_converges():
    # valid 100 s left, preferred ran out, lifetimes set 60 s ago
    cur = read(msg("2001:db8::1", 64, flags=RA.IFA_F_NODAD | RA.IFA_F_DEPRECATED, valid=40, preferred=0,
                   tstamp=int((NOW - 70) * 100)))
    assert (cur["valid_lft"], cur["preferred_lft"]) == (100, 0)
    assert T.gathered_form(cur) == {"address": "2001:db8::1/64", "valid_lft": 100, "preferred_lft": 0, "nodad": True}
    k = registry.kind("address")
    for preferred, differs in ((0, []), (50, []), (60, []), (90, ["preferred_lft"])):
        want = T.normalise_item("br0", {"address": "2001:db8::1/64", "valid_lft": 100,
                                        "preferred_lft": preferred}, "address")
        assert k.differs(want, cur) == differs, preferred


def test_ipv4_permanent_deprecated_reads_preferred_zero():
    cur = read(msg("192.0.2.1", 24, flags=RA.IFA_F_DEPRECATED | RA.IFA_F_PERMANENT, valid=A.INFINITY,
                   preferred=A.INFINITY, label="br0"))
    assert (cur["valid_lft"], cur["preferred_lft"]) == ("forever", 0)
    k = registry.kind("address")
    assert k.differs(T.normalise_item("br0", T.gathered_form(cur), "address"), cur) == []


def test_replaced_needs_addresses_and_empty_means_none():
    t = T.AddressTask()
    with pytest.raises(contract.ValidationError) as exc:
        t.desired({"dev": "br0", "state": "replaced"})
    assert "addresses" in str(exc.value) and "replaced" in str(exc.value)
    assert t.desired({"dev": "br0", "state": "replaced", "addresses": []}) == []
