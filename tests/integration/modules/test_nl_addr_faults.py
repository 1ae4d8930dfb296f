"""nl_addr: bad input leaves the kernel untouched, a refused request k of n
is undone completely, and the EXAMPLES in the module's documentation run."""
import errno
import subprocess
import time
import shutil

import pytest
import yaml

from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import NetlinkError
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import addr as RA
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket, Request
from ansible_collections.netlink.host.plugins.modules import nl_addr
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples
from ansible_collections.netlink.host.tests.integration.snapshots import settle

MOD = "nl_addr"
IP = shutil.which("ip") or "/usr/sbin/ip"
run_module = run_ip = run_ip_json = None


@pytest.fixture(autouse=True)
def _helpers(request):
    global run_module, run_ip, run_ip_json
    run_module = request.getfixturevalue("run_module")
    run_ip = request.getfixturevalue("ip")
    run_ip_json = request.getfixturevalue("ip_json")


@pytest.fixture
def ns(netns):
    # No DAD in this namespace: the kernel's link-local is final at once, so
    # nothing changes by itself between two snapshots.
    subprocess.run([IP, "netns", "exec", netns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0"],
                   check=True)
    run_ip(netns, "link", "add", "br0", "type", "bridge")
    run_ip(netns, "link", "set", "br0", "up")
    run_ip(netns, "addr", "add", "192.0.2.1/24", "dev", "br0")
    run_ip(netns, "addr", "add", "192.0.2.3/24", "dev", "br0")  # secondary
    run_ip(netns, "addr", "add", "198.51.100.1/24", "dev", "br0", "valid_lft", "300", "preferred_lft", "300")
    run_ip(netns, "addr", "add", "2001:db8::1/64", "dev", "br0", "nodad")
    # Let what the kernel does by itself after "up" (addrconf, multicast
    # routes) settle.
    settle(netns, take=snapshot)
    return netns


def snapshot(ns):
    """ip -j addr + routes, without what moves by itself (lifetimes count
    down, DAD finishes), in a stable order."""
    addrs = []
    for link in run_ip_json(ns, "addr", "show"):
        for a in link.get("addr_info", []):
            a = dict(a)
            for k in ("valid_life_time", "preferred_life_time", "tentative", "dynamic"):
                a.pop(k, None)
            addrs.append((link["ifname"], sorted(a.items())))
    routes = run_ip_json(ns, "-4", "route", "show", "table", "all") + \
        run_ip_json(ns, "-6", "route", "show", "table", "all")
    return sorted(addrs, key=repr), sorted(routes, key=repr)


# -- bad input ------------------------------------------------------------

BAD = [
    ("bad_cidr", {"dev": "br0", "address": "192.0.2.300/24"}, ["address", "192.0.2.300/24"]),
    ("prefix_too_long", {"dev": "br0", "address": "192.0.2.1/33"}, ["address", "192.0.2.1/33"]),
    ("prefix_too_long_v6", {"dev": "br0", "address": "2001:db8::1/129"}, ["address", "2001:db8::1/129"]),
    ("missing_dev", {"address": "192.0.2.9/24"}, ["dev"]),
    ("bad_scope", {"dev": "br0", "address": "192.0.2.9/24", "scope": "galactic"}, ["scope", "galactic"]),
    ("scope_out_of_range", {"dev": "br0", "address": "192.0.2.9/24", "scope": "256"}, ["scope", "256"]),
    ("unknown_option", {"dev": "br0", "address": "192.0.2.9/24", "bogus": 1}, ["bogus"]),
    ("unknown_item_key", {"dev": "br0", "addresses": [{"address": "192.0.2.9/24", "bogus": 1}]},
     ["addresses[0]", "bogus"]),
    ("bad_item_in_middle", {"dev": "br0", "addresses": ["192.0.2.8/24", "192.0.2.x/24", "192.0.2.9/24"]},
     ["addresses[1]", "192.0.2.x/24"]),
    ("bad_dict_item_in_middle", {"dev": "br0", "addresses": [
        "192.0.2.8/24", {"address": "192.0.2.9/24", "metric": "many"}, "192.0.2.10/24"]},
     ["addresses[1].metric", "many"]),
    ("item_not_address", {"dev": "br0", "addresses": ["192.0.2.8/24", 42]}, ["addresses[1]", "42"]),
    ("peer_wrong_family", {"dev": "br0", "address": "192.0.2.9/32", "peer": "2001:db8::2"},
     ["peer", "2001:db8::2"]),
    ("peer_prefix_disagrees", {"dev": "br0", "address": "10.0.0.1/32", "peer": "10.0.0.2/30"},
     ["peer", "10.0.0.2/30"]),
    ("preferred_over_valid", {"dev": "br0", "address": "192.0.2.9/24", "valid_lft": 100, "preferred_lft": 200},
     ["preferred_lft", "200"]),
    ("preferred_over_forever_valid", {"dev": "br0", "addresses": [
        {"address": "192.0.2.9/24", "valid_lft": 100, "preferred_lft": "forever"}]},
     ["addresses[0].preferred_lft", "forever"]),
    ("valid_zero", {"dev": "br0", "address": "192.0.2.9/24", "valid_lft": 0}, ["valid_lft", "0"]),
    ("lifetime_words", {"dev": "br0", "address": "192.0.2.9/24", "valid_lft": "soon"}, ["valid_lft", "soon"]),
    ("label_v6", {"dev": "br0", "address": "2001:db8::9/64", "label": "br0:x"}, ["label", "br0:x"]),
    ("label_too_long", {"dev": "br0", "address": "192.0.2.9/24", "label": "br0:0123456789abc"},
     ["label", "br0:0123456789abc"]),
    ("broadcast_v6", {"dev": "br0", "address": "2001:db8::9/64", "broadcast": "+"}, ["broadcast", "+"]),
    ("broadcast_bad", {"dev": "br0", "address": "192.0.2.9/24", "broadcast": "192.0.2.256"},
     ["broadcast", "192.0.2.256"]),
    ("scope_v6", {"dev": "br0", "address": "2001:db8::9/64", "scope": "link"}, ["scope", "link"]),
    ("nodad_v4", {"dev": "br0", "address": "192.0.2.9/24", "nodad": True}, ["nodad", "True"]),
    ("metric_negative", {"dev": "br0", "address": "192.0.2.9/24", "metric": -1}, ["metric", "-1"]),
    ("listed_twice", {"dev": "br0", "addresses": ["192.0.2.9/24", "192.0.2.9/24"]},
     ["addresses[1]", "192.0.2.9/24", "twice"]),
    ("both_address_and_list", {"dev": "br0", "address": "192.0.2.9/24", "addresses": ["192.0.2.8/24"]},
     ["address", "addresses"]),
    ("bad_state", {"dev": "br0", "address": "192.0.2.9/24", "state": "merged"}, ["state", "merged"]),
    ("immutable_without_recreate", {"dev": "br0", "address": "192.0.2.1/24", "label": "br0:new"},
     ["label", "192.0.2.1/24", "recreate"]),
    ("gathered_with_address", {"dev": "br0", "state": "gathered", "address": "192.0.2.1/24"},
     ["gathered", "address"]),
    # without a top-level dev, every item names its own
    ("item_without_dev", {"addresses": [{"address": "192.0.2.8/24", "dev": "br0"}, "192.0.2.9/24"]},
     ["addresses[1].dev", "no top-level dev"]),
    ("replaced_nothing_named", {"state": "replaced", "addresses": []}, ["dev", "replaced"]),
    ("item_dev_not_a_name", {"addresses": [{"address": "192.0.2.8/24", "dev": 7}]}, ["addresses[0].dev", "7"]),
    ("item_of_another_dev", {"dev": "br0", "addresses": [{"address": "192.0.2.8/24", "dev": "lo"}]},
     ["addresses[0].dev", "'lo'", "dev=br0"]),
    ("item_listed_twice_per_dev", {"addresses": [{"address": "192.0.2.8/24", "dev": "br0"},
                                                 {"address": "192.0.2.8/24", "dev": "lo"},
                                                 {"address": "192.0.2.8/24", "dev": "br0"}]},
     ["addresses[2]", "twice", "addresses[0]"]),
]


@pytest.mark.parametrize("name,args,words", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_bad_input(ns, name, args, words, check):
    before = snapshot(ns)
    r = run_module(MOD, args, check=check, netns=ns)
    assert r.get("failed"), r
    for w in words:
        assert w in r["msg"], (w, r["msg"])
    assert r.get("write_requests", 0) == 0
    assert_same(snapshot(ns), before)


def test_item_on_a_missing_device(ns):
    """Items naming their devices: one device missing fails the real run
    before anything changes (check mode plans it as empty, with a warning,
    as with dev=)."""
    args = {"addresses": [{"address": "192.0.2.8/24", "dev": "br0"}, {"address": "192.0.2.9/24", "dev": "nope0"}]}
    before = snapshot(ns)
    r = run_module(MOD, args, netns=ns)
    assert r.get("failed") and "'nope0'" in r["msg"] and "no such device" in r["msg"], r
    assert r.get("write_requests", 0) == 0
    assert_same(snapshot(ns), before)
    r = run_module(MOD, args, check=True, netns=ns)
    assert r["changed"] and any("nope0" in w for w in r.get("warnings", [])), r
    assert_same(snapshot(ns), before)


def assert_same(after, before):
    if after != before:
        gone = [x for part in (0, 1) for x in before[part] if x not in after[part]]
        new = [x for part in (0, 1) for x in after[part] if x not in before[part]]
        raise AssertionError("kernel state changed: gone %r, new %r" % (gone, new))


# -- the kernel refuses request k of n ------------------------------------

DESIRED = {
    "dev": "br0", "state": "replaced", "nodad": True,
    "addresses": [
        "192.0.2.2/24",                                    # new primary
        "192.0.2.3/24",                                    # kept secondary: delete + re-add
        {"address": "198.51.100.1/24", "metric": 5, "valid_lft": 600},  # in place
        "2001:db8::1/48",                                  # new prefix length: delete + add
        "2001:db8::9/64",                                  # new
    ],
}


def _inject(monkeypatch, fail_at):
    """Make the kernel 'refuse' the fail_at-th write request of the task
    (counted across batches); requests before it really run."""
    orig = NetlinkSocket.batch
    state = {"seen": 0, "fired": False, "sent": []}

    def batch(self, requests):
        if state["fired"]:
            return orig(self, requests)  # the undo
        pos = fail_at - state["seen"]
        if pos >= len(requests):
            state["seen"] += len(requests)
            return orig(self, requests)
        res = orig(self, requests[:pos])
        state["fired"] = True
        if not res.ok:
            return res
        res.failed = pos
        res.error = NetlinkError(errno.EPERM, extack="injected at %d" % fail_at, request=requests[pos])
        res.errors[pos] = res.error
        res.not_sent = list(range(pos + 1, len(requests)))
        return res

    monkeypatch.setattr(NetlinkSocket, "batch", batch)
    return state


def test_refused_request_k_of_n_is_undone(ns, monkeypatch):
    before = snapshot(ns)
    r = run_module(MOD, DESIRED, check=True, netns=ns)
    n = len(r["commands"])
    assert n == 8, r["commands"]
    for k in range(n):
        with monkeypatch.context() as m:
            _inject(m, k)
            r = run_module(MOD, DESIRED, netns=ns)
        assert r.get("failed") and "injected at %d" % k in r["msg"], (k, r)
        assert r["undone"] is True and r["changed"] is False, (k, r)
        if k:
            assert "undone" in r["msg"]
        # An IPv6 address's local route comes from addrconf's DAD work,
        # queued even with nodad: let the kernel finish the re-adds first.
        settle(ns, take=snapshot)
        assert snapshot(ns) == before, "k=%d left the kernel changed" % k
    r = run_module(MOD, DESIRED, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    assert snapshot(ns) != before
    assert run_module(MOD, DESIRED, netns=ns)["changed"] is False


def test_real_kernel_refusal_is_undone(ns):
    """A refusal from the real kernel, not an injected one: IPv6 is
    disabled on the device, so the second request fails after the first
    was applied."""
    run_ip(ns, "link", "set", "br0", "down")

    subprocess.run([IP, "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.br0.disable_ipv6=1"], check=True)
    before = snapshot(ns)
    args = {"dev": "br0", "addresses": ["192.0.2.50/24", "2001:db8::50/64"]}
    r = run_module(MOD, args, netns=ns)
    assert r.get("failed") and "2001:db8::50/64" in r["msg"] and "undone" in r["msg"], r
    assert r["undone"] is True
    assert snapshot(ns) == before


def add_raw(ns, dev, address, plen, flags=0, proto=None, valid=RA.INFINITY_LIFE_TIME,
            preferred=RA.INFINITY_LIFE_TIME, **attrs):
    """RTM_NEWADDR with what ``ip`` on this host cannot set (IFA_PROTO
    needs iproute2 6.3+)."""
    with KernelContext(ns) as ctx:
        fam = C.AF_INET6 if ":" in address else C.AF_INET
        a = dict({"local": address, "address": address, "flags": flags,
                  "cacheinfo": {"valid": valid, "preferred": preferred, "cstamp": 0, "tstamp": 0}}, **attrs)
        if proto is not None:
            a["proto"] = proto
        header = {"family": fam, "prefixlen": plen, "flags": flags & 0xFF, "scope": 0, "index": ctx.ifindex(dev)}
        res = ctx.socket().batch([Request(C.RTM_NEWADDR, C.NLM_F_CREATE | C.NLM_F_EXCL, header, a)])
        assert res.ok, res.error


def proto_of(ns, local):
    """IFA_PROTO of an address, read with this library (ip 6.1 does not
    print it)."""
    with KernelContext(ns) as ctx:
        for m in ctx.socket().dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC}):
            if (m.attrs.get("local") or m.attrs.get("address")) == local:
                return m.attrs.get("proto")
    raise AssertionError("%s is gone" % local)


def test_undo_of_a_delete_restores_flags_proto_and_remaining_lifetimes(ns, monkeypatch):
    """An address ip can make only in part (mngtmpaddr, IFA_PROTO 7,
    noprefixroute, finite lifetimes) is deleted by state=replaced in a task
    whose next request the kernel refuses: the undo gives it back with
    every flag, its protocol, and the lifetimes that remained."""
    flags = RA.IFA_F_MANAGETEMPADDR | RA.IFA_F_NOPREFIXROUTE | RA.IFA_F_NODAD
    run_ip(ns, "addr", "add", "2001:db8:2::7/64", "dev", "br0", "nodad")
    add_raw(ns, "br0", "2001:db8:1::5", 64, flags=flags, proto=7, valid=300, preferred=200)
    before = snapshot(ns)
    time.sleep(3.2)  # so that what remains is measurably less than 300/200
    keep = [g for g in run_module(MOD, {"dev": "br0", "state": "gathered"}, netns=ns)["gathered"]
            if g["address"] not in ("2001:db8:1::5/64", "2001:db8:2::7/64")]
    args = {"dev": "br0", "state": "replaced", "addresses": keep + [{"address": "2001:db8::9/64", "nodad": True}]}
    r = run_module(MOD, args, check=True, netns=ns)
    # the add first, the deletes last (the newer address is listed first)
    assert [c.split(" addr ")[1] for c in r["commands"]] == [
        "add 2001:db8::9/64 dev br0 nodad", "del 2001:db8:1::5/64 dev br0", "del 2001:db8:2::7/64 dev br0"], \
        r["commands"]
    with monkeypatch.context() as m:
        _inject(m, 2)
        r = run_module(MOD, args, netns=ns)
    assert r.get("failed") and r["undone"] is True, r
    assert snapshot(ns) == before  # flags included (lifetimes left out)
    back = [a for link in run_ip_json(ns, "addr", "show", "dev", "br0") for a in link["addr_info"]
            if a["local"] == "2001:db8:1::5"][0]
    assert back.get("mngtmpaddr") and back.get("noprefixroute") and back.get("nodad"), back
    assert 290 <= back["valid_life_time"] <= 297 and 190 <= back["preferred_life_time"] <= 197, back
    assert proto_of(ns, "2001:db8:1::5") == 7


# -- the documentation's EXAMPLES run ---------------------------------------

def test_examples_run(netns):
    run_ip(netns, "link", "add", "br0", "type", "bridge")
    run_ip(netns, "link", "set", "br0", "up")
    run_ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    tasks = yaml.safe_load(nl_addr.EXAMPLES)
    assert len(tasks) >= 5
    examples = Examples()
    for task in tasks:
        args, fed_back = examples.args(task, MOD)
        r = run_module(MOD, args, netns=netns)
        examples.keep(task, r)
        assert not r.get("failed"), (task["name"], r)
        if fed_back:  # gathered output as input: nothing to do
            assert r["changed"] is False and r["write_requests"] == 0, (task["name"], r)
        elif args.get("state") != "gathered":
            assert r["changed"], task["name"]
            again = run_module(MOD, args, netns=netns)
            assert again["changed"] is False and again["write_requests"] == 0, (task["name"], again)
        else:
            assert r["gathered"], task["name"]
