#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_link
short_description: Manage network links (interfaces) over netlink
version_added: "0.1.0"
description:
  - Creates, configures and deletes Linux network links (bridges, veth
    pairs, bonds, VLANs, macvlans, ipvlans, VXLANs, Geneve, GRE/gretap,
    ip6gre/ip6gretap, ipip, sit and ip6tnl tunnels, XFRM interfaces, VRFs,
    dummies, ifbs) by talking netlink to the kernel, and configures links it
    did not create (a physical NIC) too.
  - The per-type blocks (O(gre), O(vxlan), ...) and O(bridge_port) are
    generated from the link-type table of the collection (C(plugins/module_utils/objects/link_types.py)).
  - Tunnel types (gre, gretap, ip6gre, ip6gretap, ipip, sit, ip6tnl) and xfrm
    interfaces take their whole configuration in each change (the kernel resets
    what a request leaves out), so an update sends every setting the link has,
    including those this module does not expose.
  - One link through the top-level options, or many through O(links);
    either way one dump of the current links and one batch of changes.
  - Changes are made in place (RTM_NEWLINK on the existing link) wherever
    the kernel allows. A setting the kernel cannot change on an existing
    link (its kind, a VLAN id, a VXLAN or Geneve id or port, a VXLAN's
    ttl_inherit, a veth peer, a VRF table, the parent link) fails the task unless O(recreate=true) allows
    deleting and re-creating the link; the diff says so.
  - Parents are created before their children (a bridge before its ports,
    a VLAN's parent before the VLAN) and deleted after them.
  - O(to_netns) moves an existing link into another namespace; what the kernel
    drops with it (addresses, routes, its master) is shown as lost, and an
    undo moves it back and restores it.
  - Before anything changes, the task checks what it can against the links
    that exist. A O(master), a parent O(link) or a O(vxlan.dev) must exist
    or be listed in the same task (with a state other than V(absent)); a
    veth to create needs its O(veth.peer), a free peer name and an existing
    O(veth.peer_netns); an O(mtu) must lie within the device's own limits
    (as the kernel reports them; for a new bridge, veth, macvlan or VXLAN
    68-65535).
  - In check mode a link that is not there, because an earlier task of the
    play creates it, gets a warning instead of the real run's error. A link
    without O(kind) (a veth's peer, for instance) is planned as one with
    nothing set, and a O(master), O(link) or O(vxlan.dev) as if it existed.
  - After applying, the task reads the links back. A field that still
    differs from what was asked (the kernel accepted it without applying
    it) is reported as a warning naming the link and the field, and
    C(changed) is true only if the kernel's state really moved. A bridge
    setting the kernel does not report at all (a feature it was built
    without, like V(vlan_default_pvid) without bridge VLAN filtering) is
    neither compared nor sent, with a warning, so a second run does not
    re-send it.
  - O(ipv4) and O(ipv6) set the link's IP settings, named as the sysctl files
    of C(net.ipv4.conf.NAME) and C(net.ipv6.conf.NAME) are (V(forwarding),
    V(rp_filter), V(accept_ra), ...), in the task's namespace. IPv4 settings
    the kernel only stores go over netlink (IFLA_INET_CONF in the link's
    RTM_NEWLINK); those whose sysctl handler does more (V(forwarding) turns
    LRO off and notifies routing daemons, V(rp_filter) and V(proxy_arp)
    notify, V(accept_local), V(route_localnet) and others flush cached
    routes) and every IPv6 setting but O(ipv6.addr_gen_mode) and
    O(ipv6.token), which the kernel takes only through its files, are
    written to C(/proc/sys/net/...) inside the namespace, as C(sysctl -w)
    does. RV(commands) prints them as C(sysctl -w) commands (in C(ip netns
    exec NS) for a namespace). They are compared, set, shown in the diff
    and undone like the link's other fields; a link re-created by an undo
    gets them back.
  - The namespace-wide settings (C(net.ipv4.ip_forward), C(net.ipv6.conf.all.forwarding),
    those of the C(all) and C(default) pseudo-devices) are M(netlink.host.nl_netconf)'s.
  - With O(state=gathered), O(ipv4) and O(ipv6) show only the settings whose
    value differs from the namespace's C(default) (what a new link starts
    with), and O(ipv6.mtu) only where it differs from the link's MTU; that is what
    someone set on the link, not every default of the day.
  - A bridge's MTU follows its ports (the kernel resets it to the smallest
    port MTU when a port joins) until the MTU is set on the existing bridge;
    an MTU given at creation does not count. When a task gives a bridge's
    O(mtu) and one of its ports joins or changes MTU in the same task, the
    bridge's MTU is set again after them (one more request), so the second
    run finds nothing to do.
