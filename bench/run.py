# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmark: this library vs iproute2 vs pyroute2.

    sudo python3 bench/run.py --json bench/out/result.json      # full (a few minutes)
    sudo python3 bench/run.py --quick --json /tmp/x.json        # smoke (< 60 s)

Everything happens in one throwaway network namespace (``nlbench-<hex>``,
deleted whatever happens): a veth pair, an address, and a big routing table
filled with ``ip -batch`` (setup, not measured).  Each measurement is its own
child process, so its peak RSS (ru_maxrss from wait4) is that reader's alone.

Scenarios (N = 200,000 routes, 20,000 with --quick):

  dump_routes_<N>     all IPv4 routes of the namespace, decoded to objects
                      ours: NetlinkSocket.dump(RTM_GETROUTE) -> BenchRoute
                      iproute2: ip -j route show table all (and text output)
                      pyroute2: IPRoute.get_routes(family=AF_INET)
  filtered_dump_<N>   proto static routes of the big table, filtered by the
                      kernel (strict check, table in RTA_TABLE as it is > 255)
                      iproute2: ip route show table T proto static
  add_routes_<M>      M routes added to a fresh table per run
                      ours: NetlinkSocket.batch(); iproute2: ip -batch;
                      pyroute2: IPRoute.route("add") in a loop

Seconds: for Python contenders the child's own timing of its work (socket
open to result in hand; interpreter start and imports excluded, they are
~50 ms and not what is compared); for ``ip`` the wall time of the process.
Each contender runs --repeat times (pyroute2 once: it is slow) round-robin;
the median and the fastest run are reported, ratios and targets use the
medians.  Ratios, not absolute figures, are the point: these machines are
shared and noisy.  ``--before REV`` adds the nl_route contenders of an
older revision (``before``, ``before_task``) to the same rounds.
"""
from __future__ import print_function

import argparse
import binascii
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402

PYROUTE2_PIN = "0.9.7"
BIG_TABLE = 1000          # > 255: exercises RTA_TABLE in the dump filter
ADD_TABLE_BASE = 2000     # add runs use 2001, 2002, ... (a fresh table each)
CHILD = os.path.join(HERE, "children.py")

# (scenario prefix, numerator, denominator, comparison, bound, what)
TARGETS = [
    ("dump_routes", "ours", "iproute2", "<=", 2.5, "ours / ip -j route show"),
    ("dump_routes", "pyroute2", "ours", ">=", 20.0, "pyroute2 / ours"),
    ("filtered_dump", "ours", "iproute2", "<=", 3.0, "ours / ip route show proto static"),
    ("add_routes", "ours", "iproute2", "<=", 2.0, "ours / ip -batch"),
]
TARGETS += [
    ("route_read", "ours", "iproute2", "<=", 3.0, "task read / ip route show proto static"),
    ("route_gathered", "ours", "iproute2", "<=", 2.0, "gathered (module) / ip -j route show"),
    ("route_gathered", "ours_task", "iproute2", "<=", 2.0, "gathered (task) / ip -j route show"),
    ("route_gathered", "ours_file", "iproute2", "<=", 2.0, "gathered to a file (module) / ip -j route show"),
    ("route6_gathered", "ours_task", "iproute2", "<=", 2.0, "IPv6 gathered (task) / ip -6 -j route show"),
    ("route_task_first", "ours", "iproute2", "<=", 3.0, "nl_route task (in-process) / ip -batch"),
]
PEAK_MB_TARGETS = [("dump_routes", "ours", 150.0), ("route_gathered", "ours", 500.0), ("route_gathered", "ours_file", 500.0),
                   ("route_gathered", "ours_task", 500.0)]
# nl_route ad hoc over an ad hoc ping of the same host, seconds
ADHOC_OVER_PING = 0.5
ROUTE_TASK_TABLE = 3000   # the 10k-route task's table (3001, 3002, ...)
STATIC_ROUTES = 10        # the static routes one task manages beside the big table


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


# -- processes -----------------------------------------------------------------

GNU_TIME = "/usr/bin/time"


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2.0


def measure(argv, env=None):
    """Run argv to completion; (wall seconds, peak MB and CPU seconds
    (user + system) of that process, stdout text).

    Peak memory is the child's ru_maxrss, but not as wait4 in this process
    would report it: at exec the kernel folds the RSS of the forking process
    into the new program's maxrss, so a 20 MB Python parent would show up
    as a 20 MB floor under a 1 MB ``ip``.  GNU time (1 MB) sits between us
    and the child and reports the child's own ru_maxrss.  Without it we fall
    back to wait4 here and say so in the results (meta.peak_source)."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as rss:
        if os.access(GNU_TIME, os.X_OK):
            argv = [GNU_TIME, "-f", "%M %U %S", "-o", rss.name] + argv
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, env=env)
        _pid, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = status  # reaped here: keep Popen from waiting again
        if status != 0:
            raise RuntimeError("%s exited with status %#x" % (" ".join(argv), status))
        out.seek(0)
        text = out.read().decode()
        report = rss.read().split()
        if report:
            peak_kib, cpu = int(report[-3]), float(report[-2]) + float(report[-1])
        else:
            peak_kib, cpu = ru.ru_maxrss, ru.ru_utime + ru.ru_stime
    return wall, peak_kib / 1024.0, cpu, text  # ru_maxrss and %M are KiB


