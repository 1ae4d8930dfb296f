# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""10,000 IPsec policies or SAs in one nl_xfrm task, next to iproute2.

    sudo .venv-2.19/bin/python bench/bench_xfrm.py --json bench/out/xfrm.json          # policies (host)
    sudo .venv-2.19/bin/python bench/bench_xfrm.py --sas -n 1000 --repeat 1            # SAs: a kernel with ESP

SAs need a kernel with ESP (esp4 and rfc4106(gcm(aes))): the host kernel
here has none, so the SA mode runs in the VM tier
(tests/vm/test_xfrm_sa_bench_vm.py calls measure() in the guest).

Scenarios for KIND = policies (default) or sas, each round in fresh
throwaway namespaces, deleted afterwards:

  xfrm_KIND_apply     nl_xfrm creates N objects in one task, next to
                      ``ip -batch`` of the same ``xfrm policy|state add``
                      lines
  xfrm_KIND_rerun     the same task again: nothing to do, no write request
                      (checked), next to ``ip -batch`` of the same lines as
                      ``update`` (how a script re-applies them)
  xfrm_KIND_adopt     the engine's task over the objects ``ip -batch``
                      made: they match, so no write request (checked)
  xfrm_KIND_gathered  nl_xfrm ``state: gathered`` (keys masked) next to
                      ``ip xfrm policy|state list``; SAs also next to
                      ``ip -s xfrm state list`` (``iproute2_stats``)

--check-mode times only the module in check mode (no writes, so SAs work
on the host kernel too): how its own cost grows with N.

Policies: outbound, one tunnel-mode ESP template each.  SAs: tunnel-mode
ESP with AEAD rfc4106(gcm(aes)) (128-bit key + salt, 128-bit ICV), each
with its own SPI and its own key, the SAs those policies' templates use.

