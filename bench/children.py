# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One measurement per process: ``python children.py MODE ARGS...``.

run.py starts one child per measurement so that the child's peak RSS
(ru_maxrss, read by the parent with wait4) belongs to that reader alone.
The child times its own work (socket open .. result in hand, imports and
interpreter start excluded) and prints one JSON line
``{"seconds": S, "cpu": C, "count": N}``.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

AF_INET = 2
RTM_NEWROUTE = 24
RTM_GETROUTE = 26
NLM_F_EXCL = 0x200
NLM_F_CREATE = 0x400
RT_TABLE_COMPAT = 252


def _table_filter(table):
    """rtm_table holds 8 bits; a bigger table goes in RTA_TABLE (and the
    header says RT_TABLE_COMPAT, as iproute2 does)."""
    if table < 256:
        return table, {}
    return RT_TABLE_COMPAT, {"table": table}


def _start():
    return time.perf_counter(), time.process_time()


def _stop(t0):
    """(wall, CPU) seconds since _start(): CPU (user + system of this
    process) is what the work cost, whatever else the machine was doing."""
    return time.perf_counter() - t0[0], time.process_time() - t0[1]


# -- this library --------------------------------------------------------------

def ours_dump(netns):
    common.use_collection()
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket
    from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import SCHEMAS
    from ansible_collections.netlink.host.plugins.module_utils.netlink import schema
    from route_obj import route_from_msg
    if os.environ.get("NLBENCH_NO_LAYOUTS"):
        # history.py: measure the attribute walk alone (no remembered shapes)
        schema._MAX_LENGTHS = 0
        schema._MAX_LAYOUTS = 0  # its name in 739bf6e..8de050c
    t0 = _start()
    with NetlinkSocket(0, SCHEMAS, netns=netns) as s:
        routes = s.dump(RTM_GETROUTE, {"family": AF_INET}, factory=route_from_msg)
    return _stop(t0), len(routes), routes


def ours_filtered(netns, table, proto):
    common.use_collection()
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket
    from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import SCHEMAS
    from route_obj import route_from_msg
    t0 = _start()
    htable, attrs = _table_filter(int(table))
    with NetlinkSocket(0, SCHEMAS, netns=netns) as s:
        routes = s.dump(RTM_GETROUTE, {"family": AF_INET, "table": htable, "protocol": int(proto)},
                        attrs, factory=route_from_msg)
    return _stop(t0), len(routes), routes


def ours_add(netns, table, n, ifindex):
    common.use_collection()
    from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket, Request
    from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import SCHEMAS
    table, ifindex = int(table), int(ifindex)
    specs = common.add_routes(int(n))
    t0 = _start()
    htable, tattrs = _table_filter(table)
    reqs = []
    for dst, gw in specs:
        attrs = {"dst": dst, "gateway": gw, "oif": ifindex}
        attrs.update(tattrs)
        reqs.append(Request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
                            {"family": AF_INET, "dst_len": 24, "table": htable,
                             "protocol": common.RTPROT_STATIC, "scope": 0, "type": 1},
                            attrs, label="ip route add %s/24 via %s" % (dst, gw)))
    with NetlinkSocket(0, SCHEMAS, netns=netns) as s:
        res = s.batch(reqs)
    elapsed = _stop(t0)
    if not res.ok:
        raise SystemExit("ours_add failed at %s: %s" % (res.failed, res.error))
    return elapsed, len(res.applied), None


# -- pyroute2 ------------------------------------------------------------------

def _ipr(netns, **kw):
    from pyroute2 import IPRoute
    # flags=0: never create the namespace (pyroute2's default O_CREAT would).
    return IPRoute(netns=netns, flags=0, **kw)


def pyroute2_dump(netns):
    t0 = _start()
    ipr = _ipr(netns)
    try:
        routes = ipr.get_routes(family=AF_INET)
    finally:
        ipr.close()
    return _stop(t0), len(routes), routes


def pyroute2_filtered(netns, table, proto):
    t0 = _start()
    # strict_check: let the kernel filter, pyroute2's best case.
    ipr = _ipr(netns, strict_check=True)
    try:
        routes = ipr.get_routes(family=AF_INET, table=int(table), proto=int(proto))
    finally:
        ipr.close()
    return _stop(t0), len(routes), routes


def pyroute2_add(netns, table, n, ifindex):
    table, ifindex = int(table), int(ifindex)
    specs = common.add_routes(int(n))
    t0 = _start()
    ipr = _ipr(netns)
    try:
        for dst, gw in specs:
            ipr.route("add", dst=dst, dst_len=24, gateway=gw, oif=ifindex,
                      table=table, proto="static")
    finally:
        ipr.close()
    return _stop(t0), len(specs), None


MODES = {f.__name__: f for f in (ours_dump, ours_filtered, ours_add,
                                 pyroute2_dump, pyroute2_filtered, pyroute2_add)}


def main(argv):
    mode = argv[1]
    if mode == "pyroute2_version":
        import pyroute2
        print(json.dumps({"version": pyroute2.__version__}))
        return
    (seconds, cpu), count, _keep = MODES[mode](*argv[2:])
    # _keep stays referenced until here: the result is alive at its peak,
    # as it would be for a real caller.
    print(json.dumps({"seconds": seconds, "cpu": cpu, "count": count}))


if __name__ == "__main__":
    main(sys.argv)