def run(argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, **kw).stdout.decode()


# -- interpreter with pyroute2 -------------------------------------------------

def python_with_pyroute2(explicit):
    """A Python that has pyroute2 == the pin: --python, a venv of
    scripts/setup.sh, or .build/bench-venv (built from bench/requirements.txt
    on first use).  Ours runs on the same interpreter, for fairness."""
    root = common.ROOT
    candidates = [explicit] if explicit else [
        os.environ.get("NLBENCH_PYTHON"),
        os.path.join(root, ".build", "bench-venv", "bin", "python"),
        os.path.join(root, ".venv-2.19", "bin", "python"),
        os.path.join(root, ".venv-2.21", "bin", "python"),
        sys.executable,
    ]
    for py in candidates:
        if not py or not os.access(py, os.X_OK):
            continue
        try:
            ver = json.loads(run([py, CHILD, "pyroute2_version"], stderr=subprocess.DEVNULL))["version"]
        except (subprocess.CalledProcessError, ValueError, KeyError):
            continue
        if ver == PYROUTE2_PIN:
            return py
        log("%s has pyroute2 %s, not %s" % (py, ver, PYROUTE2_PIN))
    if explicit:
        raise SystemExit("%s lacks pyroute2==%s" % (explicit, PYROUTE2_PIN))
    venv = os.path.join(root, ".build", "bench-venv")
    log("building %s (pip install -r bench/requirements.txt)" % venv)
    subprocess.run([sys.executable, "-m", "venv", "--clear", venv], check=True)
    py = os.path.join(venv, "bin", "python")
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", os.path.join(HERE, "requirements.txt")], check=True)
    return py


# -- namespace -----------------------------------------------------------------

class Namespace:
    """A throwaway namespace, deleted on exit whatever happens."""

    def __init__(self):
        self.name = "nlbench-" + binascii.hexlify(os.urandom(4)).decode()

    def ip(self, *args, **kw):
        return run(["ip", "-n", self.name] + list(args), **kw)

    def __enter__(self):
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        try:
            self.ip("link", "set", "lo", "up")
            self.ip("link", "add", common.DEV, "type", "veth", "peer", "name", common.PEER)
            self.ip("link", "set", common.DEV, "up")
            self.ip("link", "set", common.PEER, "up")
            self.ip("addr", "add", common.DEV_ADDR, "dev", common.DEV)
            self.ifindex = json.loads(self.ip("-j", "link", "show", common.DEV))[0]["ifindex"]
        except BaseException:
            self.delete()
            raise
        return self

    def delete(self):
        subprocess.run(["ip", "netns", "delete", self.name], check=False, stderr=subprocess.DEVNULL)

    def __exit__(self, *exc):
        self.delete()

    def batch(self, path):
        subprocess.run(["ip", "-n", self.name, "-batch", path], check=True)

    def count_routes(self, table):
        return len(self.ip("route", "show", "table", str(table)).splitlines())


