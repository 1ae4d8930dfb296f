# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A full IPv4 table through 16-way multipath, with and without nexthop objects.

Contenders, each in a fresh namespace holding one veth (v0, 10.255.0.254/24,
16 gateways 10.255.0.1..16 reached through it) and each in a process of its
own, so that its peak RSS (ru_maxrss, read with wait4) is its alone:

``ours_nhid``       nl_nexthop (16 nexthops and group 100 of them) then
                    nl_route with COUNT routes ``nhid 100``, run in-process
                    as Ansible runs a module; then both again (re-run,
                    0 writes asserted).
``ours_multipath``  nl_route with the same COUNT routes, each with its own
                    16 ``nexthops``; then again (0 writes).
``ip_nhid``         ``ip -batch`` of the 17 ``nexthop add`` lines and the
                    COUNT ``route add ... nhid 100`` lines.
``ip_multipath``    ``ip -batch`` of the COUNT ``route add ... nexthop via
                    ... (x16)`` lines.

``ip_multipath_full``  ``ip_multipath`` at COUNT, run when
                    ``--multipath-count`` is smaller (for ip's own ratio of
                    per-route paths over nexthop objects at the full table).

``--multipath-count`` (default COUNT) sets the routes of ``ours_multipath``
and ``ip_multipath``: a module's arguments and result pass through
Ansible's own copies (the JSON it reads, the copy its argument check makes,
the copy ``exit_json`` makes to mask no_log values, the JSON it writes), and
with 16 hops a route that is ~20 KB of Python objects per route in
Ansible's share alone, so a million such routes do not fit a 24 GB machine
however lean the module is -- which is the nexthop objects' point.  Peak
RSS is also given per route, to scale from.

One run (a full table is slow to make).  Prints and writes (``--out``)
``{"count", "multipath_count", "contenders": {NAME: {"routes", "seconds",
"rerun_seconds", "peak_rss_mb", "kb_per_route"}}, "ratios": {...}}``.
Needs root.

    .venv-2.19/bin/python bench/bench_nexthop.py [--count 1000000] [--multipath-count 200000] [--out FILE]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import run_module_in_process, use_collection  # noqa: E402

IP = shutil.which("ip") or "/usr/sbin/ip"
PATHS = 16
GROUP = 100
GATEWAYS = ["10.255.0.%d" % (i + 1) for i in range(PATHS)]
SETUP = ["link add v0 type veth peer name v1", "link set v0 up", "link set v1 up", "addr add 10.255.0.254/24 dev v0"]


def dst(i):
    """The i-th /24 from 32.0.0.0 (clear of 10.255.0.0/24)."""
    n = (32 << 24) + (i << 8)
    return "%d.%d.%d.0/24" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255)


def nexthop_items():
    return [{"id": i + 1, "gateway": g, "dev": "v0"} for i, g in enumerate(GATEWAYS)] + [
        {"id": GROUP, "group": list(range(1, PATHS + 1))}]


def ip_lines(name, count):
    if name == "ip_nhid":
        return (["nexthop add id %d via %s dev v0 proto static" % (i + 1, g) for i, g in enumerate(GATEWAYS)]
                + ["nexthop add id %d group %s proto static" % (GROUP, "/".join(str(i) for i in range(1, PATHS + 1)))]
                + ["route add %s nhid %d proto static" % (dst(i), GROUP) for i in range(count)])
    hops = " ".join("nexthop via %s dev v0" % g for g in GATEWAYS)
    return ["route add %s proto static %s" % (dst(i), hops) for i in range(count)]


