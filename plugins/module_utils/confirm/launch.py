# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start a record's watchdog so that it outlives the module, the SSH
session and Ansible's temporary files.

The watchdog runs from a copy of the code it needs: the collection's
module_utils engine (netlink/, contract/, objects/, engine/, confirm/),
copied by engine/engine_copy.py as a package ``netlink_host`` into
``/run/netlink.host/lib/<hash>/`` (root-only; one copy per collection
version, shared by every record of it, never changed under a running
watchdog).  Next to the record, ``<id>.py`` is the program: a few lines
that put the copy on ``sys.path`` and call ``watchdog.main``.

Detaching: a transient systemd service (``systemd-run``) when systemd is
PID 1 (``/run/systemd/system`` exists, as sd_booted() checks) and the
watchdog can find the namespace from there; otherwise a double fork:
``setsid()`` in the first child (own session, no controlling terminal),
a second fork so that the watchdog is no session leader and can never
acquire one, stdio to /dev/null and its log, cwd ``/``.  Either way the
module waits until the watchdog has taken the lock on its pid file
before it sends a single write request.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import select
import shutil
import signal
import sys
import time

from ..engine import engine_copy
from ..netlink.errors import NetlinkLibraryError
from . import store, watchdog

# What the watchdog imports: packages of module_utils.
COPIED_PACKAGES = ("netlink", "contract", "objects", "engine", "confirm")
SYSTEMD_RUN = "systemd-run"
SYSTEMD_BOOTED = "/run/systemd/system"
READY_TIMEOUT = 30.0

LAUNCHER = '''# netlink.host commit-confirmed watchdog for record %(id)s (written by the module;
# standard library only: the engine it runs is the copy in %(lib)s).
import os
import sys
os.umask(0o077)  # its bytecode caches and logs too: root's only
sys.path.insert(0, %(lib)r)
import %(module)s as watchdog
sys.exit(watchdog.main(%(record)r))
'''


def _watchdog_module():
    """The watchdog's module name inside the copied package (confirm.watchdog)."""
    return watchdog.__name__[len(engine_copy.utils_package()) + 1:]


def install_lib():
    """The engine's copy under lib/ (written once per collection version);
    returns the directory to put on sys.path."""
    files = engine_copy.sources((), COPIED_PACKAGES)
    if not files.get(_watchdog_module().replace(".", "/") + ".py"):
        raise store.ConfirmError("the watchdog's code is not among the files copied for it")
    lib, _written = engine_copy.install(store.private_dir(os.path.join(store.base_dir(), "lib")), files,
                                        private=True)
    return lib


def write_launcher(rec, lib):
    path = store.path_of(rec["id"], "py")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(LAUNCHER % {"id": rec["id"], "lib": lib,
                            "module": "%s.%s" % (engine_copy.PACKAGE, _watchdog_module()),
                            "record": store.path_of(rec["id"], "json")})
    return path


def systemd_usable(rec):
    """systemd is PID 1 and its service would find the namespace: a named
    one, or the module's own when that is PID 1's (a transient service
    starts in PID 1's namespace)."""
    if not os.path.isdir(SYSTEMD_BOOTED) or not shutil.which(SYSTEMD_RUN):
        return False
    if rec.get("netns") is not None:
        return True
    try:
        return store.same_netns(store.netns_identity("/proc/1/ns/net"), rec["netns_id"])
    except (OSError, NetlinkLibraryError):
        return False


def _systemd(rec, argv):
    unit = "netlink-host-confirm-%s" % rec["id"]
    cmd = [shutil.which(SYSTEMD_RUN), "--unit", unit, "--collect", "--quiet",
           "--description", "netlink.host commit-confirmed watchdog %s" % rec["id"],
           "--property", "KillMode=process", "--"] + argv
    status, output = _run(cmd, timeout=60)
    if status != 0:
        return None, "systemd-run failed (exit %s): %s" % (status, output.strip())
    return "systemd-run (unit %s)" % unit, None


def _run(argv, timeout):
    """(exit status, stdout+stderr text) of ``argv``, killed after
    ``timeout`` seconds.  fork/exec by hand: module_utils may not use
    subprocess (ansible-test's pylint), and there is no AnsibleModule here
    for run_command (the watchdog program reuses this file)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        _exec(argv, write_end)
    os.close(write_end)
    chunks, deadline = [], time.time() + timeout
    try:
        while True:
            ready = select.select([read_end], [], [], max(0.0, deadline - time.time()))[0]
            if not ready:
                os.kill(pid, signal.SIGKILL)
                break
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
    status = os.waitpid(pid, 0)[1]
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else "killed"
    return code, b"".join(chunks).decode("utf-8", "replace")


def _exec(argv, out):
    """In a forked child: stdin from /dev/null, stdout and stderr to
    ``out``, no other descriptor, then ``argv``; never returns."""
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.closerange(3, 65536)
        os.execv(argv[0], argv)
    finally:
        os._exit(127)


def _double_fork(argv, log_path):
    pid = os.fork()
    if pid == 0:  # first child: new session, then the watchdog's parent
        try:
            os.setsid()
            if os.fork() != 0:
                os._exit(0)
            os.chdir("/")
            _exec(argv, os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        finally:
            os._exit(127)
    os.waitpid(pid, 0)
    return "double fork"


def start(rec, lib):
    """Start the watchdog of ``rec`` and wait until it runs; returns
    (pid, how).  Raises ConfirmError when it does not come up."""
    argv = [sys.executable, write_launcher(rec, lib)]
    how, why = (None, None)
    if systemd_usable(rec):
        how, why = _systemd(rec, argv)
    if how is None:
        how = _double_fork(argv, store.path_of(rec["id"], "log"))
        if why:
            how += " (%s)" % why
    deadline = time.time() + READY_TIMEOUT
    while time.time() < deadline:
        pid = store.watchdog_pid(rec["id"])
        if pid is not None:
            return pid, how
        time.sleep(0.02)
    try:
        with open(store.path_of(rec["id"], "log")) as f:
            tail = f.read()[-2000:]
    except OSError:
        tail = ""
    raise store.ConfirmError("the commit-confirmed watchdog (%s) did not start within %d s%s"
                             % (how, READY_TIMEOUT, ": " + tail if tail else ""))
