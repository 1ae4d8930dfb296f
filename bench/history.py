# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Before/after: the 200k-route dump (bench's ``ours`` dump) with the library
of several git revisions, on one namespace, rounds interleaved.

    sudo python3 bench/history.py REV[:nolayouts] ... [--routes N] [--repeat R]

Each revision's ``plugins/`` is exported with ``git archive`` into a temp
collection tree; the children import it through NLBENCH_COLLECTIONS.  A
``:nolayouts`` suffix runs that revision with Body's remembered shapes off
(the attribute walk alone).  The bench scripts themselves are today's.
"""
from __future__ import print_function

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import common  # noqa: E402
import run as bench  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    ap.add_argument("revs", nargs="+")
    ap.add_argument("--routes", type=int, default=200000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()
    py = sys.executable
    tmp = tempfile.mkdtemp(prefix="nlbench-hist-")
    results = {}
    try:
        trees = {}
        for spec in args.revs:
            rev = spec.split(":")[0]
            if rev not in trees:
                trees[rev] = common.export_revision(rev, os.path.join(tmp, rev.replace("/", "_")))
        with bench.Namespace() as ns:
            path = os.path.join(tmp, "populate.batch")
            bench.write_populate(path, args.routes)
            ns.batch(path)
            for _round in range(args.repeat):
                for spec in args.revs:
                    rev, _sep, variant = spec.partition(":")
                    env = dict(os.environ, NLBENCH_COLLECTIONS=trees[rev])
                    if variant == "nolayouts":
                        env["NLBENCH_NO_LAYOUTS"] = "1"
                    out = subprocess.run([py, bench.CHILD, "ours_dump", ns.name], env=env,
                                         check=True, stdout=subprocess.PIPE).stdout
                    res = json.loads(out.decode().strip().splitlines()[-1])
                    ent = results.setdefault(spec, {"seconds": [], "cpu": []})
                    ent["seconds"].append(res["seconds"])
                    ent["cpu"].append(res["cpu"])
                    bench.log("%-24s %.3f s  %.3f cpu" % (spec, res["seconds"], res["cpu"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%-24s %10s %10s %10s" % ("revision", "min s", "min cpu", "median cpu"))
    for spec, ent in results.items():
        cpu = sorted(ent["cpu"])
        print("%-24s %10.3f %10.3f %10.3f" % (spec, min(ent["seconds"]), cpu[0], cpu[len(cpu) // 2]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
