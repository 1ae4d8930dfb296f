"""Tier 2: the library and the modules against this machine's own kernel.

Every test works in a throwaway network namespace from the ``netns``
fixture, never in the machine's own namespace (its eth0 carries the
session).  The namespace is deleted in the finaliser whatever happens.

Fixtures and helpers for test files below this directory:

``netns``       a fresh namespace ``nltest-<random>`` with ``lo`` up; yields
                its name.
``netns_factory`` call it to get more namespaces (all deleted at the end).
``module_netns`` like ``netns`` but shared by all tests of one module
                (for read-only tests on one expensive set-up).
``ip``          ``ip(ns, "route", "add", ...)``: run ``ip -n NS ...``, raise
                with ip's stderr on failure; returns stdout.
``ip_json``     ``ip_json(ns, "route", "show", "table", "all")``: run
                ``ip -n NS -j ...`` and return the parsed JSON (``[]`` when
                ip prints nothing).  ``ns=None`` reads the root namespace
                (read-only use only!).
``ip_batch``    ``ip_batch(ns, ["route add ...", ...])``: one ``ip -batch -``.

The same helpers exist as plain functions (``run_ip``, ``run_ip_json``,
``run_ip_batch``, ``new_netns``, ``delete_netns``) for code that runs
outside a test function (threads, module-scoped fixtures).
"""
import json
import os
import shutil
import subprocess
import uuid

import pytest

NETNS_PREFIX = "nltest-"
IP = shutil.which("ip") or "/usr/sbin/ip"


def _skip_reason():
    if os.geteuid() != 0:
        return "needs root (creates network namespaces)"
    if not os.path.exists(IP):
        return "needs iproute2 (ip)"
    return None


SKIP_REASON = _skip_reason()


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(os.path.abspath(__file__))
    for item in items:
        if str(item.fspath).startswith(here + os.sep):
            item.add_marker(pytest.mark.root)
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
    _slow_first(items)


def _slow_first(items):
    """The few tests marked ``slow(seconds)`` go first, longest first, each
    followed by one other test: pytest-xdist's load scheduling with
    --maxschedchunk=1 (scripts/test.sh) hands each worker two tests to
    start with, so each slow test starts at once on a worker of its own and
    the other workers take every other test meanwhile, instead of the run
    ending on a minute-long test started last.  In one process (no -n) the
    order changes nothing but the order."""
    def seconds(item):
        mark = item.get_closest_marker("slow")
        return mark.args[0] if mark is not None and mark.args else (60 if mark is not None else 0)
    slow = sorted((i for i in items if seconds(i)), key=seconds, reverse=True)
    rest = [i for i in items if not seconds(i)]
    ordered = []
    for item in slow:
        ordered.append(item)
        if rest:
            ordered.append(rest.pop(0))
    items[:] = ordered + rest


class IpError(AssertionError):
    """``ip`` exited non-zero; the message carries its command and stderr."""


def _cmd(ns, args, json_out=False):
    cmd = [IP]
    if ns:
        cmd += ["-n", ns]
    if json_out:
        cmd += ["-j"]
    return cmd + [str(a) for a in args]


def run_ip(ns, *args, **kw):
    """Run ``ip -n NS args...``; returns stdout, raises IpError on failure
    (``check=False`` returns the CompletedProcess instead)."""
    check = kw.pop("check", True)
    cmd = _cmd(ns, args)
    proc = subprocess.run(cmd, check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=30)
    if not check:
        return proc
    if proc.returncode != 0:
        raise IpError("%s: exit %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()))
    return proc.stdout


def run_ip_json(ns, *args):
    """``ip -n NS -j args...`` parsed; ``[]`` when ip prints nothing."""
    cmd = _cmd(ns, args, json_out=True)
    proc = subprocess.run(cmd, check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=30)
    if proc.returncode != 0:
        raise IpError("%s: exit %d: %s" % (" ".join(cmd), proc.returncode, proc.stderr.strip()))
    out = proc.stdout.strip()
    return json.loads(out) if out else []


def run_ip_batch(ns, lines, force=False):
    """Run many ``ip`` commands in one ``ip -n NS -batch -``."""
    cmd = _cmd(ns, ["-force", "-batch", "-"] if force else ["-batch", "-"])
    proc = subprocess.run(cmd, check=False, input="\n".join(lines) + "\n", stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
    if proc.returncode != 0 and not force:
        raise IpError("ip -batch: exit %d: %s" % (proc.returncode, proc.stderr.strip()))
    return proc.stdout


def new_netns():
    """Create a uniquely named namespace with lo up; returns its name."""
    name = NETNS_PREFIX + uuid.uuid4().hex[:12]
    subprocess.run([IP, "netns", "add", name], check=True, timeout=30)
    try:
        run_ip(name, "link", "set", "lo", "up")
    except Exception:
        delete_netns(name)
        raise
    return name


def delete_netns(name):
    """Delete a namespace made by new_netns (never anything else)."""
    assert name.startswith(NETNS_PREFIX), name
    subprocess.run([IP, "netns", "del", name], check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30)


@pytest.fixture
def netns():
    name = new_netns()
    try:
        yield name
    finally:
        delete_netns(name)


@pytest.fixture(scope="module")
def module_netns():
    name = new_netns()
    try:
        yield name
    finally:
        delete_netns(name)


@pytest.fixture
def netns_factory():
    made = []

    def make():
        made.append(new_netns())
        return made[-1]

    try:
        yield make
    finally:
        for name in made:
            delete_netns(name)


@pytest.fixture
def ip():
    return run_ip


@pytest.fixture
def ip_json():
    return run_ip_json


@pytest.fixture
def ip_batch():
    return run_ip_batch
