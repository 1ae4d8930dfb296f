"""Commit-confirmed's history bound (store.prune): real records written
through the store API into a private directory of the test's own (the
host's /run/netlink.host is shared with every test running beside this
one), with the timestamps of records made in the past."""
import os
import subprocess
import sys
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store

NOW = 1800000000.0
HOUR = 3600.0


@pytest.fixture
def base(tmp_path, monkeypatch):
    path = tmp_path / "netlink.host"
    monkeypatch.setattr(store, "BASE", str(path))
    store.base_dir()
    return path


def make(state, created, finished=None):
    """A record as the modules write it, with every file beside it."""
    rec = {"version": store.RECORD_VERSION, "id": "%.6f-%s" % (created, os.urandom(3).hex()), "seq": 0,
           "state": state, "module": "nl_addr", "created": created, "timeout": 60, "deadline": created + 60,
           "netns": None, "netns_id": None, "undo": {"version": 1, "netns": None, "changes": []},
           "undo_commands": [], "changes": [], "log": []}
    if finished is not None:
        rec["finished"] = finished
    store.save(rec)
    for ext in ("py", "pid", "log"):
        with open(store.path_of(rec["id"], ext), "w") as f:
            f.write("x")
    return rec["id"]


def files_of(base, rec_id):
    return sorted(name for name in os.listdir(str(base)) if name.startswith(rec_id + "."))


def ids(recs):
    return set(r["id"] for r in recs)


def test_finished_records_older_than_a_day_go_pending_ones_never(base):
    old = make(store.CONFIRMED, NOW - 30 * HOUR, NOW - 25 * HOUR)
    failed = make(store.ROLLBACK_FAILED, NOW - 30 * HOUR, NOW - 24 * HOUR - 1)
    day_old_pending = [make(store.ARMED, NOW - 40 * HOUR), make(store.APPLIED, NOW - 30 * HOUR)]
    kept = make(store.ROLLED_BACK, NOW - 23 * HOUR, NOW - 23 * HOUR)
    gone = store.prune(NOW)
    assert ids(store.records()) == set(day_old_pending + [kept])
    assert set(gone) == {old, failed}
    assert files_of(base, old) == [] and files_of(base, failed) == []
    for rec_id in day_old_pending + [kept]:
        assert files_of(base, rec_id) == [rec_id + "." + ext for ext in ("json", "log", "pid", "py")]


def test_history_keeps_the_newest_and_everything_finished_within_the_hour(base):
    # 150 records finished 2 to 3 hours ago and 150 within the last hour:
    # the hour's stay whatever their number, the older ones only as far as
    # they are among the KEEP_COUNT newest finished records
    older = [make(store.CONFIRMED, NOW - 4 * HOUR, NOW - 2 * HOUR - i * 60) for i in range(150)]
    recent = [make(store.ROLLED_BACK, NOW - HOUR, NOW - HOUR + 1 + i * 20) for i in range(150)]
    pending = [make(store.APPLIED, NOW - 10 * HOUR - i) for i in range(3)]
    gone = store.prune(NOW)
    assert ids(store.records()) == set(recent + pending)
    assert set(gone) == set(older), "every older one is beyond the 100 newest, the hour's 150 stay"

    # an hour later the 150 are older than KEEP_RECENT: the 100 newest stay
    later = NOW + 2 * HOUR
    gone = store.prune(later)
    assert ids(store.records()) == set(recent[50:] + pending)
    assert set(gone) == set(recent[:50])
    assert store.prune(later) == []
    assert len([r for r in store.records() if r["state"] in store.FINAL]) == store.KEEP_COUNT


def test_a_record_whose_watchdog_lives_keeps_its_files(base):
    """A finished record's watchdog may still be running (told to end by
    SIGUSR1, not exited yet): its pid file, launcher and log stay, and so
    does the record, until it is gone."""
    rec_id = make(store.CONFIRMED, NOW - 30 * HOUR, NOW - 25 * HOUR)
    # a process that holds the pid file's lock as a watchdog does
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "os.ftruncate(fd, 0); os.write(fd, str(os.getpid()).encode())\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n"), store.path_of(rec_id, "pid")], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"locked"
        assert store.watchdog_pid(rec_id) == holder.pid
        gone = store.prune(NOW)
        assert files_of(base, rec_id) == [rec_id + "." + ext for ext in ("json", "log", "pid", "py")]
        assert gone == []
    finally:
        holder.stdin.close()
        holder.wait()
    assert store.watchdog_pid(rec_id) is None
    assert store.prune(NOW) == [rec_id]
    assert files_of(base, rec_id) == []


def test_pruning_uses_the_real_clock_by_default(base):
    now = time.time()
    old = make(store.CONFIRMED, now - 30 * HOUR, now - 25 * HOUR)
    fresh = make(store.CONFIRMED, now - 60, now - 1)
    gone = store.prune()
    assert ids(store.records()) == {fresh}
    assert gone == [old]
