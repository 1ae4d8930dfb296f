"""Golden bytes captured from a real kernel (golden/capture.py): every link,
address and route message decodes to the values the ``ip`` command that made
it implies, and re-encodes to the very same bytes."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import decode_messages
from ansible_collections.netlink.host.tests.unit.netlink import golden_check as G
from ansible_collections.netlink.host.tests.unit.netlink.golden.capture_common import get_path

KINDS = ("link", "addr", "route")
CASES = [p for kind in KINDS for p in G.params(kind, with_kind=True)]


def test_golden_files_cover_every_kind():
    counts = {kind: len(G.load(kind)) for kind in KINDS}
    assert counts["link"] >= 10 and counts["addr"] >= 5 and counts["route"] >= 15, counts
    kinds = {get_path({"attrs": G.decode(rtnl.SCHEMAS, e).attrs}, "attrs.linkinfo.kind")
             for e in G.load("link") if "attrs.linkinfo.kind" in e["expect"]}
    assert {"bridge", "veth", "macvlan", "macvtap", "vxlan", "ifb", "tun"} <= kinds


@pytest.mark.parametrize("kind,entry", CASES)
def test_decode_matches_expect(kind, entry):
    msg = G.decode(rtnl.SCHEMAS, entry)
    assert rtnl.SCHEMAS[msg.type] is {"link": rtnl.LINK, "addr": rtnl.ADDR, "route": rtnl.ROUTE}[kind]
    assert G.expected_view(msg, entry["expect"]) == entry["expect"]


@pytest.mark.parametrize("kind,entry", CASES)
def test_reencode_is_byte_exact(kind, entry):
    G.check_reencode_is_byte_exact(rtnl.SCHEMAS, entry)


@pytest.mark.parametrize("kind,entry", CASES)
def test_decode_of_reencoded_is_equal(kind, entry):
    msg = G.decode(rtnl.SCHEMAS, entry)
    (again,) = decode_messages(rtnl.SCHEMAS, G.reencode(rtnl.SCHEMAS, msg))
    assert (again.header, again.attrs) == (msg.header, msg.attrs)


def test_golden_stream_decodes_as_one_buffer():
    """All messages of a kind back to back, as one recv() would give them."""
    for kind in KINDS:
        entries = G.load(kind)
        assert len(G.decode_stream(rtnl.SCHEMAS, entries)) == len(entries)
