"""The nexthop kind and task on the host kernel, through the engine (the
module file is still to come): every single kind and both group types
created and re-run with 0 writes, routes through a group moved by one
nexthop replace, a delete's cascade (routes, groups) planned, a link
delete's chain (link -> nexthop -> group -> route) planned and undone
exactly on a later refusal, bad inputs refused before anything is read."""
import os
import select
import subprocess
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier, context, driver
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.nexthop import NexthopTask

SETUP = ["link add a0 type veth peer name a1", "link set a0 up", "link set a1 up", "addr add 192.0.2.10/24 dev a0",
         "addr add 2001:db8::10/64 dev a0 nodad", "link add b0 type veth peer name b1", "link set b0 up",
         "link set b1 up", "addr add 198.18.0.1/24 dev b0"]
NEXTHOPS = [{"id": 1, "gateway": "192.0.2.1", "dev": "a0"}, {"id": 2, "gateway": "198.18.0.2", "dev": "b0"},
            {"id": 3, "blackhole": True}, {"id": 4, "dev": "a0", "family": 6},
            {"id": 5, "gateway": "198.51.100.1", "dev": "a0", "onlink": True}, {"id": 6, "gateway": "2001:db8::1", "dev": "a0"},
            {"id": 7, "gateway": "192.0.2.7", "fdb": True},
            {"id": 10, "group": [{"id": 1}, {"id": 2, "weight": 3}]},
            {"id": 11, "group": [1, 2], "type": "resilient", "buckets": 8, "idle_timer": 60, "unbalanced_timer": 30}]


def run(task, ns, params, check=False, extra=()):
    with context.KernelContext(ns) as ctx:
        step = driver.Step(task, ctx, params, driver.prepare(task, params), check)
        driver.plan(step)
        if not check and step.plan:
            applier.apply(step.plan + list(extra), ctx)
        return step


@pytest.fixture
def lab(netns, ip):
    for line in SETUP:
        ip(netns, *line.split())
    return netns


def test_every_kind_created_then_rerun_writes_nothing(lab, ip, ip_json):
    step = run(NexthopTask(), lab, {"nexthops": NEXTHOPS})
    assert len(step.plan) == len(NEXTHOPS)
    assert step.commands[-1].endswith("nexthop add id 11 group 1/2 type resilient buckets 8 idle_timer 60 "
                                      "unbalanced_timer 30 proto static")
    shown = dict((n["id"], n) for n in ip_json(lab, "nexthop", "show"))
    assert set(shown) == set(n["id"] for n in NEXTHOPS)
    assert shown[10]["group"] == [{"id": 1}, {"id": 2, "weight": 3}]
    assert shown[11]["resilient_args"]["buckets"] == 8
    assert run(NexthopTask(), lab, {"nexthops": NEXTHOPS}).plan == []
    gathered = NexthopTask().gather(context.KernelContext(lab), {})
    assert run(NexthopTask(), lab, {"nexthops": gathered}).plan == []


class NexthopMonitor:
    """``ip monitor nexthop`` in the namespace, as an independent witness of
    the nexthop changes the kernel made.  Bracketed by two sentinel
    changes (blackhole nexthop 4242 added, then deleted) that it waits to
    see, so no event is missed or taken from outside, without sleeping."""

    SENTINEL = "id 4242 "

    def __init__(self, ns, ip):
        self.ns, self.ip = ns, ip
        self.proc = subprocess.Popen(["ip", "-n", ns, "monitor", "nexthop"], stdout=subprocess.PIPE)
        self.pending = b""

    def _lines(self, wait):
        """Complete lines the monitor printed within ``wait`` seconds (raw
        reads: a buffered reader would hide lines from select)."""
        fd = self.proc.stdout.fileno()
        ready, _w, _x = select.select([fd], [], [], wait)
        if not ready:
            return []
        self.pending += os.read(fd, 65536)
        *done, self.pending = self.pending.split(b"\n")
        return [line.decode().strip() for line in done]

    def _until_sentinel_deleted(self, deadline=30):
        seen = []
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            for line in self._lines(end - time.monotonic()):
                if line.startswith("Deleted ") and self.SENTINEL in line + " ":
                    return seen
                seen.append(line)
        raise AssertionError("ip monitor did not show the sentinel nexthop; saw %r" % seen)

    def __enter__(self):
        # the monitor may not have subscribed yet: repeat the sentinel until it shows
        for _attempt in range(100):
            self.ip(self.ns, "nexthop", "replace", *(self.SENTINEL.split() + ["blackhole"]))
            for line in self._lines(0.2):
                if self.SENTINEL in line + " ":
                    self.pending = b""
                    return self
        raise AssertionError("ip monitor nexthop showed nothing")

    def events(self):
        """The nexthop events since __enter__, up to the closing sentinel."""
        self.ip(self.ns, "nexthop", "del", *self.SENTINEL.split())
        # (a repeated opening sentinel may still show: not one of ours)
        return [line for line in self._until_sentinel_deleted() if line and self.SENTINEL not in line + " "]

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait()


