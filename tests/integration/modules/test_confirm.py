"""Commit-confirmed (confirm_timeout on every module, nl_confirm) on the
host kernel, in throwaway namespaces, with the real watchdog detached by a
double fork and the real /run/netlink.host."""
import os
import stat

import pytest
import yaml

from ansible_collections.netlink.host.plugins.module_utils.confirm import launch, store
from ansible_collections.netlink.host.plugins.modules import nl_confirm
from ansible_collections.netlink.host.tests.integration.confirm_wait import (
    addresses, records_of, wait_final, watchdog_gone)
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture
def bridge(netns, ip_batch):
    """A namespace with br0 (mtu 1500, up) holding 192.0.2.1/24."""
    ip_batch(netns, ["link add br0 type bridge", "link set br0 up", "addr add 192.0.2.1/24 dev br0"])
    return netns


def replace_address(run_module, ns, timeout):
    """One task of two batches: add 198.51.100.1/24, then delete 192.0.2.1/24."""
    r = run_module("nl_addr", {"dev": "br0", "addresses": ["198.51.100.1/24"], "state": "replaced",
                               "confirm_timeout": timeout}, netns=ns)
    assert r["changed"] and not r.get("failed"), r
    return r


def test_unconfirmed_change_rolls_back(run_module, bridge, ip_json):
    r = replace_address(run_module, bridge, 2)
    assert addresses(ip_json, bridge) == ["198.51.100.1/24"]
    rec = store.load(r["confirm_id"])
    assert rec["state"] == store.APPLIED and rec["netns"] == bridge
    assert r["confirm_deadline"] == store.iso(rec["deadline"])
    rec = wait_final(r["confirm_id"])
    assert rec["state"] == store.ROLLED_BACK, rec
    assert addresses(ip_json, bridge) == ["192.0.2.1/24"]
    assert rec["log"][0]["msg"].startswith("armed by ") and rec["log"][2]["msg"] == "applied"
    assert watchdog_gone(r["confirm_id"])


def test_confirmed_change_stays(run_module, bridge, ip_json):
    # The deadline leaves the confirm time to come on a loaded machine; what
    # shows the change stays is that no watchdog is left to roll it back.
    r = replace_address(run_module, bridge, 60)
    c = run_module("nl_confirm", {"ids": [r["confirm_id"]]})
    assert c["changed"] and c["confirmed"] == [r["confirm_id"]], c
    assert watchdog_gone(r["confirm_id"]), "SIGUSR1 ends the watchdog of a confirmed record"
    assert addresses(ip_json, bridge) == ["198.51.100.1/24"]
    assert store.load(r["confirm_id"])["state"] == store.CONFIRMED
    again = run_module("nl_confirm", {"ids": [r["confirm_id"]]})
    assert again["changed"] is False and again["confirmed"] == []


@pytest.mark.slow(15)  # waits out a deadline long enough for two tasks under load
def test_two_pending_roll_back_newest_first(run_module, bridge, ip_json):
    """Both change br0's MTU; only newest-first gets back to 1500 without
    a conflict.  The older one's deadline comes first: it waits for the
    newer one (rolls it back first).  The deadline must outlast the second
    task, or the first is rolled back alone before the second is made."""
    first = run_module("nl_link", {"name": "br0", "mtu": 1400, "confirm_timeout": 12}, netns=bridge)
    second = run_module("nl_link", {"name": "br0", "mtu": 1300, "confirm_timeout": 12}, netns=bridge)
    assert store.load(first["confirm_id"])["state"] == store.APPLIED, "the deadline passed before the second task"
    assert ip_json(bridge, "link", "show", "br0")[0]["mtu"] == 1300
    one, two = wait_final(first["confirm_id"], 60), wait_final(second["confirm_id"], 60)
    assert (one["state"], two["state"]) == (store.ROLLED_BACK, store.ROLLED_BACK), (one, two)
    assert two["finished"] <= one["finished"]
    assert "made after %s" % first["confirm_id"] in two["log"][-2]["msg"]
    assert ip_json(bridge, "link", "show", "br0")[0]["mtu"] == 1500


