# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Commit-confirmed's pending records under /run/netlink.host/.

One record per changing task run with ``confirm_timeout``: ``<id>.json``
(written atomically, 0600), beside it the watchdog's launcher ``<id>.py``,
its pid file ``<id>.pid`` (the watchdog holds an exclusive flock on it for
as long as it lives, so a pid file that can be locked belongs to no live
watchdog) and its stderr ``<id>.log``.  The directory is 0700 and owned
by root: records hold undo plans, and plans hold secrets (SA keys).

Life cycle (``state``)::

    armed --(module finished)--> applied --> confirmed
      |                            |    \\--> rolled_back | rollback_failed
      \\--(module killed or failed half-way: stays armed)--/

Every change of a record, and every rollback, happens under one host-wide
lock (``lock``), so a module applying, a watchdog rolling back and
nl_confirm confirming never interleave.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import fcntl
import json
import os
import socket
import struct
import time

from ..engine import plans
from ..netlink.netns import entered, netns_path
# store.ConfirmError, as callers name it
from .errors import ConfirmError  # noqa: F401  pylint: disable=unused-import

BASE = "/run/netlink.host"
RECORD_VERSION = 1
ARMED = "armed"
APPLIED = "applied"
CONFIRMED = "confirmed"
ROLLED_BACK = "rolled_back"
ROLLBACK_FAILED = "rollback_failed"
PENDING = (ARMED, APPLIED)
FINAL = (CONFIRMED, ROLLED_BACK, ROLLBACK_FAILED)
# The history of finished records nl_confirm lists (pending records are
# always kept).  prune() runs under the lock whenever a record is made and
# deletes a finished record (its .json, .py, .pid and .log) when it
# finished more than KEEP_FINISHED ago, or when it is not among the
# KEEP_COUNT newest finished records and finished more than KEEP_RECENT
# ago.  KEEP_RECENT is the floor: a record that finished moments ago is
# never deleted, however many finish at once (tests running side by side
# on one host read their own records right after they finish; a play may
# gather its record after the rollback).  /run is emptied at boot anyway.
KEEP_FINISHED = 24 * 3600
KEEP_COUNT = 100
KEEP_RECENT = 3600
SO_NETNS_COOKIE = 71  # asm-generic/socket.h (Linux 5.14+)


def private_dir(path):
    """Create ``path`` 0700 if missing; refuse one that another user owns,
    that is a symlink, or that others can read (it will hold secrets)."""
    try:
        os.mkdir(path, 0o700)
    except OSError:
        pass
    st = os.lstat(path)
    if not os.path.isdir(path) or os.path.islink(path):
        raise ConfirmError("%s is not a directory" % path)
    if st.st_uid != os.geteuid():
        raise ConfirmError("%s belongs to uid %d, not to this user (uid %d)" % (path, st.st_uid, os.geteuid()))
    if st.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def base_dir():
    try:
        return private_dir(BASE)
    except OSError as exc:
        raise ConfirmError("confirm_timeout needs the private directory %s: %s" % (BASE, exc.strerror or exc))


def path_of(rec_id, ext):
    return os.path.join(BASE, "%s.%s" % (rec_id, ext))


@contextlib.contextmanager
def locked():
    """The host-wide lock (flock on ``lock``): records change and rollbacks
    run only while it is held.  Released by the kernel when its holder
    dies (a module killed half-way never blocks a watchdog)."""
    fd = os.open(os.path.join(base_dir(), "lock"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def new_id():
    """Sortable and unique: UTC time to the microsecond plus random bits."""
    now = time.time()
    return "%s%06dZ-%s" % (time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)), int(now % 1 * 1e6),
                           os.urandom(3).hex())


def load(rec_id):
    """The record ``rec_id``, or None when there is none."""
    try:
        with open(path_of(rec_id, "json")) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def save(rec):
    """Write ``rec`` privately and atomically (0600, written beside and
    renamed: never half-written, never widened by the umask)."""
    plans.save_plan(path_of(rec["id"], "json"), rec)


def records():
    """Every record on the host, oldest first (by ``seq``)."""
    out = []
    try:
        names = os.listdir(BASE)
    except OSError:
        return out
    for name in names:
        if name.endswith(".json"):
            rec = load(name[:-len(".json")])
            if isinstance(rec, dict) and rec.get("version") == RECORD_VERSION:
                out.append(rec)
    return sorted(out, key=lambda r: (r.get("seq", 0), r["id"]))


def log(rec, text):
    """Add a line to the record's log (the caller saves the record)."""
    rec.setdefault("log", []).append({"time": iso(time.time()), "msg": text})


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def watchdog_pid(rec_id):
    """The pid of the record's live watchdog, or None: a watchdog holds an
    exclusive flock on its pid file for its whole life."""
    try:
        fd = os.open(path_of(rec_id, "pid"), os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            text = os.read(fd, 32).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else None
        return None  # lockable: nobody holds it, the watchdog is gone
    finally:
        os.close(fd)


def remove(rec_id):
    for ext in ("json", "py", "pid", "log"):
        try:
            os.unlink(path_of(rec_id, ext))
        except OSError:
            pass


def finished_at(rec):
    """When a finished record finished (its creation if it never said)."""
    return rec.get("finished", rec.get("created", 0))


def prune(now=None):
    """Delete the finished records beyond the history kept (see
    KEEP_FINISHED, KEEP_COUNT, KEEP_RECENT); call it under the lock.
    Pending records stay, and so does every record whose watchdog still
    lives (it has been told to end, and its files are still its own).
    Returns the ids deleted."""
    now = time.time() if now is None else now
    finished = sorted((r for r in records() if r.get("state") in FINAL), key=finished_at, reverse=True)
    gone = []
    for rank, rec in enumerate(finished):
        age = now - finished_at(rec)
        if age <= KEEP_RECENT or (rank < KEEP_COUNT and age <= KEEP_FINISHED):
            continue
        if watchdog_pid(rec["id"]) is not None:
            continue
        remove(rec["id"])
        gone.append(rec["id"])
    return gone


def netns_identity(netns):
    """What tells namespaces apart: ``{"inode": [st_dev, st_ino], "cookie"}``
    of ``netns`` (a name, a path, or None: this process's own).  The
    cookie (SO_NETNS_COOKIE, Linux 5.14+) is never reused; an inode is,
    once its namespace is gone, so it counts only where there is no cookie."""
    path = "/proc/self/ns/net" if netns is None else netns_path(netns)
    st = os.stat(path)
    with entered(netns):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        cookie = struct.unpack("Q", sock.getsockopt(socket.SOL_SOCKET, SO_NETNS_COOKIE, 8))[0]
    except (OSError, struct.error):
        cookie = None
    finally:
        sock.close()
    return {"inode": [st.st_dev, st.st_ino], "cookie": cookie}


def same_netns(a, b):
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    if a.get("cookie") is not None and b.get("cookie") is not None:
        return a["cookie"] == b["cookie"]
    return a.get("inode") == b.get("inode")
