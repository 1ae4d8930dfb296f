"""Capture golden generic netlink controller (nlctrl) messages from the
running kernel.  Rerunnable; needs root, iproute2's ``genl`` and
``strace``.  From the repository root:

    python3 tests/unit/netlink/golden/capture_genl.py          # writes genl_ctrl.json, genl_ctrl_request.json
    python3 tests/unit/netlink/golden/capture_genl.py --check  # capture, compare, write nothing

Same format as capture.py.  In a throwaway namespace ``nltest-cap-<random>``
(always deleted; generic netlink families are not per namespace, but the
socket is opened inside one as every test does, and what a namespace sees
is what a task sees: families that are not namespace-aware are hidden):

- ``genl_ctrl.json``: one CTRL_CMD_NEWFAMILY message per family, the raw
  replies of a CTRL_CMD_GETFAMILY dump on our OWN NETLINK_GENERIC socket;
  each ``expect`` comes from ``genl ctrl get name NAME`` (iproute2, an
  independent client: id, version, header size, max attribs, ops with
  their capabilities, multicast groups), never from the library;
- ``genl_ctrl_request.json``: the CTRL_CMD_GETFAMILY requests iproute2's
  ``genl ctrl get name NAME`` itself sends (read with strace), so the unit
  tests check the library emits the same bytes for the same request.
"""
from __future__ import print_function

import re
import subprocess
import sys

try:  # loaded by path (tests/integration/netlink/test_genl_kernel.py) with the collection importable
    from ansible_collections.netlink.host.tests.unit.netlink.golden import capture_common as common
except ImportError:  # run as a script: capture_common.py sits next to this file
    import capture_common as common

# The families whose GETFAMILY request is captured from genl.
REQUEST_FAMILIES = ("nlctrl", "ethtool")

GENL_ID_CTRL = 0x10
CTRL_CMD_NEWFAMILY = 1
CTRL_CMD_GETFAMILY = 3
NLM_FLAGS = {"NLM_F_REQUEST": 0x1, "NLM_F_MULTI": 0x2, "NLM_F_ACK": 0x4, "NLM_F_ECHO": 0x8}


def genl(netns, *args):
    """``genl ARGS`` inside ``netns``; its stdout."""
    return subprocess.run(("ip", "netns", "exec", netns, "genl") + args, check=True, stdout=subprocess.PIPE,
                          universal_newlines=True).stdout


def parse_genl_ctrl(text):
    """{name: {"id", "version", "hdrsize", "maxattr", "ops": [(id, flags or None)],
    "mcast_groups": [(name, id)]}} from ``genl ctrl list`` / ``genl ctrl get``
    output (iproute2 genl/ctrl.c print_ctrl)."""
    out = {}
    cur = None
    section = None
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"Name: (\S+)$", line)
        if m:
            cur = out[m.group(1)] = {"ops": [], "mcast_groups": []}
            section = None
            continue
        if cur is None:
            continue
        m = re.match(r"ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)",
                     line)
        if m:
            cur.update(id=int(m.group(1), 16), version=int(m.group(2), 16), hdrsize=int(m.group(3)),
                       maxattr=int(m.group(4)))
        elif line.startswith("commands supported"):
            section = "ops"
        elif line.startswith("multicast groups"):
            section = "mcast"
        elif section == "ops" and re.match(r"#\d+:\s+ID-(0x[0-9a-f]+)", line):
            # flags None: genl prints an op's capabilities only for a family
            # of version 2 or later (iproute2 6.1 print_ctrl_cmds, ctrl_v)
            cur["ops"].append([int(re.match(r"#\d+:\s+ID-(0x[0-9a-f]+)", line).group(1), 16), None])
        elif section == "ops" and line.startswith("Capabilities"):
            cur["ops"][-1][1] = int(re.match(r"Capabilities \((0x[0-9a-f]+)\)", line).group(1), 16)
        elif section == "mcast":
            m = re.match(r"#\d+:\s+ID-(0x[0-9a-f]+)\s+name: (\S+)", line)
            if m:
                cur["mcast_groups"].append((m.group(2), int(m.group(1), 16)))
    for fam in out.values():
        fam["ops"] = [tuple(op) for op in fam["ops"]]
    return out


