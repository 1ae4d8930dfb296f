"""Tier 3: tests that need a full (stock distribution) kernel, run in a VM.

These tests run ONLY inside the guest booted by ``tests/vm/run.sh``, which sets
``NETLINK_HOST_VM=1``.  Anywhere else (the host's pytest run, an IDE) the whole
directory is left out of collection, so it never shows up as passed or
skipped: run ``tests/vm/run.sh`` for this tier.

Even inside the VM no test traffic uses the guest's root namespace: every test
works in throwaway namespaces ``nlvm-<random>`` from the fixtures below, which
are deleted in the finaliser whatever happens.
"""
import ctypes
import importlib.util
import json
import os
import platform
import socket
import subprocess
import uuid

import pytest

IN_VM = os.environ.get("NETLINK_HOST_VM") == "1"

if not IN_VM:
    # Not in the VM: collect nothing below tests/vm (the glob is taken
    # relative to this directory).  Explicit paths are caught by
    # pytest_collection_modifyitems below.
    collect_ignore_glob = ["*"]
elif os.environ.get("NETLINK_HOST_VM_BOOT") != "systemd":
    # reboot/ checks a second boot with systemd as PID 1 (run.sh's reboot
    # step): in the ordinary boot there is nothing for it to check.
    collect_ignore = ["reboot"]

NOT_IN_VM_REASON = (
    "tests/vm runs only inside the full-kernel VM: use tests/vm/run.sh "
    "(NETLINK_HOST_VM is not set)"
)

CLONE_NEWNET = 0x40000000
NETNS_PREFIX = "nlvm-"


def pytest_addoption(parser):
    # Read by test_xfrm_sa_bench_vm.py; run.sh passes pytest args through:
    #   tests/vm/run.sh --kernel VER -- -k xfrm_sa_bench --xfrm-sa-bench 10000
    parser.addoption("--xfrm-sa-bench", type=int, default=1000, metavar="N",
                     help="SAs in the VM tier's nl_xfrm SA benchmark (default 1000, a smoke run)")
    parser.addoption("--xfrm-sa-bench-repeat", type=int, default=1, metavar="R",
                     help="rounds of that benchmark; the fastest is kept (default 1)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "vm_smoke: tier-3 smoke test proving the VM kernel has a feature "
        "(uses iproute2, not the library)",
    )


def pytest_report_header(config):
    if IN_VM:
        return "netlink.host VM tier: kernel %s" % platform.release()
    return "netlink.host VM tier: not in the VM, tests/vm not collected"


def pytest_collection_modifyitems(config, items):
    if IN_VM:
        return
    skip = pytest.mark.skip(reason=NOT_IN_VM_REASON)
    here = os.path.dirname(os.path.abspath(__file__))
    for item in items:
        if str(item.fspath).startswith(here + os.sep):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _vm_kernel_property(record_testsuite_property):
    """Every junit file of this tier names the kernel it ran on."""
    if IN_VM:
        record_testsuite_property("kernel", platform.release())
        record_testsuite_property("kernel_version", platform.version())


# ---------------------------------------------------------------- helpers


def run(argv, check=True, input=None):
    """Run a command; on failure raise with its stderr in the message."""
    proc = subprocess.run(
        argv, check=False, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            "command failed (rc=%d): %s\nstdout: %s\nstderr: %s"
            % (proc.returncode, " ".join(argv), proc.stdout, proc.stderr)
        )
    return proc


_libc = None


def _setns(fd):
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


