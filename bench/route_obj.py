# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A light route object for the benchmarks.

Placeholder until the engine's real route object exists: the benchmark
needs *some* object per route so that "decoded to objects" costs what a
caller would pay (one small allocation per route), not just the decode.
"""

RT_TABLE_COMPAT = 252


class BenchRoute:
    __slots__ = ("dst", "dst_len", "gateway", "oif", "table", "protocol",
                 "priority", "type", "scope")

    def __init__(self, dst, dst_len, gateway, oif, table, protocol, priority, type, scope):
        self.dst = dst
        self.dst_len = dst_len
        self.gateway = gateway
        self.oif = oif
        self.table = table
        self.protocol = protocol
        self.priority = priority
        self.type = type
        self.scope = scope

    def __repr__(self):
        return "BenchRoute(%s/%s via %s oif %s table %s proto %s metric %s)" % (
            self.dst, self.dst_len, self.gateway, self.oif, self.table,
            self.protocol, self.priority)


def route_from_msg(msg):
    """dump() factory: Message -> BenchRoute.  RTA_TABLE (32-bit) wins over
    rtm_table, which only holds tables < 256."""
    h = msg.header
    a = msg.attrs
    get = a.get
    return BenchRoute(get("dst"), h["dst_len"], get("gateway"), get("oif"),
                      get("table", h["table"]), h["protocol"], get("priority"),
                      h["type"], h["scope"])
