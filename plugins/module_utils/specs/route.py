# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""nl_route's argument spec, here rather than in the module file so that the
host program (host_cli/) validates a saved state with exactly the options,
types and choices the module does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from .common import common_options, gathered_file_options

METRIC_INTS = ("mtu", "advmss", "window", "rtt", "rttvar", "ssthresh", "cwnd", "reordering", "hoplimit",
               "initcwnd", "initrwnd", "rto_min")
ROUTE_TYPES = ["unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit",
               "throw", "nat", "xresolve"]


def argument_spec():
    spec = dict(
        routes=dict(type="list", elements="raw"),
        dst=dict(type="str"),
        gateway=dict(type="str"),
        dev=dict(type="str"),
        src=dict(type="str"),
        metric=dict(type="int"),
        table=dict(type="str"),
        protocol=dict(type="str"),
        scope=dict(type="str"),
        type=dict(type="str", choices=ROUTE_TYPES),
        tos=dict(type="int"),
        onlink=dict(type="bool"),
        pref=dict(type="str", choices=["low", "medium", "high"]),
        expires=dict(type="int"),
        nhid=dict(type="int"),
        nexthops=dict(type="list", elements="dict", options=dict(
            gateway=dict(type="str"),
            dev=dict(type="str"),
            weight=dict(type="int", default=1),
            onlink=dict(type="bool"),
        )),
        family=dict(type="str"),
        quickack=dict(type="bool"),
        fastopen_no_cookie=dict(type="bool"),
        congctl=dict(type="str"),
        features=dict(type="list", elements="str"),
        lock=dict(type="list", elements="str"),
        state=dict(type="str", default="present", choices=["present", "absent", "replaced", "gathered"]),
    )
    spec.update((name, dict(type="int")) for name in METRIC_INTS)
    spec.update(common_options())
    spec.update(gathered_file_options())
    return spec