class NetNS(object):
    """A throwaway network namespace, driven with iproute2."""

    def __init__(self, name):
        self.name = name
        self.path = "/run/netns/" + name

    def __repr__(self):
        return "NetNS(%r)" % self.name

    def ip(self, *args, **kw):
        """``ip -n <ns> ARGS``; returns stdout."""
        return run(["ip", "-n", self.name] + list(args), **kw).stdout

    def ip_json(self, *args):
        """``ip -j -n <ns> ARGS`` parsed; [] for empty output."""
        out = run(["ip", "-j", "-n", self.name] + list(args)).stdout.strip()
        return json.loads(out) if out else []

    def link(self, name):
        """``ip -j -d link show NAME`` as one dict."""
        links = self.ip_json("-d", "link", "show", "dev", name)
        assert len(links) == 1, links
        return links[0]

    def exec(self, *argv, **kw):
        """Run a command inside the namespace (``ip netns exec``)."""
        return run(["ip", "netns", "exec", self.name] + list(argv), **kw)

    def socket(self, family=socket.AF_INET, type=socket.SOCK_DGRAM, proto=0):
        """A socket that lives in this namespace.

        Created in-process with setns(2) on the calling thread and switched
        back at once, so no extra Python start (slow under TCG) is needed.
        """
        own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(self.path, os.O_RDONLY)
        try:
            _setns(target)
            try:
                return socket.socket(family, type, proto)
            finally:
                _setns(own)
        finally:
            os.close(target)
            os.close(own)


def _netns_add():
    name = NETNS_PREFIX + uuid.uuid4().hex[:10]
    run(["ip", "netns", "add", name])
    ns = NetNS(name)
    ns.ip("link", "set", "lo", "up")
    return ns


def _netns_del(ns):
    run(["ip", "netns", "del", ns.name], check=False)


@pytest.fixture
def netns():
    """One fresh namespace, deleted afterwards."""
    ns = _netns_add()
    try:
        yield ns
    finally:
        _netns_del(ns)


@pytest.fixture
def netns_factory():
    """Call it to get more fresh namespaces; all are deleted afterwards."""
    made = []

    def make():
        ns = _netns_add()
        made.append(ns)
        return ns

    try:
        yield make
    finally:
        for ns in reversed(made):
            _netns_del(ns)


@pytest.fixture(scope="session")
def kernel_release():
    return platform.release()


@pytest.fixture(scope="session")
def kernel_version_tuple():
    """(major, minor) of the running kernel, e.g. (6, 1)."""
    parts = platform.release().split("-")[0].split(".")
    return int(parts[0]), int(parts[1])


@pytest.fixture(scope="session", name="run_module")
def run_module_fixture():
    """The in-process module runner of the host-kernel tests
    (tests/integration/modules/conftest.py): modules run inside this one
    pytest process, as Python starts are slow under TCG."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "..", "integration", "modules", "conftest.py")
    spec = importlib.util.spec_from_file_location("nlhost_module_runner", path)
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.run_module


def _udp_round_trip(a, b, family, addr_a, addr_b, payload):
    """One UDP datagram from namespace ``a`` to ``b`` and a reply back, both
    through sockets opened inside the namespaces (no Python start per side:
    slow under TCG).  The first datagram may wait for neighbour resolution,
    so it is sent up to 5 times."""
    rx = b.socket(family, socket.SOCK_DGRAM)
    tx = a.socket(family, socket.SOCK_DGRAM)
    try:
        rx.bind((addr_b, 0))
        port = rx.getsockname()[1]
        tx.bind((addr_a, 0))
        rx.settimeout(10)
        tx.settimeout(10)
        got = peer = None
        for _round in range(5):
            tx.sendto(payload, (addr_b, port))
            try:
                got, peer = rx.recvfrom(1024)
                break
            except socket.timeout:
                continue
        assert got == payload
        rx.sendto(payload + b"-reply", peer)
        assert tx.recvfrom(1024)[0] == payload + b"-reply"
    finally:
        rx.close()
        tx.close()


@pytest.fixture(name="udp_round_trip")
def udp_round_trip_fixture():
    """``udp_round_trip(a, b, family, addr_a, addr_b, payload)``: a datagram
    a -> b and its reply b -> a; fails unless both arrive."""
    return _udp_round_trip