def write_populate(path, n):
    with open(path, "w") as f:
        for dst, gw, proto, metric in common.populate_routes(n):
            f.write("route add %s/24 via %s dev %s table %d proto %d metric %d\n"
                    % (dst, gw, common.DEV, BIG_TABLE, proto, metric))


def write_add(path, n, table):
    with open(path, "w") as f:
        for dst, gw in common.add_routes(n):
            f.write("route add %s/24 via %s dev %s table %d proto static\n"
                    % (dst, gw, common.DEV, table))


# -- the benchmark -------------------------------------------------------------

def human(n):
    return "%dk" % (n // 1000) if n % 1000 == 0 else str(n)


class Bench:
    def __init__(self, args, ns, py, tmp):
        self.args = args
        self.ns = ns
        self.py = py
        self.tmp = tmp
        self.results = {}
        self.next_table = ADD_TABLE_BASE
        self.before_env = None  # --before: the children import that revision

    def record(self, scenario, contender, seconds, cpu, peak_mb, wall, count=None):
        ent = self.results.setdefault(scenario, {}).setdefault(
            contender, {"seconds": None, "cpu": None, "peak_mb": 0.0, "samples": []})
        ent["samples"].append({"seconds": round(seconds, 4), "cpu": round(cpu, 4),
                               "peak_mb": round(peak_mb, 1), "wall": round(wall, 4),
                               "count": count})
        if ent["seconds"] is None or seconds < ent["seconds"]:
            ent["seconds"] = round(seconds, 4)
        if ent["cpu"] is None or cpu < ent["cpu"]:
            ent["cpu"] = round(cpu, 4)
        ent["median"] = round(median([x["seconds"] for x in ent["samples"]]), 4)
        ent["median_cpu"] = round(median([x["cpu"] for x in ent["samples"]]), 4)
        ent["peak_mb"] = round(max(ent["peak_mb"], peak_mb), 1)
        log("%-22s %-15s %8.3f s %8.3f cpu %7.1f MB%s" % (
            scenario, contender, seconds, cpu, peak_mb, "" if count is None else "  (%d objects)" % count))

    def child(self, scenario, contender, mode, *args, expect=None, env=None):
        wall, peak, _cpu, out = measure([self.py, CHILD, mode, self.ns.name] + [str(a) for a in args], env)
        res = json.loads(out.strip().splitlines()[-1])
        if expect is not None and not expect(res["count"]):
            raise RuntimeError("%s/%s: unexpected count %d" % (scenario, contender, res["count"]))
        self.record(scenario, contender, res["seconds"], res["cpu"], peak, wall, res["count"])

    def ip(self, scenario, contender, *args):
        wall, peak, cpu, _out = measure(["ip", "-n", self.ns.name] + list(args))
        self.record(scenario, contender, wall, cpu, peak, wall)

    def rounds(self, contender):
        return 1 if contender == "pyroute2" else self.args.repeat

    def dump(self, n):
        name = "dump_routes_%s" % human(n)

        def at_least(c):  # (+ local/main table routes)
            return c >= n
        for r in range(self.args.repeat):
            self.child(name, "ours", "ours_dump", expect=at_least)
            if self.before_env:  # --before: the same dump with that revision's decoder
                self.child(name, "before", "ours_dump", expect=at_least, env=self.before_env)
            self.ip(name, "iproute2", "-j", "route", "show", "table", "all")
            self.ip(name, "iproute2_text", "route", "show", "table", "all")
            if r < self.rounds("pyroute2") and not self.args.no_pyroute2:
                self.child(name, "pyroute2", "pyroute2_dump", expect=at_least)

    def filtered(self, n):
        name = "filtered_dump_%s" % human(n)

        def exact(c):
            return c == common.static_count(n)
        for r in range(self.args.repeat):
            self.child(name, "ours", "ours_filtered", BIG_TABLE, common.RTPROT_STATIC, expect=exact)
            self.ip(name, "iproute2", "route", "show", "table", str(BIG_TABLE), "proto", "static")
            if r < self.rounds("pyroute2") and not self.args.no_pyroute2:
                self.child(name, "pyroute2", "pyroute2_filtered", BIG_TABLE, common.RTPROT_STATIC,
                           expect=exact)

    def _fresh_table(self):
        self.next_table += 1
        return self.next_table

    def _check_and_flush(self, name, contender, table, n):
        got = self.ns.count_routes(table)
        if got != n:
            raise RuntimeError("%s/%s: table %d has %d routes, expected %d" % (name, contender, table, got, n))
        self.ns.ip("route", "flush", "table", str(table))

    def add(self, n):
        name = "add_routes_%s" % human(n)
        for r in range(self.args.repeat):
            t = self._fresh_table()
            self.child(name, "ours", "ours_add", t, n, self.ns.ifindex, expect=lambda c: c == n)
            self._check_and_flush(name, "ours", t, n)

            t = self._fresh_table()
            path = os.path.join(self.tmp, "add.batch")
            write_add(path, n, t)
            self.ip(name, "iproute2", "-batch", path)
            self._check_and_flush(name, "iproute2", t, n)

            if r < self.rounds("pyroute2") and not self.args.no_pyroute2:
                t = self._fresh_table()
                self.child(name, "pyroute2", "pyroute2_add", t, n, self.ns.ifindex,
                           expect=lambda c: c == n)
                self._check_and_flush(name, "pyroute2", t, n)

    # -- nl_route beside a full table ------------------------------------------

    def route_table(self, n, many):
        """nl_route on a namespace whose main table holds n bgp routes:
        ad hoc task of STATIC_ROUTES static routes vs ad hoc ping, its
        read vs ``ip route show proto static``, gathered of the whole
        table vs ``ip -j route show``, and one task of ``many`` routes vs
        ``ip -batch``."""
        path = os.path.join(self.tmp, "full.batch")
        with open(path, "w") as f:
            for dst, gw in common.full_table_routes(n):
                f.write("route add %s/24 via %s dev %s proto bgp\n" % (dst, gw, common.DEV))
        t0 = time.perf_counter()
        self.ns.batch(path)
        log("setup: %d bgp routes in table main with ip -batch in %.1f s" % (n, time.perf_counter() - t0))
        # the IPv6 table beside it: a tenth as many /48s, through gateways
        # (the routes a full IPv6 feed is made of)
        n6 = max(n // 10, 1)
        self.ns.ip("-6", "addr", "add", common.DEV6_ADDR, "dev", common.DEV, "nodad")
        with open(path, "w") as f:
            for dst, gw in common.full_table_routes6(n6):
                f.write("route add %s/48 via %s dev %s proto bgp\n" % (dst, gw, common.DEV))
        t0 = time.perf_counter()
        self.ns.ip("-6", "-batch", path)
        log("setup: %d IPv6 bgp routes in table main with ip -6 -batch in %.1f s" % (n6, time.perf_counter() - t0))
        os.remove(path)
        size = human(n)
        self.adhoc("route_adhoc_%s" % size)
        for r in range(self.args.repeat):
            self.child("route_read_%s" % size, "ours", "ours_route_read", STATIC_ROUTES,
                       expect=lambda c: c == STATIC_ROUTES)
            self.ip("route_read_%s" % size, "iproute2", "route", "show", "proto", "static")
            if r < self.rounds("pyroute2") and not self.args.no_pyroute2:
                self.child("route_read_%s" % size, "pyroute2", "pyroute2_route_read", STATIC_ROUTES,
                           expect=lambda c: c == STATIC_ROUTES)
        for r in range(self.args.repeat):
            self.child("route_gathered_%s" % size, "ours", "ours_route_gathered", expect=lambda c: c >= n)
            self.child("route_gathered_%s" % size, "ours_task", "ours_route_gather_task", expect=lambda c: c >= n)
            self.child("route_gathered_%s" % size, "ours_file", "ours_route_gathered_file", expect=lambda c: c >= n)
            self.ip("route_gathered_%s" % size, "iproute2", "-j", "route", "show")
            self.child("route6_gathered_%s" % human(n6), "ours_task", "ours_route_gather_task", "6",
                       expect=lambda c: c >= n6)
            self.ip("route6_gathered_%s" % human(n6), "iproute2", "-6", "-j", "route", "show")
            # Ansible's exit_json alone on a result of the same size
            self.child("route_gathered_%s" % size, "exit_json_floor", "exit_json_floor", n, expect=lambda c: c == n)
            if self.before_env:
                self.child("route_gathered_%s" % size, "before", "ours_route_gathered", expect=lambda c: c >= n,
                           env=self.before_env)
                self.child("route_gathered_%s" % size, "before_task", "ours_route_gather_task",
                           expect=lambda c: c >= n, env=self.before_env)
                self.child("route6_gathered_%s" % human(n6), "before_task", "ours_route_gather_task", "6",
                           expect=lambda c: c >= n6, env=self.before_env)
        self.route_task(many)

    def adhoc(self, name):
        """``ansible localhost -m netlink.host.nl_route -a '{routes: ...}'``
        (first run: 10 adds; rerun: nothing to do) vs ``-m ping``."""
        ansible = os.path.join(os.path.dirname(self.py), "ansible")
        os.environ.update(ANSIBLE_COLLECTIONS_PATH=common.COLLECTIONS, ANSIBLE_LOCALHOST_WARNING="0",
                          ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_PYTHON_INTERPRETER=self.py)
        common.use_collection()
        base = [ansible, "localhost", "-o", "-c", "local"]
        args = json.dumps({"routes": common.static_task(STATIC_ROUTES), "netns": self.ns.name})
        task = base + ["-m", "netlink.host.nl_route", "-a", args]
        trees = [("nl_route", None)]
        if self.before_env:
            trees.append(("before", dict(os.environ, ANSIBLE_COLLECTIONS_PATH=self.before_env["NLBENCH_COLLECTIONS"])))
        for _round in range(self.args.repeat):
            wall, peak, cpu, out = measure(base + ["-m", "ping"])
            self.record(name, "ping", wall, cpu, peak, wall)
            for tree, env in trees:
                self.ns.ip("route", "flush", "proto", "static")
                for who, word in ((tree + "_first", "CHANGED"), (tree + "_rerun", "SUCCESS")):
                    wall, peak, cpu, out = measure(task, env)
                    if "localhost | %s" % word not in out or ('"write_requests": 0' in out) != (word == "SUCCESS"):
                        raise RuntimeError("%s/%s: unexpected result %s" % (name, who, out[:300]))
                    self.record(name, who, wall, cpu, peak, wall)

    def route_task(self, many):
        """One nl_route task of ``many`` routes (in-process, the module's
        whole run) vs ``ip -batch`` of the same adds; the rerun sends no
        write request (vs ``ip -batch`` of the same ``route replace``)."""
        first, rerun = "route_task_first_%s" % human(many), "route_task_rerun_%s" % human(many)
        contenders = [("ours", None)] + ([("before", self.before_env)] if self.before_env else [])
        for _round in range(self.args.repeat):
            for who, env in contenders:
                t = self._fresh_route_table()
                self.child(first, who, "ours_route_task", t, many, expect=lambda c: c == many, env=env)
                self.child(rerun, who, "ours_route_task", t, many, expect=lambda c: c == 0, env=env)
                self._check_and_flush(first, who, t, many)
            # Ansible's own part: nl_route's argument spec given the same
            # task, exit_json(changed=False) at once (no read, no result)
            t = self._fresh_route_table()
            self.child(first, "noop", "noop_route_task", t, many, expect=lambda c: c == 0)
            t = self._fresh_route_table()
            path = os.path.join(self.tmp, "task.batch")
            write_add(path, many, t)
            self.ip(first, "iproute2", "-batch", path)
            with open(path) as f:
                replace = f.read().replace("route add ", "route replace ")
            with open(path, "w") as f:
                f.write(replace)
            self.ip(rerun, "iproute2", "-batch", path)
            self._check_and_flush(first, "iproute2", t, many)

    def _fresh_route_table(self):
        self.route_table_id = getattr(self, "route_table_id", ROUTE_TASK_TABLE) + 1
        return self.route_table_id


# -- report --------------------------------------------------------------------

def ratio(res, a, b):
    try:
        return res[a]["median"] / res[b]["median"]
    except (KeyError, TypeError, ZeroDivisionError):
        return None


def check_targets(results):
    out = []
    for prefix, num, den, op, bound, what in TARGETS:
        for name, res in results.items():
            if not name.startswith(prefix + "_"):
                continue
            r = ratio(res, num, den)
            if r is None:
                continue
            ok = r <= bound if op == "<=" else r >= bound
            out.append({"scenario": name, "what": what, "ratio": round(r, 2),
                        "target": "%s %g" % (op, bound), "met": ok})
    for prefix, who, limit in PEAK_MB_TARGETS:
        for name, res in results.items():
            if name.startswith(prefix + "_") and who in res:
                mb = res[who]["peak_mb"]
                out.append({"scenario": name, "what": "peak MB of %s" % who, "ratio": mb,
                            "target": "< %g" % limit, "met": mb < limit})
    for name, res in results.items():
        if not name.startswith("route_task_first_") or "noop" not in res:
            continue
        for who in ("ours", "before"):
            if who in res and "iproute2" in res:
                over = (res[who]["median"] - res["noop"]["median"]) / res["iproute2"]["median"]
                out.append({"scenario": name, "what": "(%s - noop module) / ip -batch" % who, "ratio": round(over, 2),
                            "target": "<= 3", "met": over <= 3.0})
    for name, res in results.items():
        if not name.startswith("route_adhoc_") or "ping" not in res:
            continue
        for who in ("nl_route_first", "nl_route_rerun", "before_first", "before_rerun"):
            if who in res:
                over = res[who]["median"] - res["ping"]["median"]
                out.append({"scenario": name, "what": "%s - ping (s)" % who, "ratio": round(over, 3),
                            "target": "< %g" % ADHOC_OVER_PING, "met": over < ADHOC_OVER_PING})
    return out


def table(results, targets):
    lines = ["%-22s %-14s %9s %9s %9s %9s %8s %10s %10s" % (
        "scenario", "contender", "median s", "min s", "median cpu", "min cpu", "peak MB", "ours/this", "this/ours")]
    for name, res in results.items():
        for who, ent in res.items():
            mine = ratio(res, "ours", who) if who != "ours" else None
            theirs = ratio(res, who, "ours") if who != "ours" else None
            lines.append("%-22s %-14s %9.3f %9.3f %9.3f %9.3f %8.1f %10s %10s" % (
                name, who, ent["median"], ent["seconds"], ent["median_cpu"], ent["cpu"], ent["peak_mb"],
                "" if mine is None else "%.2fx" % mine,
                "" if theirs is None else "%.1fx" % theirs))
        lines.append("")
    lines.append("median s / min s: median and fastest of the rounds (wall); cpu: user+system; "
                 "ratios use the medians")
    lines.append("targets:")
    for t in targets:
        lines.append("  %-4s %-22s %-36s %8s  (target %s)" % (
            "ok" if t["met"] else "MISS", t["scenario"], t["what"],
            "%.2f" % t["ratio"], t["target"]))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    ap.add_argument("--json", metavar="OUT", help="write the results here")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 20k routes, 2k adds (< 60 s)")
    ap.add_argument("--routes", type=int, help="routes in the big table (default 200000)")
    ap.add_argument("--add", type=int, help="routes per add run (default 10000)")
    ap.add_argument("--repeat", type=int, help="rounds for ours/iproute2 (default 3)")
    ap.add_argument("--python", help="interpreter with pyroute2==%s for the children" % PYROUTE2_PIN)
    ap.add_argument("--no-pyroute2", action="store_true", help="skip pyroute2")
    ap.add_argument("--only", action="append", choices=["dump", "filtered", "add", "route"],
                    help="run only these scenarios (repeatable)")
    ap.add_argument("--route-table", type=int,
                    help="bgp routes in the main table of the nl_route scenarios (default 200000, --quick 20000)")
    ap.add_argument("--full-table", action="store_true",
                    help="the issue's full Internet table: 1,000,000 bgp routes for the nl_route scenarios "
                         "(minutes of set-up and ~1 GB of kernel memory)")
    ap.add_argument("--task-routes", type=int, help="routes in the one big nl_route task (default 10000)")
    ap.add_argument("--before", metavar="REV",
                    help="also run the nl_route contenders with the collection of git revision REV "
                         "(before/after in the same rounds)")
    args = ap.parse_args()
    routes = args.routes or (20000 if args.quick else 200000)
    add = args.add or (2000 if args.quick else 10000)
    args.repeat = args.repeat or 3
    only = args.only or ["dump", "filtered", "add", "route"]
    route_table = 1000000 if args.full_table else (args.route_table or (20000 if args.quick else 200000))
    task_routes = args.task_routes or (2000 if args.quick else 10000)
    if os.geteuid() != 0:
        raise SystemExit("run as root: the benchmark creates a network namespace")

    # SIGTERM/SIGHUP unwind like Ctrl-C, so the namespace is always deleted.
    def _stop(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)

    t_start = time.time()
    py = python_with_pyroute2(args.python) if not args.no_pyroute2 else (args.python or sys.executable)
    tmp = tempfile.mkdtemp(prefix="nlbench-")
    try:
        with Namespace() as ns:
            log("namespace %s, interpreter %s" % (ns.name, py))
            if "dump" in only or "filtered" in only:
                path = os.path.join(tmp, "populate.batch")
                write_populate(path, routes)
                t0 = time.perf_counter()
                ns.batch(path)
                log("setup: %d routes in table %d with ip -batch in %.1f s"
                    % (routes, BIG_TABLE, time.perf_counter() - t0))
            b = Bench(args, ns, py, tmp)
            if args.before:
                tree = common.export_revision(args.before, os.path.join(tmp, "before"))
                b.before_env = dict(os.environ, NLBENCH_COLLECTIONS=tree)
                log("before: %s exported to %s" % (args.before, tree))
            if "dump" in only:
                b.dump(routes)
            if "filtered" in only:
                b.filtered(routes)
            if "add" in only:
                b.add(add)
            if "route" in only:
                if "dump" in only or "filtered" in only:
                    ns.ip("route", "flush", "table", str(BIG_TABLE))
                b.route_table(route_table, task_routes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    targets = check_targets(b.results)
    doc = {
        "scenarios": b.results,
        "targets": targets,
        "meta": {
            "routes": routes, "add": add, "repeat": args.repeat, "quick": args.quick,
            "route_table": route_table, "task_routes": task_routes, "before": args.before,
            "python": run([py, "-c", "import sys; print(sys.version.split()[0])"]).strip(),
            "pyroute2": PYROUTE2_PIN if not args.no_pyroute2 else None,
            "iproute2": run(["ip", "-V"]).strip(),
            "kernel": platform.release(),
            "peak_source": "GNU time %M" if os.access(GNU_TIME, os.X_OK) else "wait4 (includes parent RSS)",
            "seconds_total": round(time.time() - t_start, 1),
            "git": subprocess.run(["git", "-C", common.ROOT, "rev-parse", "--short", "HEAD"], check=False,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode().strip(),
        },
    }
    print(table(b.results, targets))
    if routes < 200000:
        print("(targets are set for 200k routes; at %d, fixed costs weigh more: indicative only)" % routes)
    print("total %.1f s" % doc["meta"]["seconds_total"])
    if args.json:
        d = os.path.dirname(os.path.abspath(args.json))
        os.makedirs(d, exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