def expect_of(name, fam):
    """The golden ``expect`` of family ``name`` as genl printed it."""
    expect = {"header.cmd": CTRL_CMD_NEWFAMILY, "attrs.family_name": name, "attrs.family_id": fam["id"],
              "attrs.version": fam["version"], "attrs.hdrsize": fam["hdrsize"], "attrs.maxattr": fam["maxattr"]}
    for i, (op, flags) in enumerate(fam["ops"]):
        expect["attrs.ops.%d.id" % i] = op
        if flags is not None:
            expect["attrs.ops.%d.flags" % i] = flags
    for i, (group, gid) in enumerate(fam["mcast_groups"]):
        expect["attrs.mcast_groups.%d.name" % i] = group
        expect["attrs.mcast_groups.%d.id" % i] = gid
    return expect


_STRACE_MSG = re.compile(
    r"nlmsg_len=(\d+), nlmsg_type=(\w+), nlmsg_flags=([\w|]+), nlmsg_seq=(\d+), nlmsg_pid=(\d+)\}, \"((?:\\x[0-9a-f]{2})*)\"")


def strace_request(netns, name):
    """The raw bytes of the CTRL_CMD_GETFAMILY request that ``genl ctrl get
    name NAME`` sends, rebuilt from strace's decoding of its sendmsg."""
    proc = subprocess.run(["ip", "netns", "exec", netns, "strace", "-f", "-e", "trace=sendmsg", "-xx",
                           "-s", "4096", "genl", "ctrl", "get", "name", name],
                          check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, universal_newlines=True)
    found = _STRACE_MSG.findall(proc.stderr)
    if len(found) != 1:
        raise RuntimeError("expected one netlink sendmsg from genl, strace shows %d" % len(found))
    mlen, mtype, mflags, seq, pid, payload = found[0]
    mtype = GENL_ID_CTRL if mtype == "nlctrl" else int(mtype, 0)
    flags = 0
    for word in mflags.split("|"):
        flags |= NLM_FLAGS[word] if word in NLM_FLAGS else int(word, 0)
    body = bytes.fromhex(payload.replace("\\x", ""))
    if int(mlen) != 16 + len(body):
        raise RuntimeError("strace shows nlmsg_len %s for a %d-byte payload" % (mlen, len(body)))
    return common.NLMSGHDR.pack(int(mlen), mtype, flags, int(seq), int(pid)) + body


def capture():
    """({"genl_ctrl": entries, "genl_ctrl_request": entries}, problems)."""
    common.setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
    from ansible_collections.netlink.host.plugins.module_utils.netlink.genl import NLCTRL

    schemas = {C.GENL_ID_CTRL: NLCTRL.reply_body()}
    problems = []
    replies, requests = [], []
    with common.throwaway_netns() as netns:
        families = parse_genl_ctrl(genl(netns, "ctrl", "list"))
        raws = common.raw_dump(netns, C.NETLINK_GENERIC, schemas, C.GENL_ID_CTRL,
                               {"cmd": CTRL_CMD_GETFAMILY, "version": NLCTRL.version})
        decoded = []
        for raw in raws:
            (msg,) = _decode(schemas, raw)
            decoded.append((raw, {"header": msg.header, "attrs": msg.attrs}))
        for name in sorted(families):
            expect = expect_of(name, parse_genl_ctrl(genl(netns, "ctrl", "get", "name", name))[name])
            hits = [raw for raw, fields in decoded if common.matches(fields, expect)]
            if len(hits) != 1:
                problems.append("%s: %d nlctrl messages match %r" % (name, len(hits), expect))
                continue
            replies.append({"command": "genl ctrl get name %s" % name, "hex": hits[0].hex(), "expect": expect})
        for name in REQUEST_FAMILIES:
            raw = strace_request(netns, name)
            requests.append({"command": "genl ctrl get name %s (its request, read with strace)" % name,
                             "hex": raw.hex(),
                             "expect": {"header.cmd": CTRL_CMD_GETFAMILY, "attrs.family_name": name}})
    return {"genl_ctrl": replies, "genl_ctrl_request": requests}, problems


def _decode(schemas, raw):
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import decode_messages
    return decode_messages(schemas, raw)


if __name__ == "__main__":
    sys.exit(common.main(__doc__, capture))
