# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The commit-confirmed watchdog: one process per pending record, started
detached by launch.py, running from the copy in /run/netlink.host/lib/.

It holds an exclusive flock on ``<id>.pid`` for its whole life (how
others know it lives), sleeps until the record's deadline, and then, if
the record is still pending (armed or applied), rolls it back under the
host-wide lock (with every pending change of its namespace made after
it first, newest first: rollback.roll_back).  SIGUSR1 wakes it early to re-read its record
(nl_confirm sends it after confirming): a confirmed record ends it.

What it does goes to syslog (/dev/log, facility daemon, ident
``netlink.host-confirm``) and to the record's log; its stderr is
``<id>.log``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import os
import signal
import sys
import time

try:
    import syslog
except ImportError:  # not on this platform: the record's log still says it
    syslog = None

from . import rollback, store

# A deadline is re-checked at least this often (the wall clock may be set).
RECHECK = 30.0


def _say(text):
    if syslog is not None:
        syslog.syslog(syslog.LOG_NOTICE, text)
    sys.stderr.write("%s %s\n" % (store.iso(time.time()), text))
    sys.stderr.flush()


def _stdio(rec_id):
    null = os.open(os.devnull, os.O_RDWR)
    log = os.open(store.path_of(rec_id, "log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)


def _hold_pid_file(rec_id):
    """Take the liveness lock and publish the pid (the module waits for
    it before its first write request).  The fd stays open until exit."""
    fd = os.open(store.path_of(rec_id, "pid"), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.write(fd, str(os.getpid()).encode())
    return fd


def main(record_path):
    rec_id = os.path.basename(record_path)[:-len(".json")]
    os.chdir("/")
    _stdio(rec_id)
    if syslog is not None:
        syslog.openlog("netlink.host-confirm", syslog.LOG_PID, syslog.LOG_DAEMON)
    _pid_fd = _hold_pid_file(rec_id)  # noqa: F841 (held until exit)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    rec = store.load(rec_id)
    if rec is None:
        _say("%s: no record, nothing to watch" % rec_id)
        return 1
    _say("%s: watching, rolls back at %s unless confirmed" % (rec_id, store.iso(rec["deadline"])))
    while True:
        rec = store.load(rec_id)
        if rec is None or rec.get("state") not in store.PENDING:
            _say("%s: %s, watchdog ends" % (rec_id, rec.get("state") if rec else "record removed"))
            return 0
        left = rec["deadline"] - time.time()
        if left <= 0:
            break
        signal.sigtimedwait([signal.SIGUSR1], min(left, RECHECK))
    with store.locked():
        rec = store.load(rec_id)
        if rec is None or rec.get("state") not in store.PENDING:
            _say("%s: %s before the deadline was acted on" % (rec_id, rec.get("state") if rec else "removed"))
            return 0
        done = rollback.roll_back([rec_id], "not confirmed within %s s" % rec["timeout"], _say)
    return 0 if all(r["state"] == store.ROLLED_BACK for r in done) else 2
