"""Capture golden neighbour (RTM_NEWNEIGH) messages from the running kernel.
Rerunnable; needs root.  From the repository root:

    python3 tests/unit/netlink/golden/capture_neigh.py          # writes neigh.json
    python3 tests/unit/netlink/golden/capture_neigh.py --check  # capture, compare, write nothing

Same method and format as capture.py: in a throwaway namespace
``nltest-cap-<random>`` (always deleted) it runs the ``ip neigh``
commands below, dumps the neighbour tables (RTM_GETNEIGH, every family)
and the proxy tables (the same dump with NTF_PROXY in ndm_flags) on its
OWN AF_NETLINK socket, and keeps for each step the one reply matching its
``expect``.  The bridge FDB (family AF_BRIDGE) is nl_fdb's.
"""
from __future__ import print_function

import sys

try:  # loaded by path with the collection importable
    from ansible_collections.netlink.host.tests.unit.netlink.golden import capture_common as common
except ImportError:  # run as a script: capture_common.py sits next to this file
    import capture_common as common

AF_INET, AF_INET6 = 2, 10
NTF_PROXY, NTF_EXT_LEARNED, NTF_ROUTER = 0x08, 0x10, 0x80

SETUP = [
    ("link add nb0 type veth peer name nb1", None, {}),
    ("link set nb0 up", None, {}),
    ("link set nb1 up", None, {}),
]

NEIGH_SCENARIO = SETUP + [
    ("neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 dev nb0 nud permanent", "neigh", {
        "header.family": AF_INET, "header.state": 0x80, "header.flags": 0,
        "attrs.dst": "192.0.2.1", "attrs.lladdr": "02:00:00:00:00:01", "attrs.protocol": "<missing>",
    }),
    ("neigh add 192.0.2.2 lladdr 02:00:00:00:00:02 dev nb0 nud noarp protocol static", "neigh", {
        "header.family": AF_INET, "header.state": 0x40, "attrs.dst": "192.0.2.2",
        "attrs.lladdr": "02:00:00:00:00:02", "attrs.protocol": 4,
    }),
    ("neigh add 192.0.2.3 lladdr 02:00:00:00:00:03 dev nb0 nud stale extern_learn protocol 99", "neigh", {
        "header.state": 0x04, "header.flags": NTF_EXT_LEARNED, "attrs.dst": "192.0.2.3",
        "attrs.protocol": 99,
    }),
    ("neigh add 192.0.2.4 lladdr 02:00:00:00:00:04 dev nb0 nud permanent router", "neigh", {
        "header.state": 0x80, "header.flags": NTF_ROUTER, "attrs.dst": "192.0.2.4",
    }),
    ("neigh add 2001:db8::1 lladdr 02:00:00:00:00:11 dev nb0 nud permanent router protocol static", "neigh", {
        "header.family": AF_INET6, "header.state": 0x80, "header.flags": NTF_ROUTER,
        "attrs.dst": "2001:db8::1", "attrs.lladdr": "02:00:00:00:00:11", "attrs.protocol": 4,
    }),
    ("neigh add 2001:db8::2 lladdr 02:00:00:00:00:12 dev nb0 nud noarp", "neigh", {
        "header.family": AF_INET6, "header.state": 0x40, "attrs.dst": "2001:db8::2",
    }),
]

PROXY_SCENARIO = [
    ("neigh add proxy 2001:db8::10 dev nb0 protocol static", "neigh_proxy", {
        "header.family": AF_INET6, "header.state": 0, "header.flags": NTF_PROXY,
        "attrs.dst": "2001:db8::10", "attrs.protocol": 4, "attrs.lladdr": "<missing>",
    }),
    ("neigh add proxy 192.0.2.10 dev nb0 router", "neigh_proxy", {
        "header.family": AF_INET, "header.flags": NTF_PROXY | NTF_ROUTER, "attrs.dst": "192.0.2.10",
    }),
]

SCENARIOS = {"neigh": NEIGH_SCENARIO, "neigh_proxy": PROXY_SCENARIO}


def capture():
    """Run the scenario in a throwaway namespace; return ({"neigh": entries}, problems)."""
    common.setup_import_path()
    from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C, rtnl

    with common.throwaway_netns() as netns:
        for scenario in SCENARIOS.values():
            common.run_commands(netns, scenario)
        dumps = {
            "neigh": (rtnl.SCHEMAS, common.raw_dump(netns, C.NETLINK_ROUTE, rtnl.SCHEMAS, C.RTM_GETNEIGH,
                                                    {"family": C.AF_UNSPEC})),
            "neigh_proxy": (rtnl.SCHEMAS, common.raw_dump(netns, C.NETLINK_ROUTE, rtnl.SCHEMAS, C.RTM_GETNEIGH,
                                                          {"family": C.AF_UNSPEC, "flags": NTF_PROXY})),
        }
        out, problems = common.pick_all(dumps, SCENARIOS)
    # one golden file: the proxy entries after the others
    return {"neigh": out.get("neigh", []) + out.get("neigh_proxy", [])}, problems


if __name__ == "__main__":
    sys.exit(common.main(__doc__, capture))
