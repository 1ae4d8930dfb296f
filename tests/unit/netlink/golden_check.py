"""Reading the golden files of ``golden/`` (written by golden/capture.py and
golden/capture_rule_xfrm.py): one list per kind of

    {"command": "ip ...", "hex": "<raw nlmsg bytes>", "expect": {"attrs.ifname": "br0", ...}}

``expect`` paths are dotted (``get_path`` in golden/capture_common.py, the
one definition the capture scripts match with too).  The tests import this
module as ``ansible_collections.netlink.host.tests.unit.netlink.golden_check``
(the path the repo-root conftest.py and ansible-test both provide).
"""
import json
import os
import struct

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import decode_messages
from ansible_collections.netlink.host.tests.unit.netlink.golden.capture_common import values_at

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
NLMSGHDR = struct.Struct("=IHHII")


def load(kind):
    """The entries of ``golden/<kind>.json``."""
    with open(os.path.join(GOLDEN, kind + ".json")) as fh:
        return json.load(fh)


def params(kind, width=60, with_kind=False):
    """One pytest.param per entry of ``kind``: (entry) or, with_kind, (kind, entry)."""
    out = []
    for i, entry in enumerate(load(kind)):
        label = "%d-%s" % (i, entry["command"][:width])
        if with_kind:
            out.append(pytest.param(kind, entry, id="%s-%s" % (kind, label)))
        else:
            out.append(pytest.param(entry, id=label))
    return out


def expected_view(msg, expect):
    """{path: decoded value, or "<missing>"} for each path of ``expect``."""
    return values_at({"header": msg.header, "attrs": msg.attrs}, expect)


def decode(schemas, entry):
    """The one message of an entry."""
    (msg,) = decode_messages(schemas, bytes.fromhex(entry["hex"]))
    return msg


def reencode(schemas, msg):
    """nlmsghdr + the schema's encoding of the decoded header and attributes."""
    payload = schemas[msg.type].encode_parts(msg.header, msg.attrs)
    return NLMSGHDR.pack(NLMSGHDR.size + len(payload), msg.type, msg.flags, msg.seq, msg.pid) + payload


def check_reencode_is_byte_exact(schemas, entry):
    """Fail, pointing at the first differing offset, unless the decoded
    entry re-encodes to its very bytes."""
    raw = bytes.fromhex(entry["hex"])
    (msg,) = decode_messages(schemas, raw)
    again = reencode(schemas, msg)
    if again != raw:
        first = next((i for i, (a, b) in enumerate(zip(raw, again)) if a != b), min(len(raw), len(again)))
        pytest.fail("re-encoded %d bytes vs %d captured; first difference at offset %d: "
                    "captured %s... re-encoded %s..."
                    % (len(again), len(raw), first, raw[first:first + 16].hex(), again[first:first + 16].hex()))


def decode_stream(schemas, entries):
    """All entries back to back, decoded as one buffer (as one recv() gives them)."""
    return decode_messages(schemas, b"".join(bytes.fromhex(e["hex"]) for e in entries))


def golden_tests(schemas, kind, msg_type, width=60):
    """The per-entry tests of a one-message-type golden file, for a test
    module to bind at top level (pytest collects them there)::

        (test_golden_decode_matches_expect, test_golden_reencode_is_byte_exact,
         test_golden_stream_decodes_as_one_buffer) = golden_tests(rtnl.SCHEMAS, "rule", C.RTM_NEWRULE)
    """
    cases = params(kind, width)

    @pytest.mark.parametrize("entry", cases)
    def decode_matches_expect(entry):
        msg = decode(schemas, entry)
        if msg.type != msg_type:
            pytest.fail("message type %d, not %d" % (msg.type, msg_type))
        got = expected_view(msg, entry["expect"])
        wrong = {path: (got[path], want) for path, want in entry["expect"].items() if got[path] != want}
        if wrong:
            pytest.fail("decoded vs expected: %r" % (wrong,))

    @pytest.mark.parametrize("entry", cases)
    def reencode_is_byte_exact(entry):
        check_reencode_is_byte_exact(schemas, entry)

    def stream_decodes_as_one_buffer():
        entries = load(kind)
        if len(decode_stream(schemas, entries)) != len(entries):
            pytest.fail("one buffer of %d messages did not decode to %d" % (len(entries), len(entries)))

    return decode_matches_expect, reencode_is_byte_exact, stream_decodes_as_one_buffer
