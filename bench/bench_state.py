# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A host of 1,000 objects in one nl_state task, beside ``ip -batch`` and
beside the per-module tasks (nl_link, nl_addr, nl_route) doing the same.

    sudo .venv-2.19/bin/python bench/bench_state.py [--repeat 3] [--json OUT]

The host (each contender in its own fresh throwaway namespace):

  200 links     4 bridges and 98 veth pairs, one end of each in a bridge,
                all up (a veth's creation makes its peer: 102 requests)
  300 addresses three IPv4 addresses on each of 98 veth ends, one per bridge
  506 routes    /24s via a gateway on those addresses' subnets

Scenarios:

  state_1000_first   nl_state, the host from scratch, then
  state_1000_rerun   the same task again: nothing to do, 0 write requests
  modules_1000_*     nl_link, nl_addr and nl_route one after the other (the
                     sum of the three tasks), first and re-run
  iproute2           ``ip -batch`` of the equivalent commands, from scratch

The modules run in-process (as the integration tests run them), so the
time is the engine's: params, reads, plan, batched apply, read back; the
per-task cost of Ansible itself is bench_fleet.py's.  Each figure is the
fastest of --repeat rounds.
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

BRIDGES, PAIRS, PER_LINK, ROUTES = 4, 98, 3, 506


def host():
    """The host as nl_state's sections (the per-module tasks take the same lists)."""
    links = [{"name": "br%d" % b, "kind": "bridge", "state": "up"} for b in range(BRIDGES)]
    addresses = []
    for i in range(PAIRS):
        links.append({"name": "va%d" % i, "kind": "veth", "veth": {"peer": "vb%d" % i},
                      "master": "br%d" % (i % BRIDGES), "state": "up"})
        links.append({"name": "vb%d" % i, "state": "up"})
        addresses.append({"dev": "vb%d" % i, "addresses": ["10.%d.%d.1/24" % (i, j) for j in range(PER_LINK)]})
    routes = [{"dst": "172.%d.%d.0/24" % (16 + k // 256, k % 256), "gateway": "10.%d.%d.254" % (k % PAIRS, k % PER_LINK)}
              for k in range(ROUTES)]
    return {"links": links, "addresses": addresses, "routes": routes}


def ip_batch_lines(doc):
    lines = []
    for ln in doc["links"]:
        if ln.get("kind") == "bridge":
            lines.append("link add %s up type bridge" % ln["name"])
        elif ln.get("kind") == "veth":
            lines.append("link add %s master %s up type veth peer name %s" % (ln["name"], ln["master"], ln["veth"]["peer"]))
        else:
            lines.append("link set %s up" % ln["name"])
    for dev in doc["addresses"]:
        lines += ["addr add %s dev %s" % (a, dev["dev"]) for a in dev["addresses"]]
    lines += ["route add %s via %s" % (r["dst"], r["gateway"]) for r in doc["routes"]]
    return lines


class Netns:
    def __init__(self):
        self.name = "nlbench-%s" % uuid.uuid4().hex[:10]

    def __enter__(self):
        subprocess.check_call(["ip", "netns", "add", self.name])
        return self.name

    def __exit__(self, *exc):
        subprocess.call(["ip", "netns", "del", self.name])


def run(module, args, ns):
    start = time.perf_counter()
    result = _helper.run_module(module, args, netns=ns)
    seconds = time.perf_counter() - start
    if result.get("failed"):
        raise SystemExit("%s failed: %s" % (module, result.get("msg")))
    return seconds, result["write_requests"]


def per_module(doc, ns):
    """(seconds, write requests) of nl_link, nl_addr and nl_route in turn."""
    runs = [run("nl_link", {"links": doc["links"]}, ns), run("nl_addr", {"devices": doc["addresses"]}, ns),
            run("nl_route", {"routes": doc["routes"]}, ns)]
    return sum(s for s, _w in runs), sum(w for _s, w in runs)


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
    if os.geteuid() != 0:
        sys.exit("needs root (creates network namespaces)")
    doc = host()
    objects = len(doc["links"]) + sum(len(d["addresses"]) for d in doc["addresses"]) + len(doc["routes"])
    best = {}

    def keep(name, seconds):
        best[name] = seconds if name not in best else min(best[name], seconds)
    for _round in range(opts.repeat):
        with Netns() as ns:
            first, w1 = run("nl_state", doc, ns)
            rerun, w2 = run("nl_state", doc, ns)
            assert w2 == 0, w2
        keep("state first", first)
        keep("state rerun", rerun)
        with Netns() as ns:
            first, m1 = per_module(doc, ns)
            rerun, m2 = per_module(doc, ns)
            assert (m1, m2) == (w1, 0), (m1, m2, w1)
        keep("modules first", first)
        keep("modules rerun", rerun)
        with Netns() as ns:
            keep("ip -batch", run_ip(ns, ip_batch_lines(doc)))
    ip = best["ip -batch"]
    print("%d objects (%d links, %d addresses, %d routes), %d write requests; fastest of %d rounds"
          % (objects, len(doc["links"]), objects - len(doc["links"]) - len(doc["routes"]), len(doc["routes"]), w1, opts.repeat))
    print("| run | nl_state | nl_link + nl_addr + nl_route | ip -batch | nl_state / ip | nl_state / modules |")
    print("|---|---|---|---|---|---|")
    for which in ("first", "rerun"):
        s, m = best["state " + which], best["modules " + which]
        print("| %s | %.3f s | %.3f s | %.3f s | %.2fx | %.2fx |" % (which, s, m, ip, s / ip, s / m))
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump({"objects": objects, "write_requests": w1, "seconds": best}, fh, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
