# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""10,000 IPsec policies in one nl_xfrm task, next to iproute2.

    sudo .venv-2.19/bin/python bench/bench_xfrm.py --json bench/out/xfrm.json

Scenarios (each round in fresh throwaway namespaces, deleted afterwards):

  xfrm_policies_apply     nl_xfrm creates N policies (out, one ESP
                          template each) in one task, next to ``ip -batch``
                          with the same ``xfrm policy add`` lines
  xfrm_policies_rerun     the same task again: nothing to do, no write
                          request (checked), next to ``ip -batch`` again
  xfrm_policies_gathered  nl_xfrm ``state: gathered`` of the N policies,
                          next to ``ip xfrm policy list``

"ours" is the module run in-process (as the integration tests run it):
Ansible's argument validation of N nested items and its result scrubbing
(no_log values) and JSON are part of it.  "engine" is the same task
without AnsibleModule: validation, dumps, plan, batched apply, read back.
Writes ``{"scenarios": {NAME: {"ours"|"iproute2": {"seconds": S}}}}``.
"""
from __future__ import print_function

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
__import__("conftest")  # puts the collection on sys.path

_spec = importlib.util.spec_from_file_location(
    "module_runner_helper", os.path.join(ROOT, "tests", "integration", "modules", "conftest.py"))
_helper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helper)


def _net(i):
    return "10.%d.%d.0/24" % (i >> 8, i & 255)


def policies_args(n):
    return {"policies": [{"selector": {"src": "192.0.2.0/24", "dst": _net(i)}, "dir": "out", "priority": 100,
                          "templates": [{"src": "198.51.100.1", "dst": "203.0.113.1", "reqid": 1 + i % 50,
                                         "mode": "tunnel"}]} for i in range(n)]}


def ip_batch_lines(n):
    return ["xfrm policy add src 192.0.2.0/24 dst %s dir out priority 100 tmpl src 198.51.100.1 "
            "dst 203.0.113.1 proto esp reqid %d mode tunnel" % (_net(i), 1 + i % 50) for i in range(n)]


class Netns:
    def __init__(self):
        self.name = "nlbench-%s" % uuid.uuid4().hex[:10]

    def __enter__(self):
        subprocess.check_call(["ip", "netns", "add", self.name])
        return self.name

    def __exit__(self, *exc):
        subprocess.call(["ip", "netns", "del", self.name])


def run_ours(ns, args):
    start = time.perf_counter()
    result = _helper.run_module("nl_xfrm", args, netns=ns)
    seconds = time.perf_counter() - start
    if result.get("failed"):
        raise SystemExit("nl_xfrm failed: %s" % result.get("msg"))
    return seconds, result


def run_engine(ns, params):
    """The task through the engine alone: what nl_xfrm does between
    AnsibleModule's argument parsing and its exit_json."""
    from ansible_collections.netlink.host.plugins.module_utils import applier
    from ansible_collections.netlink.host.plugins.module_utils.kernel import KernelContext
    from ansible_collections.netlink.host.plugins.module_utils.tasks.xfrm import XfrmTask
    start = time.perf_counter()
    task = XfrmTask()
    params = dict(params, state=params.get("state", "present"), netns=ns)
    with KernelContext(ns) as ctx:
        if params["state"] == "gathered":
            out = task.gather(ctx, params)
            return time.perf_counter() - start, len(out["policies"])
        desired = task.desired(params)
        current = task.current(ctx, desired, params)
        plan = task.plan(ctx, desired, current, params)
        if plan:
            applier.apply(plan, ctx)
        task.results(ctx, desired, params, current)
        writes = ctx.write_requests
    return time.perf_counter() - start, writes


def run_ip(argv, lines=None):
    start = time.perf_counter()
    proc = subprocess.run(argv, check=False, input="\n".join(lines) + "\n" if lines else None,
                          stdout=subprocess.PIPE, universal_newlines=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit("%s failed" % " ".join(argv))
    return seconds, proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-n", type=int, default=10000)
    opts = parser.parse_args()
    n = opts.n
    args, lines = policies_args(n), ip_batch_lines(n)
    best = {}

    def keep(name, value):
        best[name] = value if name not in best else min(best[name], value)

    for _round in range(opts.repeat):
        with Netns() as ns:
            first, r1 = run_ours(ns, args)
            rerun, r2 = run_ours(ns, args)
            writes = (r1["write_requests"], r2["write_requests"])
            assert writes == (n, 0), writes
            gathered, r3 = run_ours(ns, {"state": "gathered"})
            assert len(r3["gathered"]["policies"]) == n
            listed, text = run_ip(["ip", "-n", ns, "xfrm", "policy", "list"])
            assert text.count("dir out") == n
        with Netns() as ns:
            e_first, w1 = run_engine(ns, args)
            e_rerun, w2 = run_engine(ns, args)
            assert (w1, w2) == (n, 0), (w1, w2)
            e_gathered, count = run_engine(ns, {"state": "gathered"})
            assert count == n
        with Netns() as ns:
            ip_first, _out = run_ip(["ip", "-n", ns, "-batch", "-"], lines)
        for k, v in (("first", first), ("rerun", rerun), ("gathered", gathered), ("ip_list", listed),
                     ("ip_batch", ip_first), ("e_first", e_first), ("e_rerun", e_rerun),
                     ("e_gathered", e_gathered)):
            keep(k, v)
    scenarios = {
        "xfrm_policies_apply": {"ours": {"seconds": best["first"]}, "engine": {"seconds": best["e_first"]},
                                "iproute2": {"seconds": best["ip_batch"]}},
        "xfrm_policies_rerun": {"ours": {"seconds": best["rerun"], "write_requests": 0},
                                "engine": {"seconds": best["e_rerun"], "write_requests": 0},
                                "iproute2": {"seconds": best["ip_batch"]}},
        "xfrm_policies_gathered": {"ours": {"seconds": best["gathered"]}, "engine": {"seconds": best["e_gathered"]},
                                   "iproute2": {"seconds": best["ip_list"]}},
    }
    print("%d policies" % n)
    print("%-24s %9s %9s %9s %8s %10s" % ("scenario", "ours s", "engine s", "ip s", "ours/ip", "engine/ip"))
    for name, row in sorted(scenarios.items()):
        o, e, i = row["ours"]["seconds"], row["engine"]["seconds"], row["iproute2"]["seconds"]
        print("%-24s %9.3f %9.3f %9.3f %8.2f %10.2f" % (name, o, e, i, o / i, e / i))
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump({"scenarios": scenarios, "policies": n}, fh, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