@pytest.mark.slow(15)  # waits out a deadline long enough for two tasks and a change under load
def test_later_change_is_a_conflict_not_overwritten(run_module, bridge, ip, ip_json):
    r = run_module("nl_link", {"name": "br0", "mtu": 1400, "confirm_timeout": 12}, netns=bridge)
    a = run_module("nl_addr", {"dev": "br0", "address": "203.0.113.1/24", "confirm_timeout": 12}, netns=bridge)
    ip(bridge, "link", "set", "br0", "mtu", "1280")  # another tool, after the change
    assert store.load(r["confirm_id"])["state"] == store.APPLIED, "the deadline passed before the other tool's change"
    rec = wait_final(r["confirm_id"], 60)
    assert rec["state"] == store.ROLLBACK_FAILED, rec
    assert [(c["kind"], c["key"]) for c in rec["conflicts"]] == [("link", ["br0"])]
    assert "mtu differ" in rec["conflicts"][0]["reason"]
    assert ip_json(bridge, "link", "show", "br0")[0]["mtu"] == 1280
    # the other record's objects were untouched by anyone: restored
    assert wait_final(a["confirm_id"], 60)["state"] == store.ROLLED_BACK
    assert addresses(ip_json, bridge) == ["192.0.2.1/24"]


def test_records_and_lib_are_root_only(run_module, bridge):
    r = replace_address(run_module, bridge, 30)
    try:
        base = os.stat(store.BASE)
        assert stat.S_IMODE(base.st_mode) == 0o700 and base.st_uid == 0
        for ext in ("json", "py", "pid", "log"):
            st = os.stat(store.path_of(r["confirm_id"], ext))
            assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0, ext
        lib = os.path.join(store.BASE, "lib")
        for top, dirs, files in os.walk(lib):
            assert stat.S_IMODE(os.stat(top).st_mode) == 0o700, top
            for f in files:
                assert stat.S_IMODE(os.stat(os.path.join(top, f)).st_mode) == 0o600, f
        with open(store.path_of(r["confirm_id"], "py")) as f:
            assert os.path.join(lib, "") in f.read()
    finally:
        assert run_module("nl_confirm", {"ids": [r["confirm_id"]]})["confirmed"] == [r["confirm_id"]]


@pytest.mark.parametrize("value", [0, -5, 86401])
def test_bad_timeout_fails_before_anything(run_module, bridge, value):
    # br0 came up with carrier: its link-local does DAD, then gains its
    # local route; a raw `ip addr show` pair once straddled DAD's end.
    # Compare the whole namespace once the kernel is done.
    settle(bridge)
    before, records = snapshot(bridge), records_of(bridge)
    r = run_module("nl_addr", {"dev": "br0", "address": "198.51.100.1/24", "confirm_timeout": value},
                   netns=bridge)
    assert r.get("failed") and "confirm_timeout=%d" % value in r["msg"], r
    assert_same(before, snapshot(bridge))
    assert records_of(bridge) == records


def test_check_mode_and_no_change_make_no_record(run_module, bridge):
    before = records_of(bridge)
    r = run_module("nl_addr", {"dev": "br0", "address": "198.51.100.1/24", "confirm_timeout": 2},
                   netns=bridge, check=True)
    assert r["changed"] and "confirm_id" not in r
    r = run_module("nl_addr", {"dev": "br0", "address": "192.0.2.1/24", "confirm_timeout": 2}, netns=bridge)
    assert r["changed"] is False and "confirm_id" not in r
    assert records_of(bridge) == before


def test_nl_confirm_lists_rolls_back_and_refuses_late_confirm(run_module, bridge, ip_json):
    r = replace_address(run_module, bridge, 600)
    g = run_module("nl_confirm", {"state": "gathered", "netns": bridge})
    assert [x["id"] for x in g["records"]] == [r["confirm_id"]] and g["changed"] is False
    shown = g["records"][0]
    assert shown["state"] == "applied" and shown["watchdog"]["alive"] and 500 < shown["remaining"] <= 600
    assert shown["undo_commands"] == ["ip -n %s addr add 192.0.2.1/24 dev br0" % bridge,
                                      "ip -n %s addr del 198.51.100.1/24 dev br0" % bridge]
    assert "undo" not in shown
    c = run_module("nl_confirm", {"state": "rolled_back", "ids": [r["confirm_id"]]}, check=True)
    assert c["changed"] and c["rolled_back"] == [r["confirm_id"]]
    assert addresses(ip_json, bridge) == ["198.51.100.1/24"]
    c = run_module("nl_confirm", {"state": "rolled_back", "ids": [r["confirm_id"]]})
    assert c["changed"] and c["rolled_back"] == [r["confirm_id"]], c
    assert addresses(ip_json, bridge) == ["192.0.2.1/24"]
    assert c["records"][0]["state"] == "rolled_back"
    late = run_module("nl_confirm", {"ids": [r["confirm_id"]]})
    assert late.get("failed") and "too late" in late["msg"], late
    bad = run_module("nl_confirm", {"ids": ["no-such-id"]})
    assert bad.get("failed") and "ids=" in bad["msg"] and "no-such-id" in bad["msg"]
    assert watchdog_gone(r["confirm_id"])