author:
  - netlink.host contributors (@netlink-host)
extends_documentation_fragment:
  - netlink.host.netlink
options:
  name: &name
    description:
      - Name of the link (at most 15 bytes). Required unless O(links) is given.
      - Refused, as the kernel would not keep them as given, are names with
        V(/), V(:), V(%) (the kernel reads V(veth%d) as a template and picks
        the name itself) or white space, V(.), V(..), V(all) and V(default).
    type: str
  kind: &kind
    description:
      - Kind of the link, needed to create it. Omit to configure an existing
        link of any kind (a physical NIC for example).
    type: str
    choices: [veth, bridge, vlan, macvlan, vxlan, bond, vrf, dummy, ifb, gre, gretap, ip6gre, ip6gretap, ipip, sit, ip6tnl, geneve, ipvlan, xfrm]
  state:
    description:
      - V(present) the link exists (its admin state is left as it is);
        V(up) and V(down) it exists and is administratively up or down;
        V(absent) it does not exist; V(gathered) returns the current links
        (those named, or all) in this module's input format as RV(gathered)
        and changes nothing.
      - In O(links), an item's own O(links[].state) overrides this one.
    type: str
    choices: [present, up, down, absent, gathered]
    default: present
  mtu: &mtu
    description:
      - MTU in bytes. The kernel's limits are per device (C(ip -d link)
        shows them as C(minmtu)/C(maxmtu)); the task checks them before any
        change. V(lo) takes up to 2147483647 (65536 by default), an
        Ethernet-like link 68-65535.
    type: int
  address: &address
    description: Link-layer (MAC) address, like V(02:00:00:00:00:01).
    type: str
  master: &master
    description:
      - Bridge, bond or VRF the link is a port of. An empty string releases
        it from its master.
    type: str
  alias: &alias
    description: Free-text description of the link (IFLA_IFALIAS); empty string removes it.
    type: str
  txqueuelen: &txqueuelen
    description: Transmit queue length.
    type: int
  link: &link
    description: Parent link, for O(kind=vlan), O(kind=macvlan) and O(kind=ipvlan).
    type: str
  to_netns: &to_netns
    description:
      - Move the existing link O(name) into this network namespace (C(ip link set dev NAME netns
        TO_NETNS)), by name or absolute path, like O(netns). It must exist and have no link of that name.
      - The kernel takes the link down and out of its master, and drops its IPv4 and IPv6 addresses and
        every route through it, in every table (an IPv4 multipath route with a next hop on it goes whole).
        The link keeps its name, MAC address, MTU, txqueuelen and alias, and its ifindex when that is free
        there; links stacked on it (a macvlan, a VLAN) stay behind. Check mode and C(--diff) list each
        thing lost, and a warning names them.
      - Moves the link only. Give no other setting with it (O(state=present) only), and configure the link in
        its new namespace with tasks whose O(netns) is that namespace.
      - A second run finds the link there (for a link it does not find in O(netns), the task looks in
        O(to_netns)) and changes nothing. A link that is in neither namespace fails the task; in check
        mode it gets a warning instead, as an earlier task of the play may create it.
      - An undo (the kernel refusing a later request of the task, or a commit-confirmed rollback) moves the
        link back with its ifindex, then adds its addresses back, puts it back in its master, up, and adds
        its routes back. Each is read back, as for a deleted link.
      - Some links cannot move; the kernel refuses a bridge, a VRF or C(lo), for example.
    type: str
    version_added: "0.2.0"
  recreate:
    description:
      - Allow deleting and re-creating a link whose change the kernel cannot
        make in place. Everything on the link (addresses, routes, ports) is
        lost with it.
    type: bool
    default: false
  links:
    description:
      - Many links in one task; each item takes the options of one link
        (O(name), O(kind), O(mtu), ... and the per-type blocks such as
        O(vxlan), whose settings are documented at the top level), but not
        O(netns), O(recreate) or O(links), and its own O(links[].state).
    type: list
    elements: dict
    suboptions:
      name: *name
      kind: *kind
      mtu: *mtu
      address: *address
      master: *master
      alias: *alias
      txqueuelen: *txqueuelen
      link: *link
      to_netns: *to_netns
      # BEGIN generated: the blocks
      veth:
        description: The settings of O(veth), which documents them.
        type: dict
      bridge:
        description: The settings of O(bridge), which documents them.
        type: dict
      vlan:
        description: The settings of O(vlan), which documents them.
        type: dict
      macvlan:
        description: The settings of O(macvlan), which documents them.
        type: dict
      vxlan:
        description: The settings of O(vxlan), which documents them.
        type: dict
      bond:
        description: The settings of O(bond), which documents them.
        type: dict
      vrf:
        description: The settings of O(vrf), which documents them.
        type: dict
      gre:
        description: The settings of O(gre), which documents them.
        type: dict
      gretap:
        description: The settings of O(gretap), which documents them.
        type: dict
      ip6gre:
        description: The settings of O(ip6gre), which documents them.
        type: dict
      ip6gretap:
        description: The settings of O(ip6gretap), which documents them.
        type: dict
      ipip:
        description: The settings of O(ipip), which documents them.
        type: dict
      sit:
        description: The settings of O(sit), which documents them.
        type: dict
      ip6tnl:
        description: The settings of O(ip6tnl), which documents them.
        type: dict
      geneve:
        description: The settings of O(geneve), which documents them.
        type: dict
      ipvlan:
        description: The settings of O(ipvlan), which documents them.
        type: dict
      xfrm:
        description: The settings of O(xfrm), which documents them.
        type: dict
      bridge_port:
        description: The settings of O(bridge_port), which documents them.
        type: dict
      ipv4:
        description: The settings of O(ipv4), which documents them.
        type: dict
      ipv6:
        description: The settings of O(ipv6), which documents them.
        type: dict
      # END generated: the blocks
      state:
        description: State of this link (see the top-level O(state)); defaults to the top-level one.
        type: str
        choices: [present, up, down, absent]
  # BEGIN generated by scripts/gen_nl_link_docs.py from objects/link_types.py
  veth:
    description: Settings of a veth pair.
    type: dict
    suboptions:
      peer:
        description: Name of the other end, created with the link. Required to create a veth. Cannot change in place.
        type: str
      peer_netns:
        description: >-
          Network namespace to put the other end in on creation, by name or absolute path, like
          O(netns); it must exist. The kernel reports such a peer only by the namespace's id and the
          peer's ifindex there; the task asks the kernel which id this namespace has (RTM_GETNSID)
          and the peer's name there (one RTM_GETLINK), so a second run compares equal whatever
          spelling (name or path) names the namespace. Gathered output names the namespace as C(ip
          netns) lists it, and leaves the peer out when its namespace has no name there. Cannot
          change in place.
        type: str
  bridge:
    description: Bridge settings (units as in C(ip -d link), timers in centiseconds).
    type: dict
    suboptions:
      stp:
        description: Spanning tree on or off.
        type: bool
      forward_delay:
        description: Forward delay in centiseconds (200-3000 with STP on; any value with STP off).
        type: int
      hello_time:
        description: Hello time (100-1000 centiseconds).
        type: int
      max_age:
        description: Max message age (600-4000 centiseconds).
        type: int
      ageing_time:
        description: FDB entry ageing time (centiseconds).
        type: int
      priority:
        description: Bridge priority (0-65535).
        type: int
      vlan_filtering:
        description: VLAN filtering on or off.
        type: bool
      vlan_protocol:
        description: VLAN protocol used for filtering.
        type: str
        choices: [802.1Q, 802.1ad]
      vlan_default_pvid:
        description: Default PVID of ports (0-4094).
        type: int
      mcast_snooping:
        description: Multicast snooping on or off.
        type: bool
  vlan:
    description: 802.1Q/802.1ad VLAN settings; needs O(link).
    type: dict
    suboptions:
      id:
        description: VLAN id (0-4094). Cannot change in place.
        type: int
      protocol:
        description: VLAN protocol (default 802.1Q). Cannot change in place.
        type: str
        choices: [802.1Q, 802.1ad]
  macvlan:
    description: Macvlan settings; needs O(link).
    type: dict
    suboptions:
      mode:
        description: Macvlan mode.
        type: str
        choices: [bridge, passthru, private, source, vepa]
  vxlan:
    description: VXLAN settings.
    type: dict
    suboptions:
      id:
        description: VXLAN network identifier (0-16777215). Cannot change in place.
        type: int
      remote:
        description: Unicast remote endpoint (IPv4 or IPv6); a multicast address is refused (use O(vxlan.group)).
        type: str
      group:
        description: Multicast group (IPv4 or IPv6); a unicast address is refused (use O(vxlan.remote)).
        type: str
      local:
        description: Local source address.
        type: str
      dev:
        description: Underlay link.
        type: str
      dstport:
        description: UDP destination port (4789 is the IANA port). Cannot change in place.
        type: int
      ttl:
        description: TTL of the outer packets (0 lets the route decide).
        type: int
      ttl_inherit:
        description: Copy the inner packet's TTL to the outer header (C(ttl inherit)). Cannot change in place.
        type: bool
      learning:
        description: Learn remote MAC addresses from traffic.
        type: bool
  bond:
    description: Bonding settings.
    type: dict
    suboptions:
      mode:
        description: Bonding mode (the kernel changes it only while the bond is down and has no ports).
        type: str
        choices: [802.3ad, active-backup, balance-alb, balance-rr, balance-tlb, balance-xor, broadcast]
      miimon:
        description: MII link monitoring interval (ms).
        type: int
      updelay:
        description: Delay before enabling a port after link up (ms).
        type: int
      downdelay:
        description: Delay before disabling a port after link down (ms).
        type: int
      min_links:
        description: Minimum number of active ports for carrier.
        type: int
      xmit_hash_policy:
        description: Transmit hash policy.
        type: str
        choices: [encap2+3, encap3+4, layer2, layer2+3, layer3+4, vlan+srcmac]
      lacp_rate:
        description: LACPDU rate asked of the partner in 802.3ad mode.
        type: str
        choices: [fast, slow]
  vrf:
    description: VRF settings.
    type: dict
    suboptions:
      table:
        description: Routing table of the VRF. Cannot change in place.
        type: int
  gre:
    description: GRE tunnel (IPv4 underlay, layer 3) settings; C(ip link add NAME type gre ...).
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv4); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv4).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: TTL of the outer packets (0 inherits).
        type: int
      tos:
        description: TOS of the outer packets (1 inherits).
        type: int
      pmtudisc:
        description: Path MTU discovery (the DF bit on outer packets).
        type: bool
      ikey:
        description: Key of received packets (GRE_KEY set in the input flags).
        type: int
      okey:
        description: Key of sent packets (GRE_KEY set in the output flags).
        type: int
      key:
        description: Shorthand for the same O(gre.ikey) and O(gre.okey); read back as those two.
        type: int
  gretap:
    description: GRE tunnel (IPv4 underlay) carrying Ethernet frames.
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv4); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv4).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: TTL of the outer packets (0 inherits).
        type: int
      tos:
        description: TOS of the outer packets (1 inherits).
        type: int
      pmtudisc:
        description: Path MTU discovery (the DF bit on outer packets).
        type: bool
      ikey:
        description: Key of received packets (GRE_KEY set in the input flags).
        type: int
      okey:
        description: Key of sent packets (GRE_KEY set in the output flags).
        type: int
      key:
        description: Shorthand for the same O(gretap.ikey) and O(gretap.okey); read back as those two.
        type: int
  ip6gre:
    description: GRE tunnel over IPv6 (layer 3).
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv6); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv6).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: Hop limit of the outer packets (0 inherits; iproute2's default 64).
        type: int
      tclass:
        description: Traffic class of the outer packets.
        type: int
      flowlabel:
        description: Flow label of the outer packets.
        type: int
      encaplimit:
        description: Tunnel encapsulation limit option (iproute2's default 4).
        type: int
      ikey:
        description: Key of received packets (GRE_KEY set in the input flags).
        type: int
      okey:
        description: Key of sent packets (GRE_KEY set in the output flags).
        type: int
      key:
        description: Shorthand for the same O(ip6gre.ikey) and O(ip6gre.okey); read back as those two.
        type: int
  ip6gretap:
    description: GRE tunnel over IPv6 carrying Ethernet frames.
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv6); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv6).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: Hop limit of the outer packets (0 inherits; iproute2's default 64).
        type: int
      tclass:
        description: Traffic class of the outer packets.
        type: int
      flowlabel:
        description: Flow label of the outer packets.
        type: int
      encaplimit:
        description: Tunnel encapsulation limit option (iproute2's default 4).
        type: int
      ikey:
        description: Key of received packets (GRE_KEY set in the input flags).
        type: int
      okey:
        description: Key of sent packets (GRE_KEY set in the output flags).
        type: int
      key:
        description: Shorthand for the same O(ip6gretap.ikey) and O(ip6gretap.okey); read back as those two.
        type: int
  ipip:
    description: IPv4-in-IPv4 tunnel settings.
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv4); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv4).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: TTL of the outer packets (0 inherits).
        type: int
      tos:
        description: TOS of the outer packets (1 inherits).
        type: int
      pmtudisc:
        description: Path MTU discovery (the DF bit on outer packets).
        type: bool
      mode:
        description: 'Inner protocols carried (iproute2''s default: any). Cannot change in place.'
        type: str
        choices: [any, ipip, mplsip]
  sit:
    description: SIT tunnel (IPv6, and with O(sit.mode) other protocols, over IPv4).
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv4); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv4).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: TTL of the outer packets (0 inherits).
        type: int
      tos:
        description: TOS of the outer packets (1 inherits).
        type: int
      pmtudisc:
        description: Path MTU discovery (the DF bit on outer packets).
        type: bool
      mode:
        description: 'Inner protocols carried (iproute2''s default: any). Cannot change in place.'
        type: str
        choices: [any, ip6ip, ipip, mplsip]
  ip6tnl:
    description: IPv4/IPv6-over-IPv6 tunnel settings.
    type: dict
    suboptions:
      remote:
        description: Remote endpoint (IPv6); unset for a tunnel that takes any remote.
        type: str
      local:
        description: Local endpoint (IPv6).
        type: str
      dev:
        description: Underlay link the tunnel is bound to.
        type: str
      ttl:
        description: Hop limit of the outer packets (0 inherits; iproute2's default 64).
        type: int
      tclass:
        description: Traffic class of the outer packets.
        type: int
      flowlabel:
        description: Flow label of the outer packets.
        type: int
      encaplimit:
        description: Tunnel encapsulation limit option (iproute2's default 4).
        type: int
      mode:
        description: 'Inner protocols carried (iproute2''s default: any).'
        type: str
        choices: [any, ip6ip6, ipip6]
  geneve:
    description: Geneve tunnel settings.
    type: dict
    suboptions:
      id:
        description: Virtual network identifier (0-16777215). Cannot change in place.
        type: int
      remote:
        description: Remote endpoint (IPv4 or IPv6).
        type: str
      ttl:
        description: TTL of the outer packets (0 lets the route decide).
        type: int
      tos:
        description: TOS of the outer packets (1 inherits).
        type: int
      dstport:
        description: UDP destination port (default 6081). Cannot change in place.
        type: int
  ipvlan:
    description: Ipvlan settings; needs O(link).
    type: dict
    suboptions:
      mode:
        description: Ipvlan mode (the kernel's default is l3).
        type: str
        choices: [l2, l3, l3s]
      flags:
        description: 'Traffic between ipvlans of one parent: bridge (default), private or vepa.'
        type: str
        choices: [bridge, private, vepa]
  xfrm:
    description: XFRM interface (route-based IPsec) settings.
    type: dict
    suboptions:
      if_id:
        description: 'XFRM interface id: the if_id of the SAs and policies routed through this interface.'
        type: int
      dev:
        description: Underlay link.
        type: str
  bridge_port:
    description: Settings of the link as a port of its bridge (IFLA_BRPORT_*); needs a bridge O(master).
    type: dict
    suboptions:
      cost:
        description: STP path cost of the port.
        type: int
      priority:
        description: STP port priority (0-63).
        type: int
      learning:
        description: Learn source MAC addresses on the port.
        type: bool
      flood:
        description: Flood unknown unicast to the port.
        type: bool
      mcast_flood:
        description: Flood unknown multicast to the port.
        type: bool
      bcast_flood:
        description: Flood broadcast to the port.
        type: bool
      isolated:
        description: 'Isolated port: it forwards only to non-isolated ports.'
        type: bool
      hairpin:
        description: Send frames back out of the port they came in on.
        type: bool
      neigh_suppress:
        description: ARP/ND suppression on the port.
        type: bool
      proxy_arp:
        description: Proxy ARP on the port.
        type: bool
      guard:
        description: 'BPDU guard: disable the port when it receives STP BPDUs.'
        type: bool
      root_block:
        description: 'Root port protection: the port can never become root port.'
        type: bool
  ipv4:
    description: >-
      The link's IPv4 settings, named as the files of C(net.ipv4.conf.NAME) are (C(sysctl -w
      net.ipv4.conf.NAME.SETTING=VALUE)), in the task's namespace. Only those given are compared
      and set.
    type: dict
    suboptions:
      forwarding:
        description: Forward IPv4 packets that arrive on this device (routing).
        type: bool
      proxy_arp:
        description: Answer ARP requests for addresses this host routes elsewhere.
        type: bool
      accept_redirects:
        description: Accept ICMP redirects.
        type: bool
      secure_redirects:
        description: Accept ICMP redirects only from gateways of the default route list.
        type: bool
      send_redirects:
        description: Send ICMP redirects (as a router).
        type: bool
      shared_media:
        description: The device's medium is shared with other IP subnets (redirects for them).
        type: bool
      rp_filter:
        description: >-
          Reverse path filter (RFC 3704): V(strict) drops packets whose source is not routed back
          through this device, V(loose) those whose source is not routed back at all. One of V(off),
          V(strict), V(loose) (or V(0), V(1), V(2)).
        type: raw
      accept_source_route:
        description: Accept packets with the source route option.
        type: bool
      bootp_relay:
        description: Accept packets with source 0.b.c.d for a BOOTP relay.
        type: bool
      log_martians:
        description: Log packets with impossible addresses.
        type: bool
      arp_filter:
        description: Answer ARP only on the device the reply would be routed through.
        type: bool
      disable_xfrm:
        description: No IPsec encryption on this device.
        type: bool
      disable_policy:
        description: No IPsec policy check on this device.
        type: bool
      arp_announce:
        description: Source address choice in ARP requests (0 any, 1 avoid off-subnet, 2 best local). 0 to 2.
        type: int
      arp_ignore:
        description: >-
          Which ARP requests to answer (0 any local address, 1 only for addresses of this device, 2
          also in the sender's subnet, 3 not scope host, 8 none). 0 to 8.
        type: int
      promote_secondaries:
        description: Promote a secondary address when the primary is removed.
        type: bool
      arp_accept:
        description: >-
          Gratuitous ARP: 0 drop, 1 create neighbour entries, 2 only for addresses in a subnet of
          this device. 0 to 2.
        type: int
      arp_notify:
        description: Send gratuitous ARP when the device comes up or its address changes.
        type: bool
      accept_local:
        description: Accept packets with a local source address.
        type: bool
      src_valid_mark:
        description: The packet mark counts in the reverse path check.
        type: bool
      proxy_arp_pvlan:
        description: Proxy ARP for hosts of the same device (private VLAN).
        type: bool
      route_localnet:
        description: Route 127.0.0.0/8 to and from this device.
        type: bool
      ignore_routes_with_linkdown:
        description: Ignore routes through this device while it has no carrier.
        type: bool
      drop_unicast_in_l2_multicast:
        description: Drop IP unicast packets in link-layer multicast frames.
        type: bool
      drop_gratuitous_arp:
        description: Drop all gratuitous ARP frames.
        type: bool
      bc_forwarding:
        description: Forward directed broadcasts.
        type: bool
      arp_evict_nocarrier:
        description: Flush ARP entries when the device loses carrier.
        type: bool
  ipv6:
    description: >-
      The link's IPv6 settings, named as the files of C(net.ipv6.conf.NAME) are (C(sysctl -w
      net.ipv6.conf.NAME.SETTING=VALUE)), in the task's namespace. Only those given are compared
      and set.
    type: dict
    suboptions:
      forwarding:
        description: >-
          Forward IPv6 packets from this device; also makes it behave as a router (no router
          advertisements accepted unless C(accept_ra) is 2).
        type: bool
      hop_limit:
        description: Default hop limit of packets sent. 1 to 255.
        type: int
      mtu:
        description: IPv6 MTU (at least 1280, at most the link's MTU). 1280 to 2147483647.
        type: int
      accept_ra:
        description: >-
          Router advertisements: 0 ignore, 1 accept unless forwarding, 2 accept even when
          forwarding. 0 to 2.
        type: int
      accept_redirects:
        description: Accept ICMPv6 redirects (ignored when forwarding).
        type: bool
      autoconf:
        description: Make addresses from prefixes in router advertisements (SLAAC).
        type: bool
      dad_transmits:
        description: Duplicate address detection probes per address. 0 to 2147483647.
        type: int
      use_tempaddr:
        description: >-
          Privacy extensions (RFC 8981): 0 off, 1 make temporary addresses, 2 also prefer them (-1
          on loopback and point-to-point links). -1 to 2.
        type: int
      accept_ra_defrtr:
        description: Take a default route from router advertisements.
        type: bool
      accept_ra_pinfo:
        description: Take prefix information from router advertisements.
        type: bool
      proxy_ndp:
        description: Proxy neighbour discovery (for the proxy entries of C(ip -6 neigh add proxy)).
        type: bool
      accept_source_route:
        description: >-
          Source-routed packets: below 0 drop all, 0 accept only type 2 (mobile IPv6), above 0
          accept. -1 to 1.
        type: int
      disable_ipv6:
        description: Turn IPv6 off on this device (its IPv6 addresses go).
        type: bool
      accept_dad:
        description: >-
          Duplicate address detection: 0 off, 1 on, 2 on and IPv6 off on this device when a
          link-local duplicate is found (the kernel shows -1 on loopback). -1 to 2.
        type: int
      ignore_routes_with_linkdown:
        description: Ignore routes through this device while it has no carrier.
        type: bool
      keep_addr_on_down:
        description: >-
          Keep addresses when the device goes down: 1 keep, 0 as the C(all) setting, below 0 flush.
          -1 to 1.
        type: int
      addr_gen_mode:
        description: >-
          How the link-local address is made (C(ip link set addrgenmode)); V(none) makes none. One
          of V(eui64), V(none), V(stable_secret), V(random) (or V(0), V(1), V(2), V(3)).
        type: raw
      token:
        description: >-
          The interface identifier SLAAC uses (C(ip token set)), the low 64 bits of an IPv6 address
          like V(::1:2:3:4); V(::) clears it. The kernel takes one only while the device accepts
          router advertisements.
        type: str
  # END generated
'''

EXAMPLES = r'''
- name: A bridge, up, with an MTU
  netlink.host.nl_link:
    name: br0
    kind: bridge
    state: up
    mtu: 1500
    bridge:
      stp: true

- name: A veth pair whose one end is a port of the bridge
  netlink.host.nl_link:
    links:
      - name: veth0
        kind: veth
        veth:
          peer: veth1
        master: br0
        state: up
      - name: veth1
        state: up

- name: A macvlan on top of veth1
  netlink.host.nl_link:
    name: mv0
    kind: macvlan
    link: veth1
    macvlan:
      mode: bridge

- name: A VXLAN to a unicast remote
  netlink.host.nl_link:
    name: vx42
    kind: vxlan
    vxlan:
      id: 42
      remote: 192.0.2.2
      dstport: 4789
      learning: false

- name: A port of br0 with its bridge-port settings
  netlink.host.nl_link:
    name: veth0
    master: br0
    bridge_port:
      cost: 10
      learning: false
      isolated: true

- name: A GRE tunnel with a key, bound to an underlay link
  netlink.host.nl_link:
    name: gre1
    kind: gre
    state: up
    gre:
      remote: 198.51.100.2
      local: 198.51.100.1
      ttl: 64
      key: 42
      dev: veth1

- name: An XFRM interface for route-based IPsec (SAs and policies with if_id 7)
  netlink.host.nl_link:
    name: ipsec7
    kind: xfrm
    state: up
    xfrm:
      if_id: 7
      dev: veth1

- name: A router's uplink, forwarding both families, strict reverse path filter, router advertisements still taken
  netlink.host.nl_link:
    name: veth1
    ipv4:
      forwarding: true
      rp_filter: strict
      send_redirects: false
    ipv6:
      forwarding: true
      accept_ra: 2

- name: What links are there?
  netlink.host.nl_link:
    state: gathered
  register: host_links

- name: Fed back as links, gathered output changes nothing
  netlink.host.nl_link:
    links: "{{ host_links.gathered }}"

- name: Remove the macvlan
  netlink.host.nl_link:
    name: mv0
    state: absent

- name: Move veth1 into the namespace web (it arrives down there, without its addresses and routes)
  netlink.host.nl_link:
    name: veth1
    to_netns: web
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
    - When the kernel refused a request, whether everything the task had already changed (and everything the kernel
      changed with it, such as the addresses and routes of a deleted link) was restored exactly, as read back after the
      undo.
    - V(false) whenever anything in RV(undo_failures) is listed.
  returned: when the kernel refused a request
  type: bool
  sample: true
undo_failures:
  description:
    - One entry per object the undo could not restore exactly; empty when RV(undone) is V(true).
  returned: when the kernel refused a request
  type: list
  elements: dict
  contains:
    kind:
      description: The object kind (V(link), V(address), V(route), V(sysctl)).
      type: str
    key:
      description: The object's identity, as the kernel identifies it.
      type: list
    command:
      description: The iproute2 command that would restore it (secrets masked).
      type: str
    reason:
      description: Why it is not restored (refused by the kernel, missing, still there, or which fields differ).
      type: str
  sample: [{"kind": "link", "key": ["mv0"], "command": "ip link add mv0 index 8 link vB type macvlan mode bridge",
            "reason": "the kernel refused it: File exists"}]
# END generated (apply)
links:
  description:
    - The links the task names, as read back after the run, in this module's
      input format (a link deleted with V(absent) is no longer listed).
    - In check mode, only the links the plan would create or change, as they
      would be after it; an empty list when nothing would change.
    - A link that O(to_netns) moved (or finds already moved) is shown as its
      new namespace shows it, with C(to_netns).
  returned: unless state is gathered
  type: list
  elements: dict
  sample: [{"name": "br0", "kind": "bridge", "state": "up", "mtu": 1500, "master": "", "bridge": {"stp": true}}]
gathered:
  description:
    - The current links in this module's input format, ready to be used as
      O(links) (fed back, it changes nothing), of the links O(name) or
      O(links) name, or of every link of the namespace.
    - The same in check mode (nothing is changed either way).
    - Leaves out what the input cannot take back, a C(kind) this module
      cannot create (a tun, a NIC driver's kind) and a link-layer address
      that is not a 6-byte MAC.
  returned: when state is gathered
  type: list
  elements: dict
  sample: [{"name": "lo", "state": "up", "mtu": 65536}]
commands:
  description:
    - The equivalent iproute2 commands of the requests, applied or (in check
      mode) planned, in the order they are sent.
    - When the kernel refuses a request, only the requests sent until then, in the order
      sent, the refused one marked (see the notes); RV(undone) says whether what they changed was restored.
    - What the kernel does by itself as a consequence (a deleted link's
      veth peer, stacked links, addresses and routes going with it) is not a
      command; the diff shows it.
    - With O(netns) a name, C(ip -n NAME ...); with a path, C(nsenter --net=PATH ip ...).
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip link add br0 mtu 1500 up type bridge stp_state 1"]
diff:
  description:
    - With C(--diff), one before/after entry per changed object, including
      what the kernel deletes by itself with a deleted link (its header says
      what it goes with) or drops with a moved one (O(to_netns); its header
      says it is lost). In check mode, the objects the plan would change.
    - Each entry has C(before_header), C(after_header), C(before) and
      C(after); C(before) and C(after) are the object in the module's input
      format as JSON text, empty for an object that does not exist on that
      side.
  returned: when diff mode is on and something changed
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.specs.link import argument_spec
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                         mutually_exclusive=[("name", "links")])


def main():
    run(build_module(), LinkTask())


if __name__ == "__main__":
    main()
