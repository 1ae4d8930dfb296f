"""Capture golden nexthop (RTM_NEWNEXTHOP) messages from the running kernel.
Rerunnable; needs root.  From the repository root:

    python3 tests/unit/netlink/golden/capture_nexthop.py          # writes nexthop.json
    python3 tests/unit/netlink/golden/capture_nexthop.py --check  # capture, compare, write nothing

Same method and format as capture.py: in a throwaway namespace
``nltest-cap-<random>`` (always deleted) it runs the ``ip nexthop``
commands below, dumps the nexthop table (RTM_GETNEXTHOP) on its OWN
AF_NETLINK socket, and keeps for each step the one reply matching its
``expect``: every kind of single nexthop, mpath groups with weights and a
resilient group with its timers (the NHA_RES_GROUP nest, u64 pad and all).
"""
from __future__ import print_function

import sys

try:  # loaded by path with the collection importable
    from ansible_collections.netlink.host.tests.unit.netlink.golden import capture_common as common
except ImportError:  # run as a script: capture_common.py sits next to this file
    import capture_common as common

AF_UNSPEC, AF_INET, AF_INET6 = 0, 2, 10
RTNH_F_ONLINK = 4

SETUP = [
    ("link set lo up", None, {}),   # a blackhole nexthop uses the loopback device
    ("link add nh0 type veth peer name nh1", None, {}),
    ("link set nh0 up", None, {}),
    ("link set nh1 up", None, {}),
    ("addr add 192.0.2.10/24 dev nh0", None, {}),
    ("addr add 2001:db8::10/64 dev nh0 nodad", None, {}),
]

NEXTHOP_SCENARIO = SETUP + [
    ("nexthop add id 1 via 192.0.2.1 dev nh0 proto static", "nexthop", {
        "header.family": AF_INET, "header.protocol": 4, "attrs.id": 1, "attrs.gateway": "192.0.2.1",
    }),
    ("nexthop add id 2 via 192.0.2.2 dev nh0", "nexthop", {
        "header.family": AF_INET, "attrs.id": 2, "attrs.gateway": "192.0.2.2",
    }),
    ("nexthop add id 3 dev nh0", "nexthop", {
        "attrs.id": 3, "attrs.gateway": "<missing>", "attrs.blackhole": "<missing>",
    }),
    ("nexthop add id 4 blackhole proto 99", "nexthop", {
        "attrs.id": 4, "attrs.blackhole": True, "header.protocol": 99,
    }),
    ("nexthop add id 5 via 198.51.100.1 dev nh0 onlink", "nexthop", {
        "attrs.id": 5, "header.flags": RTNH_F_ONLINK, "attrs.gateway": "198.51.100.1",
    }),
    ("nexthop add id 6 via 2001:db8::1 dev nh0", "nexthop", {
        "header.family": AF_INET6, "attrs.id": 6, "attrs.gateway": "2001:db8::1",
    }),
    ("nexthop add id 7 via 192.0.2.7 fdb", "nexthop", {
        "attrs.id": 7, "attrs.fdb": True, "attrs.oif": "<missing>",
    }),
    ("nexthop add id 9 via 192.0.2.9 fdb", None, {}),
    ("nexthop add id 8 via 2001:db8::8 fdb", "nexthop", {
        "header.family": AF_INET6, "attrs.id": 8, "attrs.fdb": True,
    }),
    ("nexthop add id 10 group 1/2 proto static", "nexthop", {
        "attrs.id": 10, "attrs.group": [{"id": 1, "weight": 0, "weight_high": 0, "resvd2": 0},
                                        {"id": 2, "weight": 0, "weight_high": 0, "resvd2": 0}],
    }),
    ("nexthop add id 11 group 1,3/2,20 type mpath", "nexthop", {
        "attrs.id": 11, "attrs.group": [{"id": 1, "weight": 2, "weight_high": 0, "resvd2": 0},
                                        {"id": 2, "weight": 19, "weight_high": 0, "resvd2": 0}],
    }),
    ("nexthop add id 12 group 1/2 type resilient buckets 8 idle_timer 60 unbalanced_timer 300", "nexthop", {
        "attrs.id": 12, "attrs.group_type": 1, "attrs.res_group.buckets": 8,
        "attrs.res_group.idle_timer": 6000, "attrs.res_group.unbalanced_timer": 30000,
    }),
    ("nexthop add id 13 group 7/9 fdb", "nexthop", {
        "attrs.id": 13, "attrs.fdb": True,
    }),
]

SCENARIOS = {"nexthop": NEXTHOP_SCENARIO}


def capture():
    """Run the scenario in a throwaway namespace; return ({"nexthop": entries}, problems)."""
    common.setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl

    with common.throwaway_netns() as netns:
        common.run_commands(netns, NEXTHOP_SCENARIO)
        dumps = {"nexthop": (rtnl.SCHEMAS, common.raw_dump(netns, C.NETLINK_ROUTE, rtnl.SCHEMAS, C.RTM_GETNEXTHOP,
                                                           {"family": C.AF_UNSPEC}))}
        return common.pick_all(dumps, SCENARIOS)


if __name__ == "__main__":
    sys.exit(common.main(__doc__, capture))
