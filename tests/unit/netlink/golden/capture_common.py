"""What capture.py and capture_rule_xfrm.py share: a throwaway namespace
``nltest-cap-<random>`` (always deleted; the machine's own namespace is never
touched), ``ip -n NS ...`` for each scenario step, raw dumps on our OWN
AF_NETLINK socket (strict checking on, like the library), picking for each
step the one reply message matching its ``expect``, and the command line
(``--check``: capture and match, write nothing).

A scenario is a list of (command run as ``ip -n NS <command>`` or None for a
message the kernel made itself, kind or None for a set-up step, expect).
Each kind's golden file is a list of

    {"command": "ip ...", "hex": "<raw nlmsg bytes>", "expect": {"attrs.ifname": "br0", ...}}

read back by ../golden_check.py.  ``expect`` paths are dotted:
``header.prefixlen``, ``attrs.linkinfo.kind``, ``attrs.multipath.1.hops``
(list index), a number for an attribute the schema does not know; values are
what the library decodes, byte strings as lowercase hex.  This module imports
only the standard library at load time (the library itself once
setup_import_path() made it importable), so golden_check.py can import
``get_path`` from it.
"""
from __future__ import print_function

import argparse
import contextlib
import json
import os
import socket
import struct
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

NLMSGHDR = struct.Struct("=IHHII")


def setup_import_path():
    """The same ansible_collections symlink the repo-root conftest.py makes."""
    collections = os.path.join(ROOT, ".build", "collections")
    link = os.path.join(collections, "ansible_collections", "netlink", "host")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        try:
            os.symlink(ROOT, link)
        except FileExistsError:
            pass
    if collections not in sys.path:
        sys.path.insert(0, collections)


@contextlib.contextmanager
def throwaway_netns():
    """A new namespace ``nltest-cap-<random>``, deleted on the way out."""
    netns = "nltest-cap-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", netns], check=True)
    try:
        yield netns
    finally:
        subprocess.run(["ip", "netns", "del", netns], check=False)


def ip(netns, command):
    cmd = "ip -n %s %s" % (netns, command)
    proc = subprocess.run(cmd, shell=True, check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)
    if proc.returncode:
        raise RuntimeError("%s: %s" % (cmd, proc.stderr.strip()))


def run_commands(netns, scenario):
    """Run every step of ``scenario`` that has a command, in order."""
    for command, _kind, _expect in scenario:
        if command:
            ip(netns, command)


def raw_dump(netns, protocol, schemas, msg_type, header=None, attrs=None):
    """Dump on our own netlink socket inside ``netns``; return the raw
    bytes of each reply message.  Restarts if the dump was interrupted."""
    setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
    from ansible_collections.netlink.host.plugins.module_utils.netlink.netns import entered
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import (
        Request, encode_message)

    with entered(netns):
        sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, protocol)
    try:
        sock.setsockopt(C.SOL_NETLINK, C.NETLINK_GET_STRICT_CHK, 1)
        sock.setsockopt(C.SOL_NETLINK, C.NETLINK_EXT_ACK, 1)
        sock.bind((0, 0))
        for seq in range(1, 11):
            sock.send(encode_message(schemas, Request(msg_type, C.NLM_F_DUMP, header, attrs), seq))
            out, intr, done = [], False, False
            while not done:
                data = sock.recv(1 << 20)
                off = 0
                while off + NLMSGHDR.size <= len(data):
                    mlen, mtype, mflags, mseq, _pid = NLMSGHDR.unpack_from(data, off)
                    if mseq == seq:
                        if mflags & C.NLM_F_DUMP_INTR:
                            intr = True
                        if mtype == C.NLMSG_DONE:
                            done = True
                        elif mtype == C.NLMSG_ERROR:
                            code = struct.unpack_from("=i", data, off + 16)[0]
                            raise OSError(-code, "dump of type %d failed" % msg_type)
                        else:
                            out.append(bytes(data[off:off + mlen]))
                    off += (mlen + 3) & ~3
            if not intr:
                return out
        raise RuntimeError("dump kept being interrupted")
    finally:
        sock.close()


def get_path(decoded, path):
    """Value at a dotted path in {"header": ..., "attrs": ...} as JSON holds it
    (bytes become hex); KeyError if absent."""
    cur = decoded
    for part in path.split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part in cur:
                cur = cur[part]
            elif part.isdigit() and int(part) in cur:
                cur = cur[int(part)]  # an unknown attribute kept under its number
            else:
                raise KeyError(path)
        else:
            raise KeyError(path)
    if isinstance(cur, (bytes, bytearray)):
        return bytes(cur).hex()
    return cur


MISSING = "<missing>"


def values_at(decoded, expect):
    """{path: value at that path of ``decoded``, or MISSING} for each path of ``expect``."""
    got = {}
    for path in expect:
        try:
            got[path] = get_path(decoded, path)
        except (KeyError, IndexError, ValueError):
            got[path] = MISSING
    return got


def matches(decoded, expect):
    """Whether every path of ``expect`` has its value in ``decoded``."""
    return values_at(decoded, expect) == expect


def pick(kind, scenario, schemas, raws):
    """For each step of ``scenario`` of this ``kind``, the one message of
    ``raws`` whose decoded fields match its expect, as a golden entry.
    Returns (entries, problems)."""
    setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import decode_messages

    decoded = []
    for raw in raws:
        (msg,) = decode_messages(schemas, raw)
        decoded.append((raw, {"header": msg.header, "attrs": msg.attrs}))
    entries, problems = [], []
    for command, step_kind, expect in scenario:
        if step_kind != kind:
            continue
        hits = [raw for raw, fields in decoded if matches(fields, expect)]
        if len(hits) != 1:
            label = command or "(kernel-made) %r" % (expect,)
            problems.append("%s: %d %s messages match %r" % (label, len(hits), kind, expect))
            continue
        entries.append({"command": "ip " + command if command else "(made by the kernel)",
                        "hex": hits[0].hex(), "expect": expect})
    return entries, problems


def pick_all(dumps, scenarios):
    """pick() for each kind of ``dumps`` ({kind: (schemas, raws)}) against
    ``scenarios`` ({kind: scenario}); returns ({kind: entries}, problems)."""
    out, problems = {}, []
    for kind, (schemas, raws) in dumps.items():
        out[kind], kind_problems = pick(kind, scenarios[kind], schemas, raws)
        problems.extend(kind_problems)
    return out, problems


def main(doc, capture, argv=None):
    """The scripts' command line (``doc``: the script's docstring): capture()
    returns ({kind: entries}, problems); write ``<kind>.json`` for each kind
    unless --check."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--check", action="store_true", help="capture and match, write nothing")
    parser.add_argument("--out", default=HERE, help="directory for the <kind>.json files")
    args = parser.parse_args(argv)
    out, problems = capture()
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    if problems:
        return 1
    for kind, entries in out.items():
        if args.check:
            print("%s: %d messages captured and matched" % (kind, len(entries)))
            continue
        path = os.path.join(args.out, kind + ".json")
        with open(path, "w") as fh:
            json.dump(entries, fh, indent=1)
            fh.write("\n")
        print("wrote %s (%d messages)" % (path, len(entries)))
    return 0
