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
import contextlib
import json
import os
import sys
import tempfile
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


# -- nl_route (the module and its task) -------------------------------------------

def _nl_route_main():
    """Imported before the clock starts, as for the other contenders."""
    common.use_collection()
    from ansible.module_utils.testing import patch_module_args
    from ansible_collections.netlink.host.plugins.modules import nl_route
    return patch_module_args, nl_route


def _run_nl_route(imported, args, out):
    """nl_route in-process, as Ansible runs a module (argument parsing and
    exit_json included), its JSON result written to the file ``out``."""
    _run_module(imported, args, out, imported[1].main)


def _run_module(imported, args, out, main):
    patch_module_args = imported[0]
    args = dict(args, _ansible_check_mode=False, _ansible_diff=False)
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit:
            pass


def ours_route_read(netns, n):
    """The netlink read of a task managing the n static routes of
    common.static_task(): what nl_route reads before it plans."""
    common.use_collection()
    from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask
    params = {"routes": common.static_task(int(n)), "state": "present"}
    task = RouteTask()
    desired = task.desired(params)
    t0 = _start()
    with common.kernel_context()(netns) as ctx:
        current = task.current(ctx, desired, params, *common.run_mode())
    return _stop(t0), len(current), current


def pyroute2_route_read(netns, n):
    t0 = _start()
    ipr = _ipr(netns, strict_check=True)
    try:
        routes = ipr.get_routes(family=AF_INET, table=254, proto=common.RTPROT_STATIC)
    finally:
        ipr.close()
    return _stop(t0), len(routes), routes


def ours_route_gathered(netns):
    """nl_route state=gathered of the main table (IPv4), whole module run;
    the result goes to a file, counted after the clock stops."""
    imported = _nl_route_main()
    with tempfile.TemporaryFile("w+") as out:
        t0 = _start()
        _run_nl_route(imported, {"state": "gathered", "table": "main", "family": "4", "netns": netns}, out)
        elapsed = _stop(t0)
        out.seek(0)
        count = sum(chunk.count('"dst"') for chunk in iter(lambda: out.read(1 << 20), ""))
    return elapsed, count, None


def _timed_nl_route(args):
    """nl_route in-process with ``args``: (seconds, cpu) of the whole module
    run, and its result (parsed after the clock stops)."""
    imported = _nl_route_main()
    with tempfile.TemporaryFile("w+") as out:
        t0 = _start()
        _run_nl_route(imported, args, out)
        elapsed = _stop(t0)
        out.seek(0)
        text = out.read()
    result = json.loads(text[text.rfind("\n{") + 1:])
    if result.get("failed"):
        raise SystemExit("nl_route failed: %s" % result.get("msg"))
    return elapsed, result


def ours_route_gathered_file(netns):
    """nl_route state=gathered of the main table (IPv4) with gathered_file:
    the whole module run, writing a fresh file (as ``ip -j route show``
    writes its output); counts what the result says was written."""
    with tempfile.TemporaryDirectory() as tmp:
        elapsed, result = _timed_nl_route({"state": "gathered", "table": "main", "family": "4", "netns": netns,
                                           "gathered_file": os.path.join(tmp, "routes.json")})
    return elapsed, result["gathered_count"], None


def ours_route_gather_task(netns, family="4"):
    """The task's part of state=gathered (kernel-filtered dump, decode,
    input format), without Ansible's exit_json (which walks and copies
    every value of the result for no_log masking and data tags)."""
    common.use_collection()
    from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask
    task = RouteTask()
    t0 = _start()
    with common.kernel_context()(netns) as ctx:
        found = task.gather(ctx, {"state": "gathered", "table": "main", "family": family})
    return _stop(t0), len(found), found


def ours_route_task(netns, table, n):
    """One nl_route task with n routes (first apply or rerun): whole module
    run; prints write_requests as the count."""
    args = {"table": int(table), "dev": common.DEV, "netns": netns,
            "routes": [{"dst": "%s/24" % dst, "gateway": gw} for dst, gw in common.add_routes(int(n))]}
    elapsed, result = _timed_nl_route(args)
    return elapsed, result["write_requests"], None


def noop_route_task(netns, table, n):
    """Ansible's part of ours_route_task: nl_route's AnsibleModule (its
    argument spec checking the same n routes) and exit_json(changed=False)
    at once; nothing read, nothing returned but the invocation.  Counts
    0."""
    _patch, nl_route = imported = _nl_route_main()
    args = {"table": int(table), "dev": common.DEV, "netns": netns,
            "routes": [{"dst": "%s/24" % dst, "gateway": gw} for dst, gw in common.add_routes(int(n))]}

    def noop():
        nl_route.build_module().exit_json(changed=False)
    with tempfile.TemporaryFile("w+") as out:
        t0 = _start()
        _run_module(imported, args, out, noop)
        elapsed = _stop(t0)
    return elapsed, 0, None


def exit_json_floor(netns, n):
    """What Ansible's exit_json alone costs for a gathered result of n
    routes: an AnsibleModule without options returning n flat dicts of
    four strings (the shape of a gathered bgp route), built before the
    clock starts.  No kernel, no nl_route."""
    common.use_collection()
    from ansible.module_utils.basic import AnsibleModule
    from ansible.module_utils.testing import patch_module_args
    routes = [{"dst": "%s/24" % dst, "gateway": gw, "dev": common.DEV, "protocol": "bgp"}
              for dst, gw in common.full_table_routes(int(n))]

    def main():
        AnsibleModule(argument_spec={}).exit_json(changed=False, gathered=routes)
    with tempfile.TemporaryFile("w+") as out:
        t0 = _start()
        _run_module((patch_module_args, None), {}, out, main)
        elapsed = _stop(t0)
    return elapsed, len(routes), None


MODES = {f.__name__: f for f in (ours_dump, ours_filtered, ours_add,
                                 pyroute2_dump, pyroute2_filtered, pyroute2_add,
                                 ours_route_read, pyroute2_route_read, ours_route_gathered,
                                 ours_route_gather_task, ours_route_gathered_file, ours_route_task, noop_route_task,
                                 exit_json_floor)}


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