"ours" is the module run in-process (as the integration tests run it):
Ansible's argument validation of N nested items and its result scrubbing
(no_log values) and JSON are part of it.  "engine" is the same task
without AnsibleModule: validation, dumps, plan, batched apply, read back.
The fastest of --repeat rounds is kept.  Writes ``{"scenarios": {NAME:
{CONTENDER: {"seconds": S}}}, "kind", "count", "repeat", "meta"}``.
"""
from __future__ import print_function

import argparse
import importlib.util
import json
import os
import platform
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

TUNNEL_SRC, TUNNEL_DST = "198.51.100.1", "203.0.113.1"
SPI_BASE = 0x10000
AEAD = "rfc4106(gcm(aes))"


def _net(i):
    return "10.%d.%d.0/24" % (i >> 8, i & 255)


def _reqid(i):
    return 1 + i % 50


def policies_args(n):
    return {"policies": [{"selector": {"src": "192.0.2.0/24", "dst": _net(i)}, "dir": "out", "priority": 100,
                          "templates": [{"src": TUNNEL_SRC, "dst": TUNNEL_DST, "reqid": _reqid(i),
                                         "mode": "tunnel"}]} for i in range(n)]}


def policy_lines(n, verb="add"):
    return ["xfrm policy %s src 192.0.2.0/24 dst %s dir out priority 100 tmpl src %s dst %s proto esp "
            "reqid %d mode tunnel" % (verb, _net(i), TUNNEL_SRC, TUNNEL_DST, _reqid(i)) for i in range(n)]


def sa_key(i):
    """SA i's own rfc4106 key: 128-bit AES key + 32-bit salt, in iproute2's
    0x hex form."""
    return "0x" + ("%08x" % (0x5a000000 + i)) * 5


def states_args(n):
    return {"states": [{"src": TUNNEL_SRC, "dst": TUNNEL_DST, "spi": SPI_BASE + i, "reqid": _reqid(i),
                        "mode": "tunnel", "aead": {"name": AEAD, "key": sa_key(i), "icv_len": 128}}
                       for i in range(n)]}


def state_lines(n, verb="add"):
    return ["xfrm state %s src %s dst %s proto esp spi 0x%08x reqid %d mode tunnel aead %s %s 128"
            % (verb, TUNNEL_SRC, TUNNEL_DST, SPI_BASE + i, _reqid(i), AEAD, sa_key(i)) for i in range(n)]


# kind -> (task args, ip -batch lines, `ip xfrm` object word, gathered section,
#          what marks one object in ``ip xfrm ... list`` output)
KINDS = {
    "policies": (policies_args, policy_lines, "policy", "policies", "dir out"),
    "sas": (states_args, state_lines, "state", "states", "proto esp spi "),
}


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


def run_engine(ns, params, section="policies"):
    """The task through the engine alone: what nl_xfrm does between
    AnsibleModule's argument parsing and its exit_json.  Returns (seconds,
    write requests), or (seconds, objects in ``section``) for gathered."""
    from ansible_collections.netlink.host.plugins.module_utils.engine import driver
    from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
    from ansible_collections.netlink.host.plugins.module_utils.tasks.xfrm import XfrmTask
    start = time.perf_counter()
    task = XfrmTask()
    params = dict(params, state=params.get("state", "present"), netns=ns)
    with KernelContext(ns) as ctx:
        if params["state"] == "gathered":
            out = task.gather(ctx, params)
            return time.perf_counter() - start, len(out[section])
        step = driver.plan(driver.Step(task, ctx, params, driver.prepare(task, params), False))
        if step.plan:
            driver.apply(step)
        driver.read_back(step)
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


def _round(kind, n):
    """One round of every contender: ({sample: seconds}, {sample: write
    requests}).  Fails loudly when a count or a write-request count is not
    what it must be."""
    make_args, make_lines, word, section, marker = KINDS[kind]
    args = make_args(n)
    got = {}
    writes = {}
    with Netns() as ns:
        got["first"], r1 = run_ours(ns, args)
        got["rerun"], r2 = run_ours(ns, args)
        writes.update(first=r1["write_requests"], rerun=r2["write_requests"])
        assert (writes["first"], writes["rerun"]) == (n, 0), writes
        got["gathered"], r3 = run_ours(ns, {"state": "gathered"})
        assert len(r3["gathered"][section]) == n
        got["ip_list"], text = run_ip(["ip", "-n", ns, "xfrm", word, "list"])
        assert text.count(marker) == n, text.count(marker)
        if kind == "sas":
            got["ip_list_stats"], text = run_ip(["ip", "-s", "-n", ns, "xfrm", word, "list"])
            assert text.count(marker) == n, text.count(marker)
    with Netns() as ns:
        got["e_first"], writes["e_first"] = run_engine(ns, args)
        got["e_rerun"], writes["e_rerun"] = run_engine(ns, args)
        assert (writes["e_first"], writes["e_rerun"]) == (n, 0), writes
        got["e_gathered"], count = run_engine(ns, {"state": "gathered"}, section)
        assert count == n, count
    with Netns() as ns:
        got["ip_batch"], _out = run_ip(["ip", "-n", ns, "-batch", "-"], make_lines(n))
        got["ip_update"], _out = run_ip(["ip", "-n", ns, "-batch", "-"], make_lines(n, "update"))
        got["e_adopt"], writes["e_adopt"] = run_engine(ns, args)
        assert writes["e_adopt"] == 0, "the task over ip's %d %s sent %d write requests" % (n, kind, writes["e_adopt"])
    return got, writes


def measure(kind, n, repeat, progress=None):
    """The fastest of ``repeat`` rounds per contender, as the JSON document
    main() writes."""
    best = {}
    most = {}   # the most write requests a sample sent in any round
    for r in range(repeat):
        times, writes = _round(kind, n)
        for name, seconds in times.items():
            best[name] = min(best.get(name, seconds), seconds)
        for name, count in writes.items():
            most[name] = max(most.get(name, count), count)
        if progress:
            progress("round %d of %d: %s" % (r + 1, repeat, json.dumps(best, sort_keys=True)))
    b = dict((k, dict({"seconds": v}, **({"write_requests": most[k]} if k in most else {})))
             for k, v in best.items())
    pre = "xfrm_%s_" % kind
    scenarios = {
        pre + "apply": {"ours": b["first"], "engine": b["e_first"], "iproute2": b["ip_batch"]},
        pre + "rerun": {"ours": b["rerun"], "engine": b["e_rerun"], "iproute2": b["ip_update"]},
        pre + "adopt": {"engine": b["e_adopt"], "iproute2": b["ip_update"]},
        pre + "gathered": {"ours": b["gathered"], "engine": b["e_gathered"], "iproute2": b["ip_list"]},
    }
    if "ip_list_stats" in b:
        scenarios[pre + "gathered"]["iproute2_stats"] = b["ip_list_stats"]
    return {"scenarios": scenarios, "kind": kind, "count": n, "repeat": repeat,
            "meta": {"kernel": platform.release(), "python": platform.python_version()}}


def check_mode(kind, n):
    """(wall, cpu) seconds of the module's check-mode run over N objects in an empty
    namespace: validation, read, plan and result, no write, so SAs work on
    a kernel without ESP.  How the module's own cost grows with N."""
    make_args, _lines, _word, section, _marker = KINDS[kind]
    with Netns() as ns:
        start, cpu = time.perf_counter(), time.process_time()
        result = _helper.run_module("nl_xfrm", make_args(n), netns=ns, check=True)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result.get("changed") and not result.get("failed") and result["write_requests"] == 0, result.get("msg")
    assert len(result[section]) == n, len(result[section])
    return seconds, cpu


