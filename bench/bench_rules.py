# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_rule beside iproute2 and pyroute2: 1,000 policy rules in one task.

Scenarios (each run REPEAT times in a throwaway namespace, median kept):

``rule_add_1000``    first apply: nl_rule with ``rules`` (1,000 items, each
                     ``priority P from 10.X.Y.0/24 lookup 100``), run
                     in-process as Ansible runs a module (argument parsing,
                     validation, one dump, planning, one batch, read-back)
                     vs ``ip -batch`` of the 1,000 ``rule add`` lines vs a
                     pyroute2 ``IPRoute.rule("add", ...)`` loop.
``rule_rerun_1000``  the same task again (one dump, no write) vs ``ip -force
                     -batch`` of the same adds (iproute2 has no idempotent
                     ``rule replace``: each add is refused as existing) vs
                     pyroute2 ``get_rules()`` (the least a pyroute2 tool
                     must read to know nothing is to be done).

Prints ``{"scenarios": {NAME: {CONTENDER: {"seconds": S}}}, "ratios":
{NAME: {"ours/iproute2", "ours/pyroute2"}}}`` and writes it to ``--out``.
Needs root; pyroute2 from bench/requirements.txt (the .venv-2.19 has it).

    .venv-2.19/bin/python bench/bench_rules.py [--count 1000] [--repeat 5] [--out FILE]
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
FIRST = 1000
TABLE = 100
RTPROT_STATIC = 4


def rules(n):
    return [{"priority": FIRST + i, "from": "10.%d.%d.0/24" % (i >> 8, i & 255), "table": TABLE}
            for i in range(n)]


def ip_lines(n):
    return ["rule add priority %d from %s lookup %d protocol static" % (r["priority"], r["from"], TABLE)
            for r in rules(n)]


def run_nl_rule(ns, items):
    return run_module_in_process("nl_rule", {"rules": items, "netns": ns})


def run_ip_batch(ns, lines, force=False):
    t0 = time.perf_counter()
    subprocess.run([IP, "-n", ns] + (["-force"] if force else []) + ["-batch", "-"],
                   input="\n".join(lines) + "\n", check=not force,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return time.perf_counter() - t0


def run_pyroute2(ns, n, add):
    from pyroute2 import NetNS
    with NetNS(ns) as ipr:
        t0 = time.perf_counter()
        if add:
            for r in rules(n):
                ipr.rule("add", priority=r["priority"], src=r["from"].split("/")[0], src_len=24,
                         table=TABLE, protocol=RTPROT_STATIC)
        else:
            got = len(ipr.get_rules(family=2))
            assert got >= n, got
        return time.perf_counter() - t0


def flush(ns, n):
    run_ip_batch(ns, ["rule del priority %d" % (FIRST + i) for i in range(n)], force=True)


def count(ns):
    out = subprocess.run([IP, "-n", ns, "-j", "rule", "show", "table", str(TABLE)], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return len(json.loads(out or "[]"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out")
    opts = ap.parse_args()
    use_collection()
    ns = "nlbench-" + uuid.uuid4().hex[:10]
    subprocess.run([IP, "netns", "add", ns], check=True)
    add, rerun = "rule_add_%d" % opts.count, "rule_rerun_%d" % opts.count
    times = {add: {"ours": [], "iproute2": [], "pyroute2": []},
             rerun: {"ours": [], "iproute2": [], "pyroute2": []}}
    items, lines = rules(opts.count), ip_lines(opts.count)
    try:
        for _round in range(opts.repeat):
            flush(ns, opts.count)
            dt, r = run_nl_rule(ns, items)
            assert r["changed"] and r["write_requests"] == opts.count, r.get("write_requests")
            assert count(ns) == opts.count
            times[add]["ours"].append(dt)
            dt, r = run_nl_rule(ns, items)
            assert not r["changed"] and r["write_requests"] == 0
            times[rerun]["ours"].append(dt)

            flush(ns, opts.count)
            times[add]["iproute2"].append(run_ip_batch(ns, lines))
            assert count(ns) == opts.count
            times[rerun]["iproute2"].append(run_ip_batch(ns, lines, force=True))
            assert count(ns) == opts.count

            flush(ns, opts.count)
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
