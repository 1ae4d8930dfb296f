"""Golden bytes captured from a real kernel (golden/capture.py): every link,
address and route message decodes to the values the ``ip`` command that made
it implies, and re-encodes to the very same bytes."""
import json
import os
import struct

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import decode_messages

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
KINDS = ("link", "addr", "route")
NLMSGHDR = struct.Struct("=IHHII")


def load(kind):
    with open(os.path.join(GOLDEN, kind + ".json")) as fh:
        return json.load(fh)


CASES = [pytest.param(kind, entry, id="%s-%d-%s" % (kind, i, entry["command"][:60]))
         for kind in KINDS for i, entry in enumerate(load(kind))]


def get_path(decoded, path):
    cur = decoded
    for part in path.split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif part in cur:
            cur = cur[part]
        else:
            cur = cur[int(part)]  # an unknown attribute kept under its number
    return cur


def reencode(msg):
    body = rtnl.SCHEMAS[msg.type]
    payload = body.encode_parts(msg.header, msg.attrs)
    return NLMSGHDR.pack(NLMSGHDR.size + len(payload), msg.type, msg.flags, msg.seq, msg.pid) + payload


def test_golden_files_cover_every_kind():
    counts = {kind: len(load(kind)) for kind in KINDS}
    assert counts["link"] >= 10 and counts["addr"] >= 5 and counts["route"] >= 15, counts
    kinds = {get_path({"attrs": decode_messages(rtnl.SCHEMAS, bytes.fromhex(e["hex"]))[0].attrs},
                      "attrs.linkinfo.kind")
             for e in load("link") if "attrs.linkinfo.kind" in e["expect"]}
    assert {"bridge", "veth", "macvlan", "macvtap", "vxlan", "ifb", "tun"} <= kinds


@pytest.mark.parametrize("kind,entry", CASES)
def test_decode_matches_expect(kind, entry):
    raw = bytes.fromhex(entry["hex"])
    (msg,) = decode_messages(rtnl.SCHEMAS, raw)
    assert rtnl.SCHEMAS[msg.type] is {"link": rtnl.LINK, "addr": rtnl.ADDR, "route": rtnl.ROUTE}[kind]
    decoded = {"header": msg.header, "attrs": msg.attrs}
    got = {}
    for path in entry["expect"]:
        try:
            got[path] = get_path(decoded, path)
        except (KeyError, IndexError, ValueError):
            got[path] = "<missing>"
    assert got == entry["expect"]


@pytest.mark.parametrize("kind,entry", CASES)
def test_reencode_is_byte_exact(kind, entry):
    raw = bytes.fromhex(entry["hex"])
    (msg,) = decode_messages(rtnl.SCHEMAS, raw)
    again = reencode(msg)
    if again != raw:
        # Point at the first differing offset: far easier to debug than two hex blobs.
        first = next((i for i, (a, b) in enumerate(zip(raw, again)) if a != b), min(len(raw), len(again)))
        pytest.fail("re-encoded %d bytes vs %d captured; first difference at offset %d: "
                    "captured %s... re-encoded %s..."
                    % (len(again), len(raw), first, raw[first:first + 16].hex(), again[first:first + 16].hex()))


@pytest.mark.parametrize("kind,entry", CASES)
def test_decode_of_reencoded_is_equal(kind, entry):
    (msg,) = decode_messages(rtnl.SCHEMAS, bytes.fromhex(entry["hex"]))
    (again,) = decode_messages(rtnl.SCHEMAS, reencode(msg))
    assert (again.header, again.attrs) == (msg.header, msg.attrs)


def test_golden_stream_decodes_as_one_buffer():
    """All messages of a kind back to back, as one recv() would give them."""
    for kind in KINDS:
        entries = load(kind)
        msgs = decode_messages(rtnl.SCHEMAS, b"".join(bytes.fromhex(e["hex"]) for e in entries))
        assert len(msgs) == len(entries)
