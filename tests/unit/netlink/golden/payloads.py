"""The captured messages of the golden files, for the tests that decode
them (test_shape_reader.py, test_route_gather.py)."""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
NLMSGHDR = struct.Struct("=IHHII")
RTM_NEWROUTE = 24


def route_payloads():
    """Each RTM_NEWROUTE of route.json, without its netlink header."""
    with open(os.path.join(HERE, "route.json")) as fh:
        for entry in json.load(fh):
            raw = bytes.fromhex(entry["hex"])
            if NLMSGHDR.unpack_from(raw, 0)[1] == RTM_NEWROUTE:
                yield raw[NLMSGHDR.size:]
