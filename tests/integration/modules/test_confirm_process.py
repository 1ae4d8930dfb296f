"""Commit-confirmed against the ways a module run really ends: SIGKILL in
the middle of applying, and Ansible itself (ad hoc, AnsiballZ from a zip,
the payload directory deleted when the task ends)."""
import json
import os
import signal
import subprocess
import sys

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store
from ansible_collections.netlink.host.tests.integration.confirm_wait import addresses, wait_final, watchdog_gone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible")

# The module in a process of its own that stops for good before its second
# batch of write requests (and says so), for the test to SIGKILL it there.
STOPS_BEFORE_SECOND_BATCH = r"""
import os, sys, time
sys.path.insert(0, %(collections)r)
sys.path.insert(0, %(modules)r)
from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket
from conftest import run_module
real = nlsocket.NetlinkSocket.batch
seen = {"batches": 0}
def batch(self, requests):
    if seen["batches"] == 1:
        os.write(1, b"STOPPED\n")  # fd 1: run_module captures sys.stdout
        time.sleep(600)
    seen["batches"] += 1
    return real(self, requests)
nlsocket.NetlinkSocket.batch = batch
run_module("nl_link", {"links": [{"name": "br1", "kind": "bridge"}, {"name": "br0", "mtu": 1400}],
                       "confirm_timeout": 15, "netns": sys.argv[1]})
"""


def newest_record_of(ns):
    recs = [r for r in store.records() if r.get("netns") == ns]
    return recs[-1] if recs else None


def links(ip_json, ns):
    return sorted(link["ifname"] for link in ip_json(ns, "link", "show"))


def mtu(ip_json, ns):
    return ip_json(ns, "link", "show", "br0")[0]["mtu"]


@pytest.mark.slow(18)  # the deadline must outlast a loaded start of the module
def test_module_killed_between_batches_is_rolled_back(netns, ip_batch, ip_json):
    ip_batch(netns, ["link add br0 type bridge", "link set br0 up", "addr add 192.0.2.1/24 dev br0"])
    code = STOPS_BEFORE_SECOND_BATCH % {"collections": COLLECTIONS,
                                        "modules": os.path.join(ROOT, "tests", "integration", "modules")}
    proc = subprocess.Popen([sys.executable, "-c", code, netns], stdout=subprocess.PIPE, universal_newlines=True)
    try:
        assert proc.stdout.readline().strip() == "STOPPED"
        # half-way: br1 is made (first batch), br0's MTU not yet changed
        assert (links(ip_json, netns), mtu(ip_json, netns)) == (["br0", "br1", "lo"], 1500)
        rec = newest_record_of(netns)
        assert rec["state"] == store.ARMED and store.watchdog_pid(rec["id"])
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    rec = wait_final(rec["id"], 60)
    assert rec["state"] == store.ROLLED_BACK, rec
    assert (links(ip_json, netns), mtu(ip_json, netns)) == (["br0", "lo"], 1500)
    assert addresses(ip_json, netns) == ["192.0.2.1/24"]
    # only the applied half needed undoing; the other was found as it was
    assert "1 change(s) undone" in rec["log"][-1]["msg"]


def _proc_fields(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return {"ppid": int(fields[1]), "pgrp": int(fields[2]), "sid": int(fields[3]), "tty_nr": int(fields[4])}


@pytest.mark.slow(25)  # the deadline must outlast a loaded ad-hoc run and the checks after it
def test_watchdog_outlives_ansible_and_its_payload(netns, ip_batch, ip_json, tmp_path):
    ip_batch(netns, ["link add br0 type bridge", "link set br0 up", "addr add 192.0.2.1/24 dev br0"])
    remote_tmp = tmp_path / "remote"
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_REMOTE_TMP=str(remote_tmp), ANSIBLE_LOCAL_TEMP=str(tmp_path / "local"))
    args = "dev=br0 addresses=198.51.100.1/24 state=replaced confirm_timeout=20 netns=%s" % netns
    proc = subprocess.run([ANSIBLE, "localhost", "-o", "-c", "local", "-m", "netlink.host.nl_addr", "-a", args],
                          check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=env, timeout=120)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("localhost | ")]
    assert proc.returncode == 0 and line, (proc.stdout, proc.stderr)
    result = json.loads(line[0].split(" => ", 1)[1])
    rec_id = result["confirm_id"]
    # Ansible has ended and removed its payload directory
    assert list(remote_tmp.iterdir()) == []
    assert addresses(ip_json, netns) == ["198.51.100.1/24"]
    pid = store.watchdog_pid(rec_id)
    assert pid, "the watchdog must outlive the module and ansible"
    info = _proc_fields(pid)
    assert info["sid"] == info["pgrp"] != pid and info["tty_nr"] == 0, info  # own session, not its leader, no tty
    assert os.readlink("/proc/%d/cwd" % pid) == "/"
    fds = [os.readlink("/proc/%d/fd/%s" % (pid, fd)) for fd in os.listdir("/proc/%d/fd" % pid)]
    assert not [f for f in fds if str(tmp_path) in f], fds
    with open("/proc/%d/cmdline" % pid) as f:
        assert f.read().split("\0")[1] == store.path_of(rec_id, "py")
    assert store.load(rec_id)["module"] == "netlink.host.nl_addr"
    rec = wait_final(rec_id, 90)
    assert rec["state"] == store.ROLLED_BACK, rec
    assert addresses(ip_json, netns) == ["192.0.2.1/24"]
    assert watchdog_gone(rec_id)
