# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the orchestrator (run.py) and the measured children (children.py)
share: the import path of the collection and the route sets."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "netlink", "host")

# The namespace's wiring: one veth pair, routes go via GATEWAYS on DEV.
DEV = "nlb0"
PEER = "nlb1"
DEV_ADDR = "10.255.0.1/16"
GATEWAYS = ["10.255.0.%d" % i for i in range(2, 10)]
DEV6_ADDR = "2001:db8:ff::1/64"
GATEWAYS6 = ["2001:db8:ff::%d" % i for i in range(2, 10)]

# Routing protocols (linux/rtnetlink.h RTPROT_*).
RTPROT_BOOT = 3
RTPROT_STATIC = 4
RTPROT_BGP = 186
STATIC_EVERY = 500   # 1 route in 500 is proto static (400 of 200k)
BOOT_EVERY = 7       # of the others, 1 in 7 is proto boot, the rest bgp


def use_collection():
    """Make ``ansible_collections.netlink.host`` importable from the
    checkout, the way the repository's conftest.py does.  history.py points
    NLBENCH_COLLECTIONS at an exported older revision instead."""
    other = os.environ.get("NLBENCH_COLLECTIONS")
    if other:
        sys.path.insert(0, other)
        return
    if not os.path.islink(LINK):
        os.makedirs(os.path.dirname(LINK), exist_ok=True)
        try:
            os.symlink(ROOT, LINK)
        except FileExistsError:
            pass
    if COLLECTIONS not in sys.path:
        sys.path.insert(0, COLLECTIONS)


def export_revision(rev, dest):
    """The collection's ``plugins/`` of git revision ``rev`` as a
    collections tree under ``dest`` (for NLBENCH_COLLECTIONS)."""
    host = os.path.join(dest, "ansible_collections", "netlink", "host")
    os.makedirs(host)
    archive = subprocess.run(["git", "-C", ROOT, "archive", rev, "plugins"],
                             check=True, stdout=subprocess.PIPE).stdout
    subprocess.run(["tar", "-x", "-C", host], input=archive, check=True)
    return dest


def _dst(base, i):
    """i-th /24 from ``base`` (first octet): base.0.0.0/24, base.0.1.0/24..."""
    return "%d.%d.%d.0" % (base + (i >> 16), (i >> 8) & 255, i & 255)


def populate_routes(n):
    """The big table: n /24 routes from 11.0.0.0 on, (dst, gateway, proto,
    metric)."""
    out = []
    for i in range(n):
        if i % STATIC_EVERY == 0:
            proto = RTPROT_STATIC
        elif i % BOOT_EVERY == 0:
            proto = RTPROT_BOOT
        else:
            proto = RTPROT_BGP
        out.append((_dst(11, i), GATEWAYS[i % len(GATEWAYS)], proto, 20 + (i & 3)))
    return out


def add_routes(n):
    """The routes each contender adds: n /24s from 100.0.0.0 on, via one
    gateway (dst, gateway)."""
    return [(_dst(100, i), GATEWAYS[i % len(GATEWAYS)]) for i in range(n)]


def full_table_routes6(n):
    """The IPv6 part of that table: n /48 routes of protocol bgp from
    2001:db8:100::/48 on (dst, gateway), via the gateways of DEV6_ADDR's
    prefix."""
    return [("2001:db8:%x::" % (0x100 + i) if i < 0xfe00 else "2001:db9:%x::" % (i - 0xfe00),
             GATEWAYS6[i % len(GATEWAYS6)]) for i in range(n)]


def static_count(n):
    return len(range(0, n, STATIC_EVERY))


def full_table_routes(n):
    """The Internet-table scenario's main table: n /24 routes of protocol
    bgp from 11.0.0.0 on (dst, gateway)."""
    return [(_dst(11, i), GATEWAYS[i % len(GATEWAYS)]) for i in range(n)]


def static_task(n):
    """The n static routes one nl_route task manages beside that table."""
    return [{"dst": "100.64.%d.0/24" % i, "gateway": GATEWAYS[0]} for i in range(n)]


def run_module_in_process(module, args):
    """(seconds, result) of one run of ``plugins/modules/<module>.py`` in
    this process, the way Ansible runs it (argument parsing, validation,
    the task, exit_json); raises RuntimeError when the module failed."""
    import contextlib
    import io
    import importlib
    import json
    import time
    from ansible.module_utils.testing import patch_module_args
    mod = importlib.import_module("ansible_collections.netlink.host.plugins.modules." + module)
    args = dict(args, _ansible_check_mode=False, _ansible_diff=False)
    out = io.StringIO()
    t0 = time.perf_counter()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            mod.main()
        except SystemExit:
            pass
    dt = time.perf_counter() - t0
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    if result.get("failed"):
        raise RuntimeError(result["msg"])
    return dt, result


# --before REV runs the children against an older plugins/ (NLBENCH_COLLECTIONS):
# the two calls below take either layout, so one run compares both.

def kernel_context():
    """KernelContext from engine/context.py, or from kernel.py before issue
    21's layout."""
    try:
        from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
    except ImportError:
        from ansible_collections.netlink.host.plugins.module_utils.kernel import KernelContext
    return KernelContext


def run_mode():
    """A real run's RunMode for the task methods that take one (none before
    the task driver: those tasks took no such argument)."""
    try:
        from ansible_collections.netlink.host.plugins.module_utils.engine.driver import RunMode
    except ImportError:
        return ()
    return (RunMode(False),)
