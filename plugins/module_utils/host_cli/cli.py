# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""``netlink-host``: apply, show, diff and check the saved network state
(docs/netlink-host.md is its manual).  Exit status: 0 done / no
difference; 1 (diff, check) the kernel differs from the state; 2 an
error (bad state, a kernel refusal, undone; a link NetworkManager
manages).  Output: ``ip`` commands and findings on stdout, errors and
warnings on stderr, ``--json`` for one JSON document instead.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import sys

from ..netlink.errors import NetlinkLibraryError
from .. import contract
from . import engine, state_files

PROG = "netlink-host"
# What the program reports as "error:" and exits 2 on.
ERRORS = (engine.HostError, contract.ValidationError, NetlinkLibraryError)
NM_ROOT = "/"

DESCRIPTION = """\
Apply, show, diff and check the network state saved by the netlink.host
Ansible collection (%s/*.json: links, addresses, routes, rules and
IPsec in the modules' own list formats), with the collection's own engine:
the same validation, planning, undo and ip commands as its modules.
""" % state_files.DEFAULT_DIR

EPILOG = """\
exit status: 0 done (apply) or no difference (diff, check); 1 the kernel
differs from the state (diff, check); 2 error (nothing changed by the failing
step: the applier undid it).

Links NetworkManager manages (its /run/NetworkManager/devices/<ifindex> run
state, or a profile in /etc/NetworkManager/system-connections bound to the
link's name) are refused unless --ignore-networkmanager is given; in another
namespace (--netns) NetworkManager is not consulted.
"""


def _parser():
    top = argparse.ArgumentParser(prog=PROG, description=DESCRIPTION, epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = top.add_subparsers(dest="command", metavar="COMMAND")

    def common(p):
        p.add_argument("--netns", metavar="NAME|PATH",
                       help="work in this network namespace (default: the program's own)")
        p.add_argument("--json", action="store_true", help="print one JSON document instead of text")

    def files(p, required):
        p.add_argument("files", nargs="+" if required else "*", metavar="FILE",
                       help="state files or directories of *.json (%s)" % (
                           "required" if required else "default: %s" % state_files.DEFAULT_DIR))
        p.add_argument("--ignore-networkmanager", action="store_true",
                       help="change links NetworkManager manages too")
        p.add_argument("--nm-root", metavar="DIR", default=None,
                       help="where NetworkManager's /run and /etc are (default /; tests use a fake tree)")

    p = sub.add_parser("apply", help="make the kernel match the state files",
                       description="Make the kernel match FILEs: one task per module, additions then removals, "
                                   "as one transaction; prints the ip commands applied.")
    files(p, True)
    common(p)
    p = sub.add_parser("diff", help="print what apply would change, as ip commands",
                       description="Print what 'apply FILE...' would change, as ip commands; changes nothing.")
    files(p, True)
    common(p)
    p = sub.add_parser("check", help="report drift from the saved state (exit 1 on drift)",
                       description="Report every object that differs from the saved state "
                                   "(default %s); changes nothing." % state_files.DEFAULT_DIR)
    files(p, False)
    common(p)
    p = sub.add_parser("show", help="print the kernel's state as a state file",
                       description="Print the current state, every section (or those named), as a state "
                                   "file that apply takes back.")
    p.add_argument("sections", nargs="*", metavar="SECTION",
                   help="among: %s" % ", ".join(engine.section_names()))
    common(p)
    return top


def _nm_root(args):
    if args.ignore_networkmanager:
        return None
    if args.nm_root is not None:
        return args.nm_root
    # NetworkManager manages the initial namespace only.
    return NM_ROOT if args.netns is None else None


def _step_json(step, with_drift):
    out = {"task": step.label, "commands": step.commands, "warnings": step.warnings,
           "changed": step.changed, "applied": step.applied}
    if with_drift:
        out["drift"] = engine.drift(step)
    return out


def _dump(out, doc):
    json.dump(doc, out, indent=2, sort_keys=True)
    out.write("\n")


def _run_files(args, out, err):
    """With --json, an error too is one JSON document (``failed``,
    ``error``), holding the steps done before it (none of an apply the
    kernel refused: it is one transaction, undone whole)."""
    done = []
    try:
        return _run_steps(args, out, err, done)
    except ERRORS as exc:
        if not args.json:
            raise
        err.write("%s: error: %s\n" % (PROG, exc))
        _dump(out, {"failed": True, "error": str(exc), "changed": any(s.changed and s.applied for s in done),
                    "steps": [_step_json(s, args.command == "check") for s in done]})
        return 2


def _run_steps(args, out, err, done):
    loaded = state_files.load(args.files or [state_files.DEFAULT_DIR])
    apply = args.command == "apply"
    if apply and not args.json:
        err.write("%s: applying %s\n" % (PROG, " ".join(loaded["files"]) or "(no state files)"))

    def log(step):
        done.append(step)
        for text in step.warnings:
            err.write("%s: warning: %s: %s\n" % (PROG, step.label, text))
        if args.json:
            return
        if args.command == "check":
            for line in engine.drift(step):
                out.write("%s: %s\n" % (step.run[0].name if len(step.run) == 1 else step.label, line))
        else:
            for line in step.commands:
                out.write(line + "\n")

    steps = engine.execute(loaded, netns=args.netns, apply=apply, nm_root=_nm_root(args), log=log)
    changed = any(s.changed for s in steps)
    if args.json:
        _dump(out, {"files": loaded["files"], "changed": changed,
                    "steps": [_step_json(s, args.command == "check") for s in steps]})
    elif apply:
        sent = sum(len(s.commands) for s in steps if s.applied)
        err.write("%s: %s\n" % (PROG, "%d change(s) applied" % sent if changed else
                                "%d command(s) sent, but the kernel's state did not move (see the warnings)" % sent
                                if sent else "nothing to change"))
    elif args.command == "check" and not changed:
        out.write("no drift: the kernel matches %s\n" % (
            " ".join(loaded["files"]) or "(no state files: nothing saved to compare with)"))
    if apply:
        return 0
    return 1 if changed else 0


def main(argv=None, out=None, err=None):
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    if not args.command:
        _parser().print_help(err)
        return 2
    try:
        if args.command == "show":
            doc = engine.show(args.sections or None, args.netns)
            unknown = [n for n in args.sections if n not in engine.section_names()]
            if unknown:
                raise engine.HostError("unknown section(s) %s" % ", ".join(unknown))
            doc = dict(doc, version=state_files.VERSION)
            out.write(state_files.render(doc))
            return 0
        return _run_files(args, out, err)
    except ERRORS as exc:
        err.write("%s: error: %s\n" % (PROG, exc))
        return 2
