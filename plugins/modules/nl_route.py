#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_route
short_description: Manage IPv4 and IPv6 routes over netlink
version_added: "0.2.0"
description:
  - Adds, changes and removes routes in any routing table, or lists them,
    by speaking rtnetlink to the kernel.
  - "Equivalent to C(ip route add|append|replace|del [TYPE] DST [table T] [metric M]
    [proto P] [scope S] [via GW] [dev DEV] [src SRC] [nexthop ...] [nhid N]
    [mtu [lock] N] ...); the RV(commands) it returns are those lines."
  - A route is identified as the kernel identifies it, by family, table,
    destination (O(dst)), O(tos) and O(metric). Everything else (gateway,
    device, next hops, type, scope, source, metrics, preference) is changed
    in place with one C(NLM_F_REPLACE) request (C(ip route replace)), never
    by delete and add.
  - IPv6 routes through a device alone (O(dev) and no O(gateway), O(nexthops)
    or O(nhid)) that differ only by device are separate routes, as in the
    kernel - O(dev) is part of their identity. They are added with
    C(ip -6 route append) and changed by a delete and append of that exact
    route (a replace could hit another device's route); see docs/routes.md.
  - The module manages routes of one routing protocol at a time, by default
    V(static), the collection's own (see O(protocol)). It reads the routes
    of the tables and protocols the task names with a dump the kernel
    filters, so a task managing a few static routes beside a full Internet
    table of V(bgp) routes reads only its own.
  - A route of another protocol with the same identity is not taken over -
    adding the route then fails with the kernel's C(File exists), and the
    task changes nothing.
  - With O(state=replaced), for each table the task names, the V(static)
    routes not listed are removed. Routes of every other protocol (V(kernel),
    V(boot), V(dhcp), V(ra), V(bird), V(bgp), V(zebra), ...) are never
    removed.
  - A route the kernel holds with encapsulation (C(RTA_ENCAP) - mpls,
    seg6, ip, ...) cannot be described with this module's options. Changing
    such a route would strip its encapsulation, so the module refuses and
    says why. It can remove it (O(state=absent), O(state=replaced)), and an
    undo brings it back with its encapsulation.
  - RV(gathered) names such a route's encapsulation type in C(encap). Fed
    back in O(routes), an item with C(encap) matches the route the kernel
    holds with that encapsulation (no change); one the kernel does not hold
    so (missing, or another or no encapsulation) fails, saying so, as the
    module cannot make it.
  - See the collection's C(docs/routes.md) for a guide.
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
  - netlink.host.gathered_file
options:
  routes:
    description:
      - Several routes in one task (one filtered read per table and
        protocol, one batch of requests).
      - Each item is a dict with the keys O(dst), O(gateway), O(dev),
        O(src), O(metric), O(table), O(protocol), O(scope), O(type),
        O(tos), O(onlink), O(pref), O(expires), O(nhid), O(nexthops),
        O(family), the route metrics (O(mtu), O(advmss), ...), O(lock),
        and C(state) (V(present) or V(absent), for this item only), with
        the meaning of the top-level options; or a destination string
        (C(10.0.0.0/8) alone is a route to remove with O(state=absent)).
      - The route metrics may also be given as one C(metrics) dict with
        the object format of RV(routes) (C(cc_algo) for O(congctl)), so
        RV(routes) and RV(gathered) can be fed back as input.
      - Top-level O(dev), O(table), O(protocol), O(metric), O(type),
        O(scope), O(src), O(onlink), O(pref), O(expires), O(family),
        metrics and O(lock) are defaults for every item that does not set
        the same key.
      - Mutually exclusive with O(dst).
    type: list
    elements: raw
  dst:
    description:
      - The destination, V(default), C(ADDRESS/PREFIXLEN) or C(ADDRESS) (a
        host route, /32 or /128). Host bits must be zero.
      - The family (IPv4 or IPv6) follows from it; for V(default) from
        O(gateway), else O(family).
    type: str
  gateway:
    description:
      - The next hop's address (C(RTA_GATEWAY); C(via)). An IPv4 route may
        go via an IPv6 gateway (C(RTA_VIA)).
    type: str
  dev:
    description:
      - The output device (C(RTA_OIF)).
      - With O(state=gathered), lists only the routes through this device.
      - Not given, a route's device is not compared (the kernel picks it
        from the gateway).
      - A device that does not exist (here or in O(nexthops[].dev)) fails the task before anything is
        sent; in check mode it gets a warning instead, as an earlier task of the play may create it, and the
        route is planned as if it did.
    type: str
  src:
    description:
      - The preferred source address (C(RTA_PREFSRC); C(src)). It must be
        an address of this host.
    type: str
  metric:
    description:
      - The route's priority (C(RTA_PRIORITY)), part of its identity.
      - Default V(0) for IPv4; the kernel's V(1024) for IPv6 (V(0) means
        that too).
    type: int
  table:
    description:
      - The routing table, a number (1 to 4294967295) or a name, V(main)
        (254), V(local) (255), V(default) (253) or a name from the host's
        C(/etc/iproute2/rt_tables) and C(rt_tables.d/*.conf) (resolved
        when the task is validated).
      - Default V(main); V(local) for O(type=local), V(broadcast) and
        V(anycast) (as C(ip route add) does).
      - With O(state=replaced), names a table whose V(static) routes the
        task owns even when O(routes) lists none of it.
      - With O(state=gathered), lists only this table (default every
        table).
    type: str
  protocol:
    description:
      - The routing protocol that owns the route (C(rtm_protocol); C(proto)),
        a number 0-255 or a name (V(static), V(boot), V(kernel), V(dhcp),
        V(bird), V(bgp), ... or from the host's C(rt_protos)).
      - Default V(static), which marks a route as this collection's own.
        A task reads, changes and removes only routes of the protocols it
        names.
      - With O(state=gathered), lists only routes of this protocol.
    type: str
  scope:
    description:
      - IPv4 only. V(global), V(site), V(link), V(host), V(nowhere) or a
        number 0-255.
      - Default as C(ip route add) gives it - V(host) for V(local) routes,
        V(link) for V(broadcast), V(anycast) and for a route with a device
        and no gateway, else V(global).
    type: str
  type:
    description:
      - The route type. V(unicast) needs O(gateway), O(dev), O(nexthops)
        or O(nhid); V(blackhole), V(unreachable), V(prohibit) and V(throw)
        take none of them; V(local), V(broadcast), V(anycast) and
        V(multicast) need O(dev).
      - Not given, V(unicast).
    type: str
    choices: [unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit, throw, nat, xresolve]
  tos:
    description:
      - IPv4 only. The type-of-service (DSCP) the route matches, 0-255;
        part of its identity.
    type: int
  onlink:
    description:
      - Use O(gateway) as if it were on the link, even when no address
        of the device covers it (C(RTNH_F_ONLINK)).
    type: bool
  pref:
    description:
      - IPv6 only. The router preference (C(RTA_PREF)).
      - Not given, not compared.
    type: str
    choices: [low, medium, high]
  expires:
    description:
      - IPv6 only. The route expires after this many seconds (C(RTA_EXPIRES)).
      - The kernel counts it down and cannot tell what it was set to, so a
        route that already expires within O(expires) seconds is left as it
        is (a second run changes nothing and does not restart the count);
        a permanent route, or one expiring later, is replaced.
    type: int
  nhid:
    description:
      - Route through the kernel nexthop object with this id (C(ip nexthop),
        C(RTA_NH_ID)). Excludes O(gateway), O(dev), O(onlink) and O(nexthops).
    type: int
  nexthops:
    description:
      - A multipath route (C(RTA_MULTIPATH)), one entry per next hop.
      - The next hops are compared as a set, in any order. An IPv6
        multipath route is compared the same whether the kernel reports it
        as one route with next hops or as sibling routes.
      - A single entry makes a plain route (the kernel keeps it as one).
    type: list
    elements: dict
    suboptions:
      gateway:
        description: The next hop's address.
        type: str
      dev:
        description: Its device. Not given, not compared.
        type: str
      weight:
        description: Its weight, 1-256.
        type: int
        default: 1
      onlink:
        description: The gateway is on the link (C(RTNH_F_ONLINK)).
        type: bool
  family:
    description:
      - V(4) (V(inet)) or V(6) (V(inet6)). Needed only for an O(dst=default)
        route without a gateway (default V(4)).
      - With O(state=gathered), lists only this family.
    type: str
  mtu:
    description: Path MTU of the route (C(RTAX_MTU)).
    type: int
  advmss:
    description: TCP maximum segment size to advertise (C(RTAX_ADVMSS)).
    type: int
  window:
    description: Maximum TCP window (C(RTAX_WINDOW)).
    type: int
  rtt:
    description:
      - Initial TCP round-trip time estimate (C(RTAX_RTT)), in the kernel's unit of 1/8 ms (C(ip route ... rtt 100ms)
        is V(800)).
    type: int
  rttvar:
    description: Initial TCP RTT variance (C(RTAX_RTTVAR)), in the kernel's unit of 1/4 ms (C(rttvar 100ms) is V(400)).
    type: int
  ssthresh:
    description: Initial TCP slow-start threshold (C(RTAX_SSTHRESH)).
    type: int
  cwnd:
    description: TCP congestion window clamp (C(RTAX_CWND)), used only when locked.
    type: int
  reordering:
    description: TCP reordering tolerance (C(RTAX_REORDERING)).
    type: int
  hoplimit:
    description: Hop limit (TTL) of packets sent on the route, 1-255 (C(RTAX_HOPLIMIT)).
    type: int
  initcwnd:
    description: Initial TCP congestion window (C(RTAX_INITCWND)).
    type: int
  initrwnd:
    description: Initial TCP receive window (C(RTAX_INITRWND)).
    type: int
  rto_min:
    description:
      - Minimum TCP retransmission timeout in milliseconds (C(RTAX_RTO_MIN)).
      - Always locked (the kernel uses it only locked, as C(ip) sends it);
        never listed in O(lock).
    type: int
  quickack:
    description: TCP quick ack mode (C(RTAX_QUICKACK)).
    type: bool
  fastopen_no_cookie:
    description: TCP Fast Open without a cookie (C(RTAX_FASTOPEN_NO_COOKIE)).
    type: bool
  congctl:
    description: TCP congestion control algorithm of the route (C(RTAX_CC_ALGO)), e.g. C(reno), C(cubic).
    type: str
  features:
    description: Route features; the kernel accepts only V(ecn) (C(RTAX_FEATURES)).
    type: list
    elements: str
  lock:
    description:
      - Metrics to lock (C(RTAX_LOCK); C(ip route ... mtu lock N)), by
        option name, e.g. V(mtu). A locked metric is not changed by the
        kernel (no path MTU discovery below O(mtu)). Each must be given.
      - Not given, the locks are not compared.
    type: list
    elements: str
  state:
    description:
      - V(present) - the routes exist with the given settings. Settings
        not given are left as they are (the path - O(gateway), O(dev),
        O(nexthops), O(nhid) - is given and replaced as a whole).
      - V(absent) - the routes (by identity, in their O(protocol), default
        V(static)) do not exist. Other settings are not needed.
      - V(replaced) - V(present) for the listed routes, and for each table
        the task names (those of O(routes), and O(table)), the V(static)
        routes not listed are removed. Routes of other protocols stay. A
        listed route whose metric differs from that of a removed one is
        added and the old one deleted; the diff says so.
      - V(gathered) - changes no route; returns the routes in RV(gathered)
        (or writes them to O(gathered_file)), filtered by O(table),
        O(protocol), O(dev) and O(family).
    type: str
    choices: [present, absent, replaced, gathered]
    default: present
notes:
  - Reads one dump per family, table and protocol, filtered by the kernel
    (C(NETLINK_GET_STRICT_CHK)); O(state=gathered) one per family.
seealso:
  - name: ip-route(8)
    description: The iproute2 command this module's C(commands) are written in.
    link: https://man7.org/linux/man-pages/man8/ip-route.8.html
  - module: netlink.host.nl_addr
'''

EXAMPLES = r'''
- name: One route (ad hoc - ansible HOST -m netlink.host.nl_route -a 'dst=10.0.0.0/8 gateway=192.0.2.254')
  netlink.host.nl_route:
    dst: 10.0.0.0/8
    gateway: 192.0.2.254

- name: Several routes in one task, IPv4 and IPv6, with metrics
  netlink.host.nl_route:
    dev: veth0
    routes:
      - dst: 198.51.100.0/24
        gateway: 192.0.2.254
        metric: 100
        mtu: 1400
        lock: [mtu]
      - dst: 2001:db8:100::/48
        gateway: 2001:db8::fe
        pref: high
      - dst: 203.0.113.0/24
        type: blackhole

- name: An ECMP route over two gateways
  netlink.host.nl_route:
    dst: 172.16.0.0/12
    nexthops:
      - {gateway: 192.0.2.253, weight: 2}
      - {gateway: 192.0.2.254}

- name: A default route in another table
  netlink.host.nl_route:
    dst: default
    gateway: 192.0.2.1
    table: 100

- name: Exactly these static routes in table 100 (other protocols' routes stay)
  netlink.host.nl_route:
    state: replaced
    table: 100
    routes:
      - {dst: default, gateway: 192.0.2.1}
      - {dst: 10.10.0.0/16, type: unreachable}

- name: Remove a route
  netlink.host.nl_route:
    dst: 198.51.100.0/24
    metric: 100
    state: absent

- name: List the static routes of the main table
  netlink.host.nl_route:
    state: gathered
    table: main
    protocol: static
  register: static_routes

- name: Fed back as routes, gathered output changes nothing
  netlink.host.nl_route:
    routes: "{{ static_routes.gathered }}"

- name: Save the whole IPv4 table (a full BGP feed) to a file on the host
  netlink.host.nl_route:
    state: gathered
    family: 4
    gathered_file: /var/tmp/routes-v4.json
'''

RETURN = r'''
# BEGIN generated (confirm) version_added=0.2.0
confirm_id:
  description:
    - With O(confirm_timeout), when the task changed something (not in
      check mode), the id of its pending record; pass it to
      M(netlink.host.nl_confirm), as one of its C(ids), to keep the change.
  returned: when confirm_timeout is set and something changed
  type: str
  sample: 20261130T081257917872Z-465ebb
  version_added: "0.2.0"
confirm_deadline:
  description: With RV(confirm_id), when the change rolls back unless confirmed (UTC, ISO 8601).
  returned: when confirm_timeout is set and something changed
  type: str
  sample: "2026-11-30T08:13:00Z"
  version_added: "0.2.0"
# END generated (confirm)
# BEGIN generated (apply)
write_requests:
  description:
    - Number of netlink write requests sent (V(0) when nothing changed, and always in check mode).
    - When the kernel refuses a request, the undo's requests count too.
  returned: unless state is gathered
  type: int
  sample: 1
undone:
  description:
    - When the kernel refused a request, whether everything the task had already changed was restored exactly, as read
      back after the undo.
    - V(false) whenever anything in RV(undo_failures) is listed.
  returned: when the kernel refused a request
  type: bool
  sample: true
undo_failures:
  description:
    - One entry per route the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(route)).
      type: str
    key:
      description: The route's identity (family, table, dst, tos, metric; for IPv6 also the source prefix, and the
        device of a route through a device alone).
      type: list
    command:
      description: The iproute2 command that would restore it.
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "route", "key": [4, 254, "10.0.0.0/8", 0, 0], "command": "ip route add 10.0.0.0/8 proto static via 192.0.2.254",
            "reason": "the kernel refused it: Network is unreachable"}]
# END generated (apply)
routes:
  description:
    - The managed routes after the run (in check mode, as they would be),
      with every field, in the object format (C(metrics) as one dict).
  returned: unless state is gathered
  type: list
  elements: dict
  sample:
    - family: 4
      dst: 10.0.0.0/8
      table: main
      tos: 0
      metric: 0
      type: unicast
      protocol: static
      scope: global
      gateway: 192.0.2.254
      dev: veth0
      src: null
      onlink: false
      pref: null
      src_prefix: null
      nhid: null
      nexthops: null
      metrics: null
      expires: null
      encap: null
gathered:
  description:
    - The routes in the module's input format (kernel defaults left out),
      so they can be fed back as O(routes).
    - A route with encapsulation carries C(encap) (its type); fed back, it
      matches that route and changes nothing, but cannot make one.
  returned: state is gathered and O(gathered_file) is not set
  type: list
  elements: dict
  sample:
    - {dst: 10.0.0.0/8, gateway: 192.0.2.254, dev: veth0}
    - {dst: default, family: 6, gateway: "fe80::1", dev: veth0, protocol: ra, pref: high, expires: 1789}
gathered_file:
  description:
    - The file the gathered routes were written to (O(gathered_file)).
  returned: O(gathered_file) is set
  type: str
  sample: /var/tmp/routes.json
  version_added: "0.2.0"
gathered_count:
  description:
    - How many routes were written to O(gathered_file).
  returned: O(gathered_file) is set
  type: int
  sample: 1000000
  version_added: "0.2.0"
diff:
  description:
    - With C(--diff), one before/after entry per changed route; a re-created route says why.
    - When the kernel refuses a request, only the entries of the requests sent until then.
  returned: when diff mode is on and something changed and state is not gathered
  type: list
  elements: dict
commands:
  description:
    - The equivalent iproute2 commands of the requests, applied or (in check mode) planned, in the order they are sent.
    - When the kernel refuses a request, only the requests sent until then, in the order
      sent, the refused one marked (see the notes); RV(undone) says whether what they changed was restored.
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip route add 10.0.0.0/8 proto static via 192.0.2.254"]
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.route import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.route import RouteTask


def build_module():
    return AnsibleModule(
        argument_spec=argument_spec(),
        mutually_exclusive=[("dst", "routes"), ("nhid", "gateway"), ("nhid", "nexthops"), ("gateway", "nexthops")],
        supports_check_mode=True,
    )


def main():
    run(build_module(), RouteTask())


if __name__ == "__main__":
    main()