def test_rollback_in_check_mode_names_what_the_rollback_would(run_module, bridge, netns_factory, ip_batch):
    """Rolling one record back takes the newer ones of its namespace with it,
    and no other namespace's: check mode says exactly that."""
    other = netns_factory()
    ip_batch(other, ["link add br0 type bridge", "addr add 192.0.2.1/24 dev br0"])
    mine = [replace_address(run_module, bridge, 600)["confirm_id"]]
    theirs = replace_address(run_module, other, 600)["confirm_id"]
    mine.append(run_module("nl_link", {"name": "br0", "mtu": 1400, "confirm_timeout": 600},
                           netns=bridge)["confirm_id"])
    try:
        c = run_module("nl_confirm", {"state": "rolled_back", "ids": [mine[0]]}, check=True)
        assert c["changed"] and c["rolled_back"] == [mine[1], mine[0]], c
        c = run_module("nl_confirm", {"state": "rolled_back", "ids": [mine[0]]})
        assert c["rolled_back"] == [mine[1], mine[0]], c
        assert store.load(theirs)["state"] == store.APPLIED
    finally:
        run_module("nl_confirm", {"ids": [theirs]})


def test_watchdog_that_does_not_start_stops_the_task(run_module, bridge, ip_json, monkeypatch):
    """No write request is sent unless the watchdog runs."""
    monkeypatch.setattr(launch, "READY_TIMEOUT", 1.0)
    monkeypatch.setattr(launch, "LAUNCHER", "import sys\nsys.exit(3)\n")
    before = records_of(bridge)
    r = run_module("nl_addr", {"dev": "br0", "address": "198.51.100.1/24", "confirm_timeout": 2}, netns=bridge)
    assert r.get("failed") and "did not start within" in r["msg"], r
    assert addresses(ip_json, bridge) == ["192.0.2.1/24"]
    assert records_of(bridge) == before


def test_systemd_run_path(run_module, bridge, ip_json, tmp_path, monkeypatch):
    """With systemd as PID 1 the watchdog is a transient service.  No
    systemd here: a stand-in systemd-run checks the arguments and starts
    the command detached (setsid -f), as a service manager would."""
    booted = tmp_path / "systemd"
    booted.mkdir()
    args = tmp_path / "args"
    fake = tmp_path / "systemd-run"
    fake.write_text('#!/bin/sh\nprintf "%%s\\n" "$@" > %s\nwhile [ "$1" != "--" ]; do shift; done; shift\n'
                    'exec setsid -f "$@" </dev/null >/dev/null 2>&1\n' % args)
    fake.chmod(0o755)
    monkeypatch.setattr(launch, "SYSTEMD_BOOTED", str(booted))
    monkeypatch.setattr(launch, "SYSTEMD_RUN", str(fake))
    r = replace_address(run_module, bridge, 2)
    rec = store.load(r["confirm_id"])
    assert rec["watchdog"]["started_by"] == "systemd-run (unit netlink-host-confirm-%s)" % r["confirm_id"]
    given = args.read_text().splitlines()
    assert given[:2] == ["--unit", "netlink-host-confirm-%s" % r["confirm_id"]] and "--collect" in given
    assert given[-1] == store.path_of(r["confirm_id"], "py")
    assert wait_final(r["confirm_id"])["state"] == store.ROLLED_BACK
    assert addresses(ip_json, bridge) == ["192.0.2.1/24"]


def test_examples_run(run_module, netns, ip, ip_json):
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    ip(netns, "addr", "add", "192.0.2.10/24", "dev", "veth0")
    tasks = yaml.safe_load(nl_confirm.EXAMPLES)
    moved = run_module("nl_addr", tasks[0]["netlink.host.nl_addr"], netns=netns)
    assert moved["changed"] and moved["confirm_id"], moved
    args = dict(tasks[1]["netlink.host.nl_confirm"], ids=[moved["confirm_id"]])
    assert run_module("nl_confirm", args, netns=netns)["confirmed"] == [moved["confirm_id"]]
    listed = run_module("nl_confirm", tasks[2]["netlink.host.nl_confirm"], netns=netns)
    assert [x["state"] for x in listed["records"]] == ["confirmed"]
    now = run_module("nl_confirm", tasks[3]["netlink.host.nl_confirm"], netns=netns)
    assert now["changed"] is False and not now.get("failed"), now
    assert addresses(ip_json, netns, "veth0") == ["192.0.2.20/24"]
