"""``gathered_file`` (nl_route, nl_rule): state=gathered written to a file
on the managed host instead of into the result.

The file must hold exactly what ``gathered`` would (several chunks of it
for a big table), be rewritten only when that changes (a rerun reports no
change and leaves the file alone), keep an existing file's mode, write
nothing in check mode, and refuse bad paths before anything is read or
written.
"""
import json
import os
import stat

import pytest

from ansible_collections.netlink.host.plugins.module_utils.runner import gathered_file
from ansible_collections.netlink.host.tests.integration.snapshots import settle, snapshot

SETUP = [
    "link add veth0 type veth peer name veth1",
    "link set veth0 up",
    "link set veth1 up",
    "addr add 192.0.2.1/24 dev veth0",
    "addr add 2001:db8::1/64 dev veth0 nodad",
]


@pytest.fixture
def ns(netns, ip_batch):
    ip_batch(netns, SETUP)
    settle(netns)
    return netns


def load(path):
    with open(path) as f:
        return json.load(f)


@pytest.mark.parametrize("module,table_opt", [("nl_route", {"table": "main"}), ("nl_rule", {})])
def test_file_holds_what_gathered_returns(ns, ip, run_module, tmp_path, module, table_opt):
    ip(ns, "route", "add", "10.1.0.0/16", "via", "192.0.2.2", "proto", "static")
    ip(ns, "rule", "add", "from", "10.9.0.0/16", "lookup", "100", "priority", "500")
    args = dict(table_opt, state="gathered", netns=ns)
    returned = run_module(module, args)["gathered"]
    path = str(tmp_path / "out.json")
    r = run_module(module, dict(args, gathered_file=path))
    assert not r.get("failed"), r
    assert r["changed"] is True
    assert "gathered" not in r
    assert r["gathered_file"] == path and r["gathered_count"] == len(returned)
    assert load(path) == returned and returned, returned


def test_rerun_leaves_the_file_alone(ns, run_module, tmp_path):
    path = str(tmp_path / "routes.json")
    args = {"state": "gathered", "netns": ns, "gathered_file": path}
    assert run_module("nl_route", args)["changed"] is True
    os.chmod(path, 0o640)
    os.utime(path, (1, 1))
    again = run_module("nl_route", args)
    assert again["changed"] is False, again
    st = os.stat(path)
    assert st.st_mtime == 1, "an unchanged table rewrote the file"
    assert (st.st_mode & 0o777) == 0o640
    with open(path, "ab") as f:
        f.write(b"\n")  # the same text and more: it differs
    assert run_module("nl_route", args, check=True)["changed"] is True
    assert run_module("nl_route", args)["changed"] is True
    assert run_module("nl_route", args)["changed"] is False


def test_a_changed_table_rewrites_the_file_keeping_its_mode(ns, ip, run_module, tmp_path):
    path = str(tmp_path / "routes.json")
    args = {"state": "gathered", "netns": ns, "family": "4", "gathered_file": path}
    run_module("nl_route", args)
    os.chmod(path, 0o640)
    ip(ns, "route", "add", "10.2.0.0/16", "via", "192.0.2.3")
    r = run_module("nl_route", args)
    assert r["changed"] is True
    assert {"dst": "10.2.0.0/16", "gateway": "192.0.2.3", "dev": "veth0", "protocol": "boot"} in load(path)
    assert (os.stat(path).st_mode & 0o777) == 0o640
    assert sorted(os.listdir(str(tmp_path))) == ["routes.json"], "a temporary file was left behind"


def test_check_mode_writes_nothing(ns, run_module, tmp_path):
    path = str(tmp_path / "routes.json")
    args = {"state": "gathered", "netns": ns, "gathered_file": path}
    r = run_module("nl_route", args, check=True)
    assert r["changed"] is True and not os.path.exists(path)
    assert os.listdir(str(tmp_path)) == []
    run_module("nl_route", args)
    with open(path, "rb") as f:
        before = f.read()
    r = run_module("nl_route", args, check=True)
    assert r["changed"] is False, r
    with open(path, "rb") as f:
        assert f.read() == before


def test_a_big_table_spans_chunks(ns, ip_batch, run_module, tmp_path):
    """More routes than one chunk (gathered_file.CHUNK): the file is still
    one JSON list, in the kernel's order, equal to the returned list."""
    n = gathered_file.CHUNK * 2 + 17
    ip_batch(ns, ["route add 10.%d.%d.0/24 via 192.0.2.2 table 300 proto bgp" % (i >> 8, i & 255)
                  for i in range(n)])
    args = {"state": "gathered", "netns": ns, "table": "300"}
    returned = run_module("nl_route", args)["gathered"]
    assert len(returned) == n
    path = str(tmp_path / "big.json")
    r = run_module("nl_route", dict(args, gathered_file=path))
    assert r["gathered_count"] == n
    assert load(path) == returned


@pytest.mark.parametrize("args,expect", [
    ({"state": "present", "dst": "10.3.0.0/16", "gateway": "192.0.2.2", "gathered_file": "/tmp/x.json"},
     "gathered_file=/tmp/x.json: only with state=gathered"),
    ({"state": "gathered", "gathered_file": "relative.json"}, "gathered_file=relative.json: an absolute path"),
    ({"state": "gathered", "gathered_file": "/nonexistent-dir-nl/x.json"},
     "gathered_file=/nonexistent-dir-nl/x.json: its directory /nonexistent-dir-nl does not exist"),
    ({"state": "gathered", "gathered_file": "/tmp"}, "gathered_file=/tmp: is a directory"),
])
def test_bad_paths_fail_before_anything(ns, run_module, args, expect, tmp_path):
    before = snapshot(ns)
    # the file named, not all of /tmp: other tests' Ansible payload
    # directories come and go there while this one runs
    target = args["gathered_file"]
    file_before = _stat_or_none(target)
    r = run_module("nl_route", dict(args, netns=ns))
    assert r.get("failed") and expect in r["msg"], r
    assert snapshot(ns) == before
    assert _stat_or_none(target) == file_before


def _stat_or_none(path):
    """What a write to ``path`` would change (None when nothing is there);
    of a directory (/tmp) only that it is the same one, since others write
    in it."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return (st.st_ino, st.st_mode)
    return (st.st_ino, st.st_mode, st.st_size, st.st_mtime_ns)


def test_a_file_that_cannot_be_written_fails_naming_it(ns, run_module):
    """A directory that exists but takes no file (sysfs): a clear error
    naming the option and the reason, not a traceback; nothing changed."""
    before = snapshot(ns)
    r = run_module("nl_route", {"state": "gathered", "netns": ns, "gathered_file": "/sys/nl-gathered.json"})
    assert r.get("failed") and r["msg"].startswith("gathered_file=/sys/nl-gathered.json: cannot write it"), r
    assert r["changed"] is False and "exception" not in r, r
    assert not os.path.exists("/sys/nl-gathered.json")
    assert snapshot(ns) == before
