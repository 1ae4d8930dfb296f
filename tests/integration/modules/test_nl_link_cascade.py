"""nl_link deletes and what goes with them, against the host kernel.

A link's deletion takes, in the kernel, its veth peer, the links stacked
on it, their addresses and routes, and its ports' membership.  The plan
must show all of it (check mode, diff), deletes run after every create and
update, and a task the kernel refuses at ANY position must leave every
namespace as it found it: links with their ifindex, MAC, alias, master and
flags, addresses with their flags, routes of every table and protocol.
"""
import subprocess

import pytest

from ansible_collections.netlink.host.tests.integration.faults import inject
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, ip_json, settle, snapshot


IP = "ip"
run_module = None


@pytest.fixture(autouse=True)
def _helpers(request):
    global run_module
    run_module = request.getfixturevalue("run_module")


# The task every test runs: creates, an update, and deletes that cascade.
PLAN = {"links": [
    {"name": "new0", "kind": "bridge", "state": "up"},
    {"name": "n0", "kind": "veth", "veth": {"peer": "n1"}, "master": "new0", "state": "up"},
    {"name": "keep0", "mtu": 1300},
    {"name": "br0", "state": "absent"},   # bridge: port pA, addresses, routes
    {"name": "vA", "state": "absent"},    # veth: peer vB carries macvlan mv0
]}
# Requests the plan sends: new0, n0, keep0 and the two deletes.
PLAN_REQUESTS = 5


@pytest.fixture
def lab(netns):
    """The namespace every test starts from (no DAD: addresses are final at
    once, so nothing changes by itself between two snapshots).  br0 has a
    MAC of its own: a bridge that takes its port's MAC keeps the link-local
    of the MAC it came up with, and a re-created one given the port's MAC
    gets that MAC's link-local too if its carrier comes after its undo sets
    the address generation mode back (the kernel's linkwatch decides)."""
    for knob in ("default", "all"):
        subprocess.run(["ip", "netns", "exec", netns, "sysctl", "-qw",
                        "net.ipv6.conf.%s.accept_dad=0" % knob], check=True)
    batch = """link add keep0 type bridge
link add br0 address 02:00:00:00:01:01 type bridge
link set br0 alias uplink up
link add pA type veth peer name pB
link set pA master br0 up
link set pB up
addr add 192.0.2.1/24 dev br0
addr add 192.0.2.7/24 dev br0
addr add 2001:db8:1::1/64 dev br0
route add 198.51.100.0/24 via 192.0.2.254 dev br0 proto static
route add 10.20.0.0/16 dev br0 table 100 proto bird
route add 2001:db8:9::/48 via 2001:db8:1::fe dev br0 metric 7
link add vA address 02:00:00:00:0a:01 type veth peer name vB address 02:00:00:00:0b:01
link set vA mtu 1400 up
link set vB up
link add mv0 link vB address 02:00:00:00:0c:01 type macvlan mode bridge
link set mv0 up
addr add 10.9.0.1/24 dev mv0
addr add 2001:db8:2::1/64 dev mv0 noprefixroute
route add 203.0.113.0/24 via 10.9.0.254 dev mv0 metric 5
"""
    subprocess.run([IP, "-n", netns, "-batch", "-"], input=batch, universal_newlines=True, check=True)
    settle(netns)
    return netns


def test_check_mode_shows_the_whole_cascade(lab):
    before = snapshot(lab)
    r = run_module("nl_link", PLAN, check=True, diff=True, netns=lab)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 0
    assert_same(before, snapshot(lab))
    headers = [d["before_header"] for d in r["diff"]]
    text = "\n".join(headers)
    # the peer and the macvlan stacked on it go with vA
    assert any(h.startswith("link vB") for h in headers), text
    assert any(h.startswith("link mv0") for h in headers), text
    # br0's and mv0's addresses and static routes go too
    for needle in ("address br0 192.0.2.1/24", "address mv0 10.9.0.1/24", "203.0.113.0/24",
                   "198.51.100.0/24", "10.20.0.0/16", "2001:db8:9::/48"):
        assert any(needle in h for h in headers), (needle, text)
    # pA stays but leaves the bridge
    assert any(h.startswith("link pA") and "released" in h for h in headers), text
    # only what sends a request is a command, and deletes come last
    assert r["commands"][-2:] == ["ip -n %s link del dev br0" % lab, "ip -n %s link del dev vA" % lab] or \
        r["commands"][-2:] == ["ip -n %s link del dev vA" % lab, "ip -n %s link del dev br0" % lab], r["commands"]
    assert len(r["commands"]) == PLAN_REQUESTS, r["commands"]
    assert not any("vB" in c or "mv0" in c for c in r["commands"])


def test_apply_then_nothing_left_to_do(lab):
    r = run_module("nl_link", PLAN, diff=True, netns=lab)
    assert r.get("failed") is not True, r
    names = set(l["ifname"] for l in ip_json(lab, "link", "show"))
    assert {"new0", "n0", "n1", "keep0", "pA", "pB"} <= names
    assert not names & {"br0", "vA", "vB", "mv0"}
    assert "master" not in ip_json(lab, "link", "show", "dev", "pA")[0]
    r2 = run_module("nl_link", PLAN, netns=lab)
    assert r2["changed"] is False and r2["write_requests"] == 0, r2


