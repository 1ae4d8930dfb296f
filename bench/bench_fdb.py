# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_fdb beside iproute2 and pyroute2: 10,000 FDB entries on a VXLAN device in one task.

Scenarios (each run REPEAT times in a throwaway namespace, median kept):

``fdb_add_10000``    first apply: nl_fdb with ``entries`` (10,000 MACs
                     ``02:00:..`` behind remote VTEPs ``10.X.Y.Z`` on one
                     VXLAN device), run in-process as Ansible runs a module
                     (argument parsing, validation, one kernel-filtered dump,
                     planning, one batch, read-back) vs ``bridge -batch`` of
                     the 10,000 ``fdb replace ... permanent`` lines vs a
                     pyroute2 ``IPRoute.fdb("replace", ...)`` loop.
``fdb_rerun_10000``  the same task again (one dump, no write) vs the same
                     ``bridge -batch`` vs pyroute2 ``fdb("dump",
                     ifindex=...)`` (the least a pyroute2 tool must read to
                     know nothing is to be done).

Prints ``{"scenarios": {NAME: {CONTENDER: {"seconds": S}}}, "ratios":
{NAME: {"ours/iproute2", "ours/pyroute2"}}}`` and writes it to ``--out``.
Needs root; pyroute2 from bench/requirements.txt (the .venv-2.19 has it).

    .venv-2.19/bin/python bench/bench_fdb.py [--count 10000] [--repeat 5] [--out FILE]
"""
import argparse
import ipaddress
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_module_in_process, use_collection  # noqa: E402

IP = shutil.which("ip") or "/usr/sbin/ip"
BRIDGE = shutil.which("bridge") or "/usr/sbin/bridge"
DEV = "vx0"
FIRST = int(ipaddress.ip_address("10.0.0.1"))
PERMANENT = 0x80 | 0x40   # what bridge fdb sends for permanent (NUD_PERMANENT | NUD_NOARP)
NTF_SELF = 0x02


def entries(n):
    return [{"mac": "02:00:%02x:%02x:%02x:%02x" % ((i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255),
             "dst": str(ipaddress.ip_address(FIRST + i % 250))}
            for i in range(n)]


def bridge_lines(n):
    return ["fdb replace %s dev %s self dst %s permanent" % (e["mac"], DEV, e["dst"]) for e in entries(n)]


def run_batch(tool, ns, lines):
    t0 = time.perf_counter()
    subprocess.run([tool, "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n", check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return time.perf_counter() - t0


def run_pyroute2(ns, n, add):
    from pyroute2 import NetNS
    with NetNS(ns) as ipr:
        index = ipr.link_lookup(ifname=DEV)[0]
        t0 = time.perf_counter()
        if add:
            for e in entries(n):
                ipr.fdb("replace", ifindex=index, lladdr=e["mac"], dst=e["dst"], state=PERMANENT, flags=NTF_SELF)
        else:
            got = len(list(ipr.fdb("dump", ifindex=index)))
            assert got >= n, got
        return time.perf_counter() - t0


def flush(ns):
    """A fresh VXLAN device: its FDB goes with the old one."""
    subprocess.run([IP, "-n", ns, "link", "del", DEV], check=False, stderr=subprocess.DEVNULL)
    run_batch(IP, ns, ["link add %s type vxlan id 42 dstport 4789 local 10.255.0.1 nolearning" % DEV,
                       "link set %s up" % DEV])


def count(ns):
    out = subprocess.run([BRIDGE, "-n", ns, "fdb", "show", "dev", DEV], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return sum(1 for line in out.splitlines() if line.startswith("02:00:") and " dst " in line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out")
    opts = ap.parse_args()
    use_collection()
    ns = "nlbench-" + uuid.uuid4().hex[:10]
    subprocess.run([IP, "netns", "add", ns], check=True)
    add, rerun = "fdb_add_%d" % opts.count, "fdb_rerun_%d" % opts.count
    times = {add: {"ours": [], "iproute2": [], "pyroute2": []},
             rerun: {"ours": [], "iproute2": [], "pyroute2": []}}
    items, lines = entries(opts.count), bridge_lines(opts.count)
    try:
        for _round in range(opts.repeat):
            flush(ns)
            dt, r = run_module_in_process("nl_fdb", {"dev": DEV, "entries": items, "netns": ns})
            assert r["changed"] and r["write_requests"] == opts.count, r.get("write_requests")
            assert count(ns) == opts.count
            times[add]["ours"].append(dt)
            dt, r = run_module_in_process("nl_fdb", {"dev": DEV, "entries": items, "netns": ns})
            assert not r["changed"] and r["write_requests"] == 0
            times[rerun]["ours"].append(dt)

            flush(ns)
            times[add]["iproute2"].append(run_batch(BRIDGE, ns, lines))
            assert count(ns) == opts.count
            times[rerun]["iproute2"].append(run_batch(BRIDGE, ns, lines))

            flush(ns)
            times[add]["pyroute2"].append(run_pyroute2(ns, opts.count, True))
            assert count(ns) == opts.count
            times[rerun]["pyroute2"].append(run_pyroute2(ns, opts.count, False))
    finally:
        subprocess.run([IP, "netns", "del", ns], check=False)
    report = {"scenarios": {}, "ratios": {}, "count": opts.count, "repeat": opts.repeat}
    for name, sides in times.items():
        med = dict((side, statistics.median(v)) for side, v in sides.items())
        report["scenarios"][name] = dict((side, {"seconds": round(s, 4)}) for side, s in med.items())
        report["ratios"][name] = {"ours/iproute2": round(med["ours"] / med["iproute2"], 2),
                                  "ours/pyroute2": round(med["ours"] / med["pyroute2"], 2)}
    text = json.dumps(report, indent=2, sort_keys=True)
    print(text)
    if opts.out:
        with open(opts.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