def child(name, ns, count):
    """One contender's work in this process -> {"seconds", "rerun_seconds"}."""
    if name.startswith("ip_"):
        text = "\n".join(ip_lines(name, count)) + "\n"
        t0 = time.perf_counter()
        subprocess.run([IP, "-n", ns, "-batch", "-"], input=text, check=True, universal_newlines=True)
        return {"seconds": time.perf_counter() - t0}
    use_collection()
    if name == "ours_nhid":
        routes = [{"dst": dst(i), "nhid": GROUP} for i in range(count)]
        tasks = [("nl_nexthop", {"nexthops": nexthop_items(), "netns": ns}), ("nl_route", {"routes": routes, "netns": ns})]
    else:
        hops = [{"gateway": g, "dev": "v0"} for g in GATEWAYS]
        tasks = [("nl_route", {"routes": [{"dst": dst(i), "nexthops": hops} for i in range(count)], "netns": ns})]
    out = {}
    for key, want_writes in (("seconds", True), ("rerun_seconds", False)):
        total = 0.0
        for module, args in tasks:
            dt, r = run_module_in_process(module, args)
            assert bool(r["write_requests"]) == want_writes, (module, key, r["write_requests"])
            total += dt
        out[key] = total
    return out


def run_contender(name, count):
    ns = "nlbench-" + uuid.uuid4().hex[:10]
    subprocess.run([IP, "netns", "add", ns], check=True)
    try:
        subprocess.run([IP, "-n", ns, "-batch", "-"], input="\n".join(SETUP) + "\n", check=True, universal_newlines=True)
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", name, "--netns", ns,
                                 "--count", str(count)], stdout=subprocess.PIPE, universal_newlines=True)
        text = proc.stdout.read()
        _pid, status, usage = os.wait4(proc.pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, (name, status)
        got = json.loads(text.strip().splitlines()[-1])
        routes = subprocess.run([IP, "-n", ns, "route", "show", "proto", "static"], check=True, stdout=subprocess.PIPE,
                                universal_newlines=True).stdout.splitlines()
        routes = sum(1 for line in routes if not line[:1].isspace())   # a route's paths are indented lines
        assert routes == count, (name, routes)
        got["peak_rss_mb"] = round(usage.ru_maxrss / 1024.0, 1)   # the child's and its own children's (ip)
        got["routes"] = count
        got["kb_per_route"] = round(usage.ru_maxrss / float(count), 2)
        return dict((k, round(v, 3) if isinstance(v, float) else v) for k, v in got.items())
    finally:
        subprocess.run([IP, "netns", "del", ns], check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    ap.add_argument("--count", type=int, default=1000000)
    ap.add_argument("--multipath-count", type=int, help="routes of the per-route multipath contenders (COUNT)")
    ap.add_argument("--out")
    ap.add_argument("--only", action="append", help="run only this contender (repeatable)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--netns", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.child:
        print(json.dumps(child(opts.child, opts.netns, opts.count)))
        return
    mp_count = opts.multipath_count or opts.count
    names = opts.only or ["ip_nhid", "ip_multipath", "ours_nhid", "ours_multipath"] + (
        ["ip_multipath_full"] if mp_count < opts.count else [])
    report = {"count": opts.count, "multipath_count": mp_count, "paths": PATHS, "contenders": {}}
    for name in names:
        count = mp_count if name in ("ip_multipath", "ours_multipath") else opts.count
        report["contenders"][name] = run_contender(name.replace("_full", ""), count)
        print(name, report["contenders"][name], file=sys.stderr)
    c = report["contenders"]

    def ratio(a, b, field="seconds", b_field="seconds"):
        """a's field over b's, per route (the two may have different counts)."""
        if a in c and b in c and c[a].get(field) and c[b].get(b_field):
            return round((c[a][field] / c[a]["routes"]) / (c[b][b_field] / c[b]["routes"]), 2)
        return None
    full = "ip_multipath_full" if "ip_multipath_full" in c else "ip_multipath"
    report["ratios"] = {"ours_nhid/ip_nhid": ratio("ours_nhid", "ip_nhid"),
                        "ours_nhid rerun/ip_nhid": ratio("ours_nhid", "ip_nhid", "rerun_seconds"),
                        "ours_multipath/ip_multipath": ratio("ours_multipath", "ip_multipath"),
                        "ours_multipath/ours_nhid per route": ratio("ours_multipath", "ours_nhid"),
                        "ip_multipath/ip_nhid": ratio(full, "ip_nhid")}
    text = json.dumps(report, indent=2, sort_keys=True)
    print(text)
    if opts.out:
        with open(opts.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