@pytest.mark.parametrize("fail_at", range(PLAN_REQUESTS))
def test_refusal_at_any_position_restores_everything(lab, monkeypatch, fail_at):
    planned = run_module("nl_link", PLAN, netns=lab, check=True)["commands"]
    assert len(planned) == PLAN_REQUESTS, planned
    before = snapshot(lab)
    seen = inject(monkeypatch, lambda n, req: n == fail_at)
    r = run_module("nl_link", PLAN, netns=lab)
    monkeypatch.undo()
    assert r.get("failed") is True, r
    assert r["undone"] is True and r["undo_failures"] == [], r
    # the kernel is back where it was: nothing changed, and the commands
    # are those sent: the batches up to the refused request's, whole (the
    # last two deletes share one), never those not sent, in the order
    # sent, the refused one marked
    sent = {0: 1, 1: 2, 2: 3, 3: 5, 4: 5}[fail_at]
    assert r["changed"] is False and [c.split("  # ")[0] for c in r["commands"]] == planned[:sent], r
    assert [i for i, c in enumerate(r["commands"]) if "  # refused: No such device" in c] == [fail_at], r["commands"]
    assert "kernel refused" in r["msg"]
    assert seen["n"] > fail_at
    settle(lab)
    assert_same(before, snapshot(lab))


def test_undo_that_cannot_restore_says_so(lab, monkeypatch):
    """br0's delete is refused (vA's, in the same batch, goes through and
    takes vB and mv0 with it) and, during the undo, so is mv0's
    re-creation: the result must name mv0 and what depended on it, and
    say undone: false."""
    before = snapshot(lab)

    def fail(n, req):
        label = str(req.label or "")
        return label.endswith("link del dev br0") or " link add mv0 " in label

    inject(monkeypatch, fail)
    r = run_module("nl_link", PLAN, netns=lab)
    monkeypatch.undo()
    assert r.get("failed") is True and r["undone"] is False, r
    assert r["changed"] is True
    failed = [(f["kind"], f["key"]) for f in r["undo_failures"]]
    assert ("link", ["mv0"]) in failed, failed
    assert any(kind == "address" and key[0] == "mv0" for kind, key in failed), failed
    assert any(kind == "route" and "203.0.113.0/24" in key for kind, key in failed), failed
    assert "not restored exactly" in r["msg"]
    for f in r["undo_failures"]:
        # the link's IP settings written through /proc/sys print as sysctl
        assert f["reason"] and f["command"].startswith(("ip -n %s " % lab, "ip netns exec %s sysctl -w " % lab))
    after = snapshot(lab)
    assert after != before
    # everything else came back
    names = set(l["ifname"] for l in ip_json(lab, "link", "show"))
    assert {"br0", "vA", "vB", "pA", "keep0"} <= names and "mv0" not in names


def test_a_link_listed_present_that_a_delete_takes_is_refused(lab):
    before = snapshot(lab)
    r = run_module("nl_link", {"links": [{"name": "vA", "state": "absent"}, {"name": "mv0", "mtu": 1400}]},
                   netns=lab)
    assert r.get("failed") is True, r
    assert "name=mv0" in r["msg"] and "vA" in r["msg"], r["msg"]
    assert r.get("write_requests", 0) == 0
    assert_same(before, snapshot(lab))


def test_the_read_back_catches_a_lossy_restore(lab, monkeypatch):
    """If a restore request lost something (here: an address's
    noprefixroute flag and a route's protocol), the read-back after the
    undo must say so: undone false, with the fields named."""
    from ansible_collections.netlink.host.plugins.module_utils.objects import registry
    address, route = registry.kind("address"), registry.kind("route")
    real_address, real_route = type(address).request, type(route).request

    def lossy_address(self, change, ctx):
        if change["op"] == "create" and change["after"]["address"] == "2001:db8:2::1/64":
            change = dict(change, after=dict(change["after"], noprefixroute=False))
        return real_address(self, change, ctx)

    def lossy_route(self, change, ctx):
        if change["op"] == "create" and change["after"].get("dst") == "203.0.113.0/24":
            change = dict(change, after=dict(change["after"], protocol="static"))
        return real_route(self, change, ctx)

    monkeypatch.setattr(type(address), "request", lossy_address)
    monkeypatch.setattr(type(route), "request", lossy_route)
    inject(monkeypatch, lambda n, req: str(req.label or "").endswith("link del dev br0"))
    r = run_module("nl_link", PLAN, netns=lab)
    monkeypatch.undo()
    assert r.get("failed") is True and r["undone"] is False, r
    reasons = dict((f["kind"], f["reason"]) for f in r["undo_failures"])
    assert reasons == {"address": "restored with different noprefixroute",
                       "route": "restored with different protocol"}, r["undo_failures"]
