"""The remembered-shape fast path of Body.decode_parts must give exactly what
the full decode gives: on every golden message from the kernel, and on
messages of the same length but another shape (which it must refuse)."""
import copy
import glob
import json
import os
import struct

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import genl, rtnl, xfrm
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import Body

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
NLMSGHDR = struct.Struct("=IHHII")


def fresh(body):
    """A Body with the same declaration and nothing learnt yet."""
    return Body(body.name, body.header, body.attrs)


def slow(body):
    out = fresh(body)
    out._fast_ok = False
    return out


def golden_messages():
    for path in sorted(glob.glob(os.path.join(GOLDEN, "*.json"))):
        # Message type numbers overlap between protocols: the file says which.
        name = os.path.basename(path)
        schemas = xfrm.SCHEMAS if name.startswith("xfrm") else rtnl.SCHEMAS
        with open(path) as fh:
            entries = json.load(fh)
        for i, entry in enumerate(entries):
            raw = bytes.fromhex(entry["hex"])
            mtype = NLMSGHDR.unpack_from(raw, 0)[1]
            if name.startswith("genl"):  # nlctrl: the Body of the message's command
                body = genl.NLCTRL.reply_body().body_for(raw[NLMSGHDR.size])
            else:
                body = schemas[mtype]
            yield pytest.param(raw, body, id="%s-%d" % (name, i))


@pytest.mark.parametrize("raw,body", list(golden_messages()))
def test_fast_path_equals_full_decode_on_golden(raw, body):
    want = slow(body).decode_parts(raw, NLMSGHDR.size, len(raw))
    learner = fresh(body)
    first = learner.decode_parts(raw, NLMSGHDR.size, len(raw))   # learns the shape
    second = learner.decode_parts(raw, NLMSGHDR.size, len(raw))  # may take the fast path
    assert first == want
    assert second == want
    assert list(second[1]) == list(want[1]), "attribute order must be kept"


def test_same_length_other_shape_is_not_misread():
    """A unicast route via a gateway and one with a preferred source have
    the same length; learning one must not decode the other as it."""
    route = rtnl.SCHEMAS[24]
    header = {"family": 2, "dst_len": 24, "table": 254, "protocol": 4, "type": 1}
    via = route.encode_parts(header, {"table": 254, "dst": "10.0.0.0", "gateway": "192.0.2.1", "oif": 2})
    src = route.encode_parts(header, {"table": 254, "dst": "10.0.0.0", "prefsrc": "192.0.2.1", "oif": 2})
    assert len(via) == len(src)
    learner = fresh(route)
    for _round in range(3):
        assert learner.decode_parts(via, 0, len(via))[1]["gateway"] == "192.0.2.1"
    got = learner.decode_parts(src, 0, len(src))[1]
    assert "gateway" not in got and got["prefsrc"] == "192.0.2.1"
    assert got == slow(route).decode_parts(src, 0, len(src))[1]


def test_fast_path_results_are_independent_objects():
    route = rtnl.SCHEMAS[24]
    raw = route.encode_parts({"family": 2, "dst_len": 8, "table": 254, "type": 1},
                             {"table": 254, "dst": "10.0.0.0", "oif": 2})
    learner = fresh(route)
    learner.decode_parts(raw, 0, len(raw))
    a = learner.decode_parts(raw, 0, len(raw))
    b = learner.decode_parts(raw, 0, len(raw))
    keep = copy.deepcopy(b)
    a[1]["dst"] = "changed"
    a[0]["table"] = 1
    assert b == keep
