# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""200 links in one nl_link task, next to the same links by ``ip -batch``.

    sudo .venv-2.19/bin/python bench/bench_links.py --json bench/out/links.json

Scenarios (each in its own fresh throwaway namespace, deleted afterwards):

  links_200_first   nl_link creates 204 links in one task: 4 bridges and
                    100 veth pairs, one end of each a port of a bridge
                    (104 requests: a veth's creation makes its peer)
  links_200_rerun   the same task again: nothing to do, no write request
  iproute2          ``ip -batch`` with the equivalent commands

The module runs in-process (as the integration tests run it), so the time
is the engine's: parse params, one dump, plan, batched apply.  Writes
``{"scenarios": {NAME: {"ours"|"iproute2": {"seconds": S}}}}``.
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


def links_args(pairs=100, bridges=4):
    items = [{"name": "br%d" % b, "kind": "bridge", "state": "up"} for b in range(bridges)]
    for i in range(pairs):
        items.append({"name": "va%d" % i, "kind": "veth", "veth": {"peer": "vb%d" % i},
                      "master": "br%d" % (i % bridges), "state": "up", "mtu": 1400})
    return {"links": items}


def ip_batch_lines(pairs=100, bridges=4):
    lines = ["link add br%d up type bridge" % b for b in range(bridges)]
    for i in range(pairs):
        lines.append("link add va%d mtu 1400 master br%d up type veth peer name vb%d" % (i, i % bridges, i))
    return lines


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
    result = _helper.run_module("nl_link", args, netns=ns)
    seconds = time.perf_counter() - start
    if result.get("failed"):
        raise SystemExit("nl_link failed: %s" % result.get("msg"))
    return seconds, result


def run_ip(ns, lines):
    start = time.perf_counter()
    proc = subprocess.run(["ip", "-n", ns, "-batch", "-"], check=False, input="\n".join(lines) + "\n",
                          universal_newlines=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit("ip -batch failed")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    args = links_args()
    best = {"first": None, "rerun": None, "ip": None}
    for _round in range(opts.repeat):
        with Netns() as ns:
            first, r1 = run_ours(ns, args)
            rerun, r2 = run_ours(ns, args)
            writes = (r1["write_requests"], r2["write_requests"])
            assert writes == (104, 0), writes
        with Netns() as ns:
            ip = run_ip(ns, ip_batch_lines())
        for k, v in (("first", first), ("rerun", rerun), ("ip", ip)):
            best[k] = v if best[k] is None else min(best[k], v)
    scenarios = {
        "links_200_first": {"ours": {"seconds": best["first"]}, "iproute2": {"seconds": best["ip"]}},
        "links_200_rerun": {"ours": {"seconds": best["rerun"]}, "iproute2": {"seconds": best["ip"]}},
    }
    print("%-18s %10s %10s %8s" % ("scenario", "ours s", "ip s", "ours/ip"))
    for name, row in sorted(scenarios.items()):
        o, i = row["ours"]["seconds"], row["iproute2"]["seconds"]
        print("%-18s %10.3f %10.3f %8.2f" % (name, o, i, o / i))
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump({"scenarios": scenarios}, fh, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