def test_ten_thousand_routes_move_with_one_request(lab, ip, ip_batch):
    run(NexthopTask(), lab, {"nexthops": NEXTHOPS[:2] + NEXTHOPS[7:8]})
    ip_batch(lab, ["route add 10.%d.%d.0/24 nhid 10" % (i // 256, i % 256) for i in range(10000)])
    with NexthopMonitor(lab, ip) as monitor, context.KernelContext(lab) as ctx:
        task = NexthopTask()
        params = {"id": 1, "gateway": "192.0.2.5", "dev": "a0"}
        step = driver.Step(task, ctx, params, driver.prepare(task, params), False)
        driver.plan(step)
        driver.apply(step)
        assert ctx.write_requests == 1
        # the kernel's own account: one nexthop changed, nothing else
        assert monitor.events() == ["id 1 via 192.0.2.5 dev a0 scope link proto static"]
    out = ip(lab, "route", "show", "10.39.15.0/24")
    assert "nhid 10" in out and "via 192.0.2.5" in out


def test_delete_plans_routes_and_groups(lab, ip):
    run(NexthopTask(), lab, {"nexthops": NEXTHOPS[:2] + NEXTHOPS[7:9]})
    ip(lab, "route", "add", "203.0.113.0/24", "nhid", "1")
    ip(lab, "route", "add", "198.51.100.0/24", "nhid", "10")
    step = run(NexthopTask(), lab, {"id": 1, "state": "absent"}, check=True)
    assert [(c["op"], c["kind"], c["key"], (c.get("implied") or {}).get("as")) for c in step.plan] == [
        ("delete", "route", [4, 254, "203.0.113.0/24", 0, 0], "route"),
        ("update", "nexthop", [10], "group"), ("update", "nexthop", [11], "group"),
        ("delete", "nexthop", [1], None)]
    assert all(c["implied"]["by"] == {"kind": "nexthop", "key": [1]} for c in step.plan[:-1])


def test_link_delete_chain_undone_on_refusal(lab, ip):
    for line in ["nexthop add id 1 via 192.0.2.1 dev a0 proto static", "nexthop add id 2 via 198.18.0.2 dev b0",
                 "nexthop add id 10 group 1/2", "nexthop add id 12 group 1", "nexthop add id 6 via 2001:db8::1 dev a0",
                 "route add 198.51.100.0/24 nhid 10", "route add 203.0.113.0/24 nhid 1",
                 "route add 203.0.114.0/24 nhid 12", "-6 route add 2001:db8:1::/64 nhid 6"]:
        ip(lab, *line.split())

    def state():
        return ip(lab, "nexthop") + ip(lab, "route") + ip(lab, "-6", "route", "show", "2001:db8:1::/64")

    before = state()
    bad = contract.change(registry.kind("nexthop"), contract.CREATE, None,
                          {"id": 99, "family": 4, "gateway": "10.9.9.9", "dev": "b0", "protocol": "static"})
    with pytest.raises(applier.ApplyError, match="Nexthop has invalid gateway"):
        step = run(LinkTask(), lab, {"name": "a0", "state": "absent"}, extra=[bad])
    step = run(LinkTask(), lab, {"name": "a0", "state": "absent"}, check=True)
    planned = [(c["op"], c["kind"], c["key"][0] if c["kind"] == "nexthop" else c["key"][2]) for c in step.plan
               if c["kind"] in ("nexthop", "route") and ("nhid" in c["note"] or "nexthop" in c["note"]
                                                         or c["kind"] == "nexthop")]
    assert planned == [("delete", "route", "203.0.113.0/24"), ("update", "nexthop", 10),
                       ("delete", "route", "203.0.114.0/24"), ("delete", "nexthop", 12), ("delete", "nexthop", 1),
                       ("delete", "route", "2001:db8:1::/64"), ("delete", "nexthop", 6)]
    assert state() == before


@pytest.mark.parametrize("params,message", [
    ({"id": 10, "group": [10, 1]}, "group\\[0\\].id=10.*cannot hold itself"),
    ({"id": 10, "group": [{"id": 1, "weight": 0}]}, "group\\[0\\].weight=0.*out of range"),
    ({"id": 10, "group": [{"id": 1, "weight": 257}]}, "group\\[0\\].weight=257.*out of range"),
    ({"id": 10, "group": [1], "buckets": 8}, "buckets=8.*type=resilient only"),
    ({"id": 3, "blackhole": True, "gateway": "192.0.2.1"}, "gateway.*blackhole nexthop has no gateway"),
    ({"id": 10, "group": [42]}, "group\\[0\\].id=42.*no such nexthop"),
    ({"id": 0, "dev": "a0"}, "id=0.*out of range"),
    ({"id": 1}, "needs a gateway, a dev"),
])
def test_bad_inputs_refused_with_nothing_changed(lab, ip, params, message):
    run(NexthopTask(), lab, {"nexthops": NEXTHOPS[:1]})
    before = ip(lab, "nexthop")
    with pytest.raises(contract.ValidationError, match=message):
        run(NexthopTask(), lab, params)
    assert ip(lab, "nexthop") == before


def test_nl_route_gathers_nhid_and_takes_it_back(lab, ip):
    from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask
    run(NexthopTask(), lab, {"nexthops": NEXTHOPS[:2] + NEXTHOPS[7:8]})
    step = run(RouteTask(), lab, {"routes": [{"dst": "198.51.100.0/24", "nhid": 10}, {"dst": "203.0.113.0/24", "nhid": 1}]})
    assert all(" nhid " in c and " via " not in c for c in step.commands), step.commands
    assert "nhid 10" in ip(lab, "route", "show", "198.51.100.0/24")
    gathered = RouteTask().gather(context.KernelContext(lab), {"state": "gathered"})
    mine = [r for r in gathered if r.get("dst") in ("198.51.100.0/24", "203.0.113.0/24")]
    assert [(r["dst"], r.get("nhid"), r.get("gateway"), r.get("nexthops")) for r in mine] == [
        ("198.51.100.0/24", 10, None, None), ("203.0.113.0/24", 1, None, None)]
    assert run(RouteTask(), lab, {"routes": mine}).plan == []


def test_encapsulated_nexthop_read_kept_and_restored(lab, ip):
    """A nexthop another tool made with an encapsulation (``encap ip``, the
    one lightweight tunnel this kernel has built in): gathered names it and
    fed back changes nothing; a change that would strip it, or an item
    claiming one the kernel does not hold, is refused; deleted with its
    cascade and undone on a later refusal, it comes back with it (the
    request needs NLA_F_NESTED on NHA_ENCAP, which the kernel's dump
    does not set)."""
    for line in ["nexthop add id 5 encap ip id 100 dst 10.1.1.1 via 192.0.2.1 dev a0 proto static",
                 "nexthop add id 6 via 198.18.0.2 dev b0 proto static", "nexthop add id 10 group 5/6 proto static",
                 "route add 203.0.113.0/24 nhid 5 proto static"]:
        ip(lab, *line.split())
    gathered = NexthopTask().gather(context.KernelContext(lab), {"state": "gathered"})
    assert gathered[0] == {"id": 5, "gateway": "192.0.2.1", "dev": "a0", "encap": "ip", "protocol": "static"}
    assert run(NexthopTask(), lab, {"nexthops": gathered}).plan == []

    def state():
        return ip(lab, "-d", "nexthop") + ip(lab, "-d", "route")

    before = state()
    with pytest.raises(contract.PlanError, match="replace would strip"):
        run(NexthopTask(), lab, {"nexthops": [dict(gathered[0], gateway="192.0.2.2")]})
    with pytest.raises(contract.PlanError, match="encap=ip: nl_nexthop does not model.*it holds none"):
        run(NexthopTask(), lab, {"nexthops": [dict(gathered[1], encap="ip")]})
    with pytest.raises(contract.ValidationError, match=r"nexthops\[0\]\.encap=gre: not an encapsulation type"):
        run(NexthopTask(), lab, {"nexthops": [dict(gathered[0], encap="gre")]})
    bad = contract.change(registry.kind("nexthop"), contract.CREATE, None,
                          {"id": 99, "family": 4, "gateway": "10.9.9.9", "dev": "b0", "protocol": "static"})
    with pytest.raises(applier.ApplyError, match="already applied were undone"):
        run(NexthopTask(), lab, {"id": 5, "state": "absent"}, extra=[bad])
    assert state() == before and "encap ip id 100" in ip(lab, "nexthop", "show", "id", "5")