def table(doc):
    """The figures and their ratios to iproute2 as text."""
    head = "%-26s %9s %9s %9s %8s %10s" % ("scenario", "ours s", "engine s", "ip s", "ours/ip", "engine/ip")
    lines = ["%d %s, kernel %s, best of %d" % (doc["count"], doc["kind"], doc["meta"]["kernel"], doc["repeat"]),
             head]
    for step in ("apply", "rerun", "adopt", "gathered"):
        name = "xfrm_%s_%s" % (doc["kind"], step)
        row = doc["scenarios"][name]
        for ip_name, label in (("iproute2", name), ("iproute2_stats", name + " (ip -s)")):
            if ip_name not in row:
                continue
            i = row[ip_name]["seconds"]
            cells = []
            for who in ("ours", "engine"):
                s = row.get(who, {}).get("seconds")
                cells.append((("%9.3f" % s) if s is not None else "%9s" % "-",
                              ("%.2f" % (s / i)) if s is not None and i else "-"))
            lines.append("%-26s %s %s %9.3f %8s %10s" % (label, cells[0][0], cells[1][0], i, cells[0][1], cells[1][1]))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-n", type=int, default=10000)
    parser.add_argument("--sas", action="store_true",
                        help="SAs instead of policies (needs ESP: the VM tier, not this host's kernel)")
    parser.add_argument("--check-mode", action="store_true",
                        help="only time the module in check mode (no writes: SAs need no ESP), per -n")
    opts = parser.parse_args()
    if opts.check_mode:
        kind = "sas" if opts.sas else "policies"
        runs = [check_mode(kind, opts.n) for _r in range(opts.repeat)]
        print("%d %s: module in check mode, best of %d: %.3f s wall, %.3f s cpu"
              % (opts.n, kind, opts.repeat, min(r[0] for r in runs), min(r[1] for r in runs)))
        return
    doc = measure("sas" if opts.sas else "policies", opts.n, opts.repeat,
                  progress=lambda msg: print(msg, file=sys.stderr))
    print(table(doc))
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump(doc, fh, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
