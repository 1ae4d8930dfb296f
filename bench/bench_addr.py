# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_addr beside iproute2: 1,000 addresses on one device in one task.

Scenarios (each run REPEAT times in a throwaway namespace, median kept):

``addr_add_1000``    first apply: nl_addr with ``addresses`` (1,000 items),
                     run in-process as Ansible runs a module (argument
                     parsing included) vs ``ip -batch`` of 1,000
                     ``addr add`` lines.
``addr_rerun_1000``  the same task again (a no-op: one link GET, one
                     filtered dump, no write) vs ``ip -batch`` of 1,000
                     ``addr replace`` lines (iproute2's idempotent form).

Prints ``{"scenarios": {NAME: {"ours"|"iproute2": {"seconds": S}}},
"ratios": {NAME: ours/iproute2}}`` (the shape of bench/run.py) and writes it
to ``--out`` when given.  Needs root.

    .venv-2.19/bin/python bench/bench_addr.py [--count 1000] [--repeat 5] [--out FILE]
"""
import argparse
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
DEV = "br0"


def ip(ns, *args, **kw):
    return subprocess.run([IP, "-n", ns] + list(args), check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, **kw)


def addresses(n):
    # one /16: the first is primary, the others its secondaries
    return ["10.1.%d.%d/16" % ((i + 1) >> 8, (i + 1) & 255) for i in range(n)]


def run_nl_addr(ns, addrs):
    return run_module_in_process("nl_addr", {"dev": DEV, "addresses": addrs, "netns": ns})


def run_ip_batch(ns, lines):
    t0 = time.perf_counter()
    subprocess.run([IP, "-n", ns, "-batch", "-"], input="\n".join(lines) + "\n", check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return time.perf_counter() - t0


def count_addrs(ns):
    out = subprocess.run([IP, "-n", ns, "-j", "-4", "addr", "show", "dev", DEV], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return len(json.loads(out)[0].get("addr_info", []))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out")
    opts = ap.parse_args()
    use_collection()
    ns = "nlbench-" + uuid.uuid4().hex[:10]
    subprocess.run([IP, "netns", "add", ns], check=True)
    times = {"addr_add_1000": {"ours": [], "iproute2": []},
             "addr_rerun_1000": {"ours": [], "iproute2": []}}
    try:
        ip(ns, "link", "add", DEV, "type", "bridge")
        ip(ns, "link", "set", DEV, "up")
        addrs = addresses(opts.count)
        for _round in range(opts.repeat):
            ip(ns, "addr", "flush", "dev", DEV)
            dt, r = run_nl_addr(ns, addrs)
            assert r["changed"] and r["write_requests"] == opts.count, r.get("write_requests")
            assert count_addrs(ns) == opts.count
            times["addr_add_1000"]["ours"].append(dt)
            dt, r = run_nl_addr(ns, addrs)
            assert not r["changed"] and r["write_requests"] == 0
            times["addr_rerun_1000"]["ours"].append(dt)

            ip(ns, "addr", "flush", "dev", DEV)
            times["addr_add_1000"]["iproute2"].append(
                run_ip_batch(ns, ["addr add %s dev %s" % (a, DEV) for a in addrs]))
            assert count_addrs(ns) == opts.count
            times["addr_rerun_1000"]["iproute2"].append(
                run_ip_batch(ns, ["addr replace %s dev %s" % (a, DEV) for a in addrs]))
    finally:
        subprocess.run([IP, "netns", "del", ns], check=False)
    report = {"scenarios": {}, "ratios": {}, "count": opts.count, "repeat": opts.repeat}
    for name, sides in times.items():
        report["scenarios"][name] = dict((side, {"seconds": round(statistics.median(v), 4)})
                                         for side, v in sides.items())
        report["ratios"][name] = round(statistics.median(sides["ours"]) / statistics.median(sides["iproute2"]), 2)
    text = json.dumps(report, indent=2, sort_keys=True)
    print(text)
    if opts.out:
        with open(opts.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
