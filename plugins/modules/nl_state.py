#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: nl_state
short_description: The whole host's network in one task and one transaction
version_added: "0.2.0"
description:
  - Takes the sections of the state file C(netlink-host) reads (links, addresses,
    routes, rules, IPsec, the namespace's IP settings), each in the list (or
    mapping) format of the module that manages it, and applies them as B(one)
    transaction, by speaking netlink to the kernel.
  - "Every section is validated before anything is read or changed; an error
    names the section, the item's index in it and the option
    (C(routes[3].gateway: ...))."
  - "One plan across all kinds, applied once: links before the addresses on
    them, before the routes through them, before the rules; removals (items
    with C(state=absent)) after, in the reverse order. When the kernel refuses
    any request, everything the task changed is undone, links and addresses
    included; RV(undone) and RV(undo_failures) say whether that was exact."
  - Check mode, diff mode and RV(commands) come from the same plan.
  - With O(state=gathered), returns the host in exactly this input format
    (RV(gathered)); fed back as input, it changes nothing.
extends_documentation_fragment:
  - netlink.host.netlink
options:
  # BEGIN generated (section-options)
  netconf_all:
    description:
    - 'The section netconf_all of the state: what M(netlink.host.nl_netconf) takes as
      O(netlink.host.nl_netconf#module:all).'
    - The settings of C(net.ipv4.conf.all) and C(net.ipv6.conf.all); V(ipv4.forwarding)
      is C(net.ipv4.ip_forward). How each counts beside a link's own value is the kernel's
      rule for it (some are combined with it, some override it, some are ignored).
    type: dict
    suboptions:
      ipv4:
        description: The IPv4 settings, named as the files of C(net.ipv4.conf.SCOPE)
          are.
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
            description: Accept ICMP redirects only from gateways of the default route
              list.
            type: bool
          send_redirects:
            description: Send ICMP redirects (as a router).
            type: bool
          shared_media:
            description: The device's medium is shared with other IP subnets (redirects
              for them).
            type: bool
          rp_filter:
            description: 'Reverse path filter (RFC 3704): V(strict) drops packets whose
              source is not routed back through this device, V(loose) those whose source
              is not routed back at all. One of V(off), V(strict), V(loose) (or V(0),
              V(1), V(2)).'
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
            description: Source address choice in ARP requests (0 any, 1 avoid off-subnet,
              2 best local). 0 to 2.
            type: int
          arp_ignore:
            description: Which ARP requests to answer (0 any local address, 1 only for
              addresses of this device, 2 also in the sender's subnet, 3 not scope host,
              8 none). 0 to 8.
            type: int
          promote_secondaries:
            description: Promote a secondary address when the primary is removed.
            type: bool
          arp_accept:
            description: 'Gratuitous ARP: 0 drop, 1 create neighbour entries, 2 only
              for addresses in a subnet of this device. 0 to 2.'
            type: int
          arp_notify:
            description: Send gratuitous ARP when the device comes up or its address
              changes.
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
        description: The IPv6 settings, named as the files of C(net.ipv6.conf.SCOPE)
          are.
        type: dict
        suboptions:
          forwarding:
            description: Forward IPv6 packets from this device; also makes it behave
              as a router (no router advertisements accepted unless C(accept_ra) is
              2).
            type: bool
          hop_limit:
            description: Default hop limit of packets sent. 1 to 255.
            type: int
          mtu:
            description: IPv6 MTU (at least 1280, at most the link's MTU). 1280 to 2147483647.
            type: int
          accept_ra:
            description: 'Router advertisements: 0 ignore, 1 accept unless forwarding,
              2 accept even when forwarding. 0 to 2.'
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
            description: 'Privacy extensions (RFC 8981): 0 off, 1 make temporary addresses,
              2 also prefer them (-1 on loopback and point-to-point links). -1 to 2.'
            type: int
          accept_ra_defrtr:
            description: Take a default route from router advertisements.
            type: bool
          accept_ra_pinfo:
            description: Take prefix information from router advertisements.
            type: bool
          proxy_ndp:
            description: Proxy neighbour discovery (for the proxy entries of C(ip -6
              neigh add proxy)).
            type: bool
          accept_source_route:
            description: 'Source-routed packets: below 0 drop all, 0 accept only type
              2 (mobile IPv6), above 0 accept. -1 to 1.'
            type: int
          disable_ipv6:
            description: Turn IPv6 off on this device (its IPv6 addresses go).
            type: bool
          accept_dad:
            description: 'Duplicate address detection: 0 off, 1 on, 2 on and IPv6 off
              on this device when a link-local duplicate is found (the kernel shows
              -1 on loopback). -1 to 2.'
            type: int
          ignore_routes_with_linkdown:
            description: Ignore routes through this device while it has no carrier.
            type: bool
          keep_addr_on_down:
            description: 'Keep addresses when the device goes down: 1 keep, 0 as the
              C(all) setting, below 0 flush. -1 to 1.'
            type: int
          addr_gen_mode:
            description: How the link-local address is made (C(ip link set addrgenmode));
              V(none) makes none. One of V(eui64), V(none), V(stable_secret), V(random)
              (or V(0), V(1), V(2), V(3)).
            type: raw
  netconf_default:
    description:
    - 'The section netconf_default of the state: what M(netlink.host.nl_netconf) takes
      as O(netlink.host.nl_netconf#module:default).'
    - 'The settings of C(net.ipv4.conf.default) and C(net.ipv6.conf.default): what a
      link made afterwards starts with (an IPv4 one also reaches the links that never
      had it set).'
    type: dict
    suboptions:
      ipv4:
        description: The IPv4 settings, named as the files of C(net.ipv4.conf.SCOPE)
          are.
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
            description: Accept ICMP redirects only from gateways of the default route
              list.
            type: bool
          send_redirects:
            description: Send ICMP redirects (as a router).
            type: bool
          shared_media:
            description: The device's medium is shared with other IP subnets (redirects
              for them).
            type: bool
          rp_filter:
            description: 'Reverse path filter (RFC 3704): V(strict) drops packets whose
              source is not routed back through this device, V(loose) those whose source
              is not routed back at all. One of V(off), V(strict), V(loose) (or V(0),
              V(1), V(2)).'
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
            description: Source address choice in ARP requests (0 any, 1 avoid off-subnet,
              2 best local). 0 to 2.
            type: int
          arp_ignore:
            description: Which ARP requests to answer (0 any local address, 1 only for
              addresses of this device, 2 also in the sender's subnet, 3 not scope host,
              8 none). 0 to 8.
            type: int
          promote_secondaries:
            description: Promote a secondary address when the primary is removed.
            type: bool
          arp_accept:
            description: 'Gratuitous ARP: 0 drop, 1 create neighbour entries, 2 only
              for addresses in a subnet of this device. 0 to 2.'
            type: int
          arp_notify:
            description: Send gratuitous ARP when the device comes up or its address
              changes.
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
        description: The IPv6 settings, named as the files of C(net.ipv6.conf.SCOPE)
          are.
        type: dict
        suboptions:
          forwarding:
            description: Forward IPv6 packets from this device; also makes it behave
              as a router (no router advertisements accepted unless C(accept_ra) is
              2).
            type: bool
          hop_limit:
            description: Default hop limit of packets sent. 1 to 255.
            type: int
          mtu:
            description: IPv6 MTU (at least 1280, at most the link's MTU). 1280 to 2147483647.
            type: int
          accept_ra:
            description: 'Router advertisements: 0 ignore, 1 accept unless forwarding,
              2 accept even when forwarding. 0 to 2.'
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
            description: 'Privacy extensions (RFC 8981): 0 off, 1 make temporary addresses,
              2 also prefer them (-1 on loopback and point-to-point links). -1 to 2.'
            type: int
          accept_ra_defrtr:
            description: Take a default route from router advertisements.
            type: bool
          accept_ra_pinfo:
            description: Take prefix information from router advertisements.
            type: bool
          proxy_ndp:
            description: Proxy neighbour discovery (for the proxy entries of C(ip -6
              neigh add proxy)).
            type: bool
          accept_source_route:
            description: 'Source-routed packets: below 0 drop all, 0 accept only type
              2 (mobile IPv6), above 0 accept. -1 to 1.'
            type: int
          disable_ipv6:
            description: Turn IPv6 off on this device (its IPv6 addresses go).
            type: bool
          accept_dad:
            description: 'Duplicate address detection: 0 off, 1 on, 2 on and IPv6 off
              on this device when a link-local duplicate is found (the kernel shows
              -1 on loopback). -1 to 2.'
            type: int
          ignore_routes_with_linkdown:
            description: Ignore routes through this device while it has no carrier.
            type: bool
          keep_addr_on_down:
            description: 'Keep addresses when the device goes down: 1 keep, 0 as the
              C(all) setting, below 0 flush. -1 to 1.'
            type: int
          addr_gen_mode:
            description: How the link-local address is made (C(ip link set addrgenmode));
              V(none) makes none. One of V(eui64), V(none), V(stable_secret), V(random)
              (or V(0), V(1), V(2), V(3)).
            type: raw
  links:
    description:
    - 'The section links of the state: what M(netlink.host.nl_link) takes as O(netlink.host.nl_link#module:links).'
    - Many links in one task; each item takes the options of one link (O(netlink.host.nl_link#module:name),
      O(netlink.host.nl_link#module:kind), O(netlink.host.nl_link#module:mtu), ... and
      the per-type blocks such as O(netlink.host.nl_link#module:vxlan), whose settings
      are documented at the top level), but not O(netlink.host.nl_link#module:netns),
      O(netlink.host.nl_link#module:recreate) or O(netlink.host.nl_link#module:links),
      and its own O(netlink.host.nl_link#module:links[].state).
    type: list
    elements: dict
    suboptions:
      name:
        description:
        - Name of the link (at most 15 bytes). Required unless O(netlink.host.nl_link#module:links)
          is given.
        - Refused, as the kernel would not keep them as given, are names with V(/),
          V(:), V(%) (the kernel reads V(veth%d) as a template and picks the name itself)
          or white space, V(.), V(..), V(all) and V(default).
        type: str
      kind:
        description:
        - Kind of the link, needed to create it. Omit to configure an existing link
          of any kind (a physical NIC for example).
        type: str
        choices:
        - veth
        - bridge
        - vlan
        - macvlan
        - vxlan
        - bond
        - vrf
        - dummy
        - ifb
        - gre
        - gretap
        - ip6gre
        - ip6gretap
        - ipip
        - sit
        - ip6tnl
        - geneve
        - ipvlan
        - xfrm
      mtu:
        description:
        - MTU in bytes. The kernel's limits are per device (C(ip -d link) shows them
          as C(minmtu)/C(maxmtu)); the task checks them before any change. V(lo) takes
          up to 2147483647 (65536 by default), an Ethernet-like link 68-65535.
        type: int
      address:
        description: Link-layer (MAC) address, like V(02:00:00:00:00:01).
        type: str
      master:
        description:
        - Bridge, bond or VRF the link is a port of. An empty string releases it from
          its master.
        type: str
      alias:
        description: Free-text description of the link (IFLA_IFALIAS); empty string
          removes it.
        type: str
      txqueuelen:
        description: Transmit queue length.
        type: int
      link:
        description: Parent link, for O(netlink.host.nl_link#module:kind=vlan), O(netlink.host.nl_link#module:kind=macvlan)
          and O(netlink.host.nl_link#module:kind=ipvlan).
        type: str
      to_netns:
        description:
        - Move the existing link O(netlink.host.nl_link#module:name) into this network
          namespace (C(ip link set dev NAME netns TO_NETNS)), by name or absolute path,
          like O(netlink.host.nl_link#module:netns). It must exist and have no link
          of that name.
        - The kernel takes the link down and out of its master, and drops its IPv4 and
          IPv6 addresses and every route through it, in every table (an IPv4 multipath
          route with a next hop on it goes whole). The link keeps its name, MAC address,
          MTU, txqueuelen and alias, and its ifindex when that is free there; links
          stacked on it (a macvlan, a VLAN) stay behind. Check mode and C(--diff) list
          each thing lost, and a warning names them.
        - Moves the link only. Give no other setting with it (O(netlink.host.nl_link#module:state=present)
          only), and configure the link in its new namespace with tasks whose O(netlink.host.nl_link#module:netns)
          is that namespace.
        - A second run finds the link there (for a link it does not find in O(netlink.host.nl_link#module:netns),
          the task looks in O(netlink.host.nl_link#module:to_netns)) and changes nothing.
          A link that is in neither namespace fails the task; in check mode it gets
          a warning instead, as an earlier task of the play may create it.
        - An undo (the kernel refusing a later request of the task, or a commit-confirmed
          rollback) moves the link back with its ifindex, then adds its addresses back,
          puts it back in its master, up, and adds its routes back. Each is read back,
          as for a deleted link.
        - Some links cannot move; the kernel refuses a bridge, a VRF or C(lo), for example.
        type: str
        version_added: 0.2.0
      veth:
        description: The settings of O(netlink.host.nl_link#module:veth), which documents
          them.
        type: dict
      bridge:
        description: The settings of O(netlink.host.nl_link#module:bridge), which documents
          them.
        type: dict
      vlan:
        description: The settings of O(netlink.host.nl_link#module:vlan), which documents
          them.
        type: dict
      macvlan:
        description: The settings of O(netlink.host.nl_link#module:macvlan), which documents
          them.
        type: dict
      vxlan:
        description: The settings of O(netlink.host.nl_link#module:vxlan), which documents
          them.
        type: dict
      bond:
        description: The settings of O(netlink.host.nl_link#module:bond), which documents
          them.
        type: dict
      vrf:
        description: The settings of O(netlink.host.nl_link#module:vrf), which documents
          them.
        type: dict
      gre:
        description: The settings of O(netlink.host.nl_link#module:gre), which documents
          them.
        type: dict
      gretap:
        description: The settings of O(netlink.host.nl_link#module:gretap), which documents
          them.
        type: dict
      ip6gre:
        description: The settings of O(netlink.host.nl_link#module:ip6gre), which documents
          them.
        type: dict
      ip6gretap:
        description: The settings of O(netlink.host.nl_link#module:ip6gretap), which
          documents them.
        type: dict
      ipip:
        description: The settings of O(netlink.host.nl_link#module:ipip), which documents
          them.
        type: dict
      sit:
        description: The settings of O(netlink.host.nl_link#module:sit), which documents
          them.
        type: dict
      ip6tnl:
        description: The settings of O(netlink.host.nl_link#module:ip6tnl), which documents
          them.
        type: dict
      geneve:
        description: The settings of O(netlink.host.nl_link#module:geneve), which documents
          them.
        type: dict
      ipvlan:
        description: The settings of O(netlink.host.nl_link#module:ipvlan), which documents
          them.
        type: dict
      xfrm:
        description: The settings of O(netlink.host.nl_link#module:xfrm), which documents
          them.
        type: dict
      bridge_port:
        description: The settings of O(netlink.host.nl_link#module:bridge_port), which
          documents them.
        type: dict
      ipv4:
        description: The settings of O(netlink.host.nl_link#module:ipv4), which documents
          them.
        type: dict
      ipv6:
        description: The settings of O(netlink.host.nl_link#module:ipv6), which documents
          them.
        type: dict
      state:
        description: State of this link (see the top-level O(netlink.host.nl_link#module:state));
          defaults to the top-level one.
        type: str
        choices:
        - present
        - up
        - down
        - absent
  addresses:
    description:
    - 'The section addresses of the state: what M(netlink.host.nl_addr) takes as O(netlink.host.nl_addr#module:devices).'
    - The addresses of several devices in one task (one read per device, one batch of
      requests, all undone together if the kernel refuses one), as the C(network) role
      passes them.
    - Each entry has C(dev), C(addresses) (items as in O(netlink.host.nl_addr#module:addresses))
      and optionally C(state) (V(present), V(absent) or V(replaced); default O(netlink.host.nl_addr#module:state)),
      with the meaning they have at the top level for one device. Top-level attribute
      options apply to every item that does not set the same key.
    - Mutually exclusive with O(netlink.host.nl_addr#module:dev), O(netlink.host.nl_addr#module:address)
      and O(netlink.host.nl_addr#module:addresses).
    type: list
    elements: dict
    version_added: 0.2.0
    suboptions:
      dev:
        description: The device.
        type: str
        required: true
      addresses:
        description: Its addresses, as O(netlink.host.nl_addr#module:addresses).
        type: list
        elements: raw
      state:
        description: V(present), V(absent) or V(replaced) for this device; default O(netlink.host.nl_addr#module:state).
        type: str
        choices:
        - present
        - absent
        - replaced
  neighbours:
    description:
    - 'The section neighbours of the state: what M(netlink.host.nl_neigh) takes as O(netlink.host.nl_neigh#module:neighbours).'
    - Several entries in one task (one read per device, one batch of requests).
    - Each item is a dict with the entry options of this module (O(netlink.host.nl_neigh#module:dev),
      O(netlink.host.nl_neigh#module:dst), O(netlink.host.nl_neigh#module:lladdr), O(netlink.host.nl_neigh#module:nud),
      O(netlink.host.nl_neigh#module:proxy), O(netlink.host.nl_neigh#module:router),
      O(netlink.host.nl_neigh#module:extern_learn), O(netlink.host.nl_neigh#module:protocol),
      with the same meaning) and C(state), V(present) or V(absent) (default V(absent)
      when O(netlink.host.nl_neigh#module:state=absent), else V(present)).
    - O(netlink.host.nl_neigh#module:dev), O(netlink.host.nl_neigh#module:nud) and O(netlink.host.nl_neigh#module:protocol)
      given at the top level apply to every item that does not set them; the other entry
      options cannot be given both at the top level and in O(netlink.host.nl_neigh#module:neighbours).
    - O(netlink.host.nl_neigh#module:state=gathered) returns items in this format.
    type: list
    elements: dict
  fdb:
    description:
    - 'The section fdb of the state: what M(netlink.host.nl_fdb) takes as O(netlink.host.nl_fdb#module:entries).'
    - Several entries in one task (one read per device, one batch of requests).
    - Each item is a dict with the entry options of this module (O(netlink.host.nl_fdb#module:dev),
      O(netlink.host.nl_fdb#module:mac), O(netlink.host.nl_fdb#module:master), O(netlink.host.nl_fdb#module:vlan),
      O(netlink.host.nl_fdb#module:src_vni), O(netlink.host.nl_fdb#module:dst), O(netlink.host.nl_fdb#module:vni),
      O(netlink.host.nl_fdb#module:port), O(netlink.host.nl_fdb#module:entry_state),
      O(netlink.host.nl_fdb#module:sticky), with the same meaning) and C(state), V(present)
      or V(absent) (default V(absent) when O(netlink.host.nl_fdb#module:state=absent),
      else V(present)).
    - O(netlink.host.nl_fdb#module:dev), O(netlink.host.nl_fdb#module:master) and O(netlink.host.nl_fdb#module:entry_state)
      given at the top level apply to every item that does not set them; the other entry
      options cannot be given both at the top level and in O(netlink.host.nl_fdb#module:entries).
    - O(netlink.host.nl_fdb#module:state=gathered) returns items in this format.
    type: list
    elements: dict
  nexthops:
    description:
    - 'The section nexthops of the state: what M(netlink.host.nl_nexthop) takes as O(netlink.host.nl_nexthop#module:nexthops).'
    - Several nexthops and groups in one task (one read, one batch of requests).
    - Each item is a dict with the nexthop options of this module (O(netlink.host.nl_nexthop#module:id),
      O(netlink.host.nl_nexthop#module:gateway), O(netlink.host.nl_nexthop#module:dev),
      O(netlink.host.nl_nexthop#module:onlink), O(netlink.host.nl_nexthop#module:blackhole),
      O(netlink.host.nl_nexthop#module:fdb), O(netlink.host.nl_nexthop#module:family),
      O(netlink.host.nl_nexthop#module:group), O(netlink.host.nl_nexthop#module:type),
      O(netlink.host.nl_nexthop#module:buckets), O(netlink.host.nl_nexthop#module:idle_timer),
      O(netlink.host.nl_nexthop#module:unbalanced_timer), O(netlink.host.nl_nexthop#module:protocol),
      with the same meaning) and C(state), V(present) or V(absent) (default V(absent)
      when O(netlink.host.nl_nexthop#module:state=absent), else V(present)).
    - An item may also carry C(encap), the encapsulation type O(netlink.host.nl_nexthop#module:state=gathered)
      names (see the notes); it only matches a nexthop the kernel holds with that encapsulation.
    - O(netlink.host.nl_nexthop#module:protocol) given at the top level applies to every
      item that does not set it; the other nexthop options cannot be given both at the
      top level and in O(netlink.host.nl_nexthop#module:nexthops).
    - O(netlink.host.nl_nexthop#module:state=gathered) returns items in this format.
    type: list
    elements: dict
  routes:
    description:
    - 'The section routes of the state: what M(netlink.host.nl_route) takes as O(netlink.host.nl_route#module:routes).'
    - Several routes in one task (one filtered read per table and protocol, one batch
      of requests).
    - Each item is a dict with the keys O(netlink.host.nl_route#module:dst), O(netlink.host.nl_route#module:gateway),
      O(netlink.host.nl_route#module:dev), O(netlink.host.nl_route#module:src), O(netlink.host.nl_route#module:metric),
      O(netlink.host.nl_route#module:table), O(netlink.host.nl_route#module:protocol),
      O(netlink.host.nl_route#module:scope), O(netlink.host.nl_route#module:type), O(netlink.host.nl_route#module:tos),
      O(netlink.host.nl_route#module:onlink), O(netlink.host.nl_route#module:pref),
      O(netlink.host.nl_route#module:expires), O(netlink.host.nl_route#module:nhid),
      O(netlink.host.nl_route#module:nexthops), O(netlink.host.nl_route#module:family),
      the route metrics (O(netlink.host.nl_route#module:mtu), O(netlink.host.nl_route#module:advmss),
      ...), O(netlink.host.nl_route#module:lock), and C(state) (V(present) or V(absent),
      for this item only), with the meaning of the top-level options; or a destination
      string (C(10.0.0.0/8) alone is a route to remove with O(netlink.host.nl_route#module:state=absent)).
    - The route metrics may also be given as one C(metrics) dict with the object format
      of RV(netlink.host.nl_route#module:routes) (C(cc_algo) for O(netlink.host.nl_route#module:congctl)),
      so RV(netlink.host.nl_route#module:routes) and RV(netlink.host.nl_route#module:gathered)
      can be fed back as input.
    - Top-level O(netlink.host.nl_route#module:dev), O(netlink.host.nl_route#module:table),
      O(netlink.host.nl_route#module:protocol), O(netlink.host.nl_route#module:metric),
      O(netlink.host.nl_route#module:type), O(netlink.host.nl_route#module:scope), O(netlink.host.nl_route#module:src),
      O(netlink.host.nl_route#module:onlink), O(netlink.host.nl_route#module:pref),
      O(netlink.host.nl_route#module:expires), O(netlink.host.nl_route#module:family),
      metrics and O(netlink.host.nl_route#module:lock) are defaults for every item that
      does not set the same key.
    - Mutually exclusive with O(netlink.host.nl_route#module:dst).
    type: list
    elements: raw
  rules:
    description:
    - 'The section rules of the state: what M(netlink.host.nl_rule) takes as O(netlink.host.nl_rule#module:rules).'
    - Several rules in one task (one read per family, one batch of requests).
    - Each item is a dict with the keys of the rule options of this module (O(netlink.host.nl_rule#module:priority),
      O(netlink.host.nl_rule#module:from), O(netlink.host.nl_rule#module:to), O(netlink.host.nl_rule#module:table),
      O(netlink.host.nl_rule#module:action), ... with the same meaning; C(not) is O(netlink.host.nl_rule#module:invert))
      and C(state), V(present) or V(absent) (default V(absent) when O(netlink.host.nl_rule#module:state=absent),
      else V(present)).
    - O(netlink.host.nl_rule#module:protocol) and O(netlink.host.nl_rule#module:family)
      given at the top level apply to every item that does not set them; the other rule
      options cannot be given both at the top level and in O(netlink.host.nl_rule#module:rules).
    - O(netlink.host.nl_rule#module:state=gathered) returns items in this format.
    type: list
    elements: dict
  xfrm_states:
    description:
    - 'The section xfrm_states of the state: what M(netlink.host.nl_xfrm) takes as O(netlink.host.nl_xfrm#module:states).'
    - Security associations (C(ip xfrm state)), each identified by O(netlink.host.nl_xfrm#module:states[].dst),
      O(netlink.host.nl_xfrm#module:states[].spi), O(netlink.host.nl_xfrm#module:states[].proto)
      and O(netlink.host.nl_xfrm#module:states[].mark).
    - Fields not given are not compared; a new SA gets the kernel's defaults for them.
    type: list
    elements: dict
    suboptions:
      src:
        description: Source address of the SA (the local end for outbound SAs). Required
          unless the item is absent.
        type: str
      dst:
        description: Destination address of the SA. Must be of the family of O(netlink.host.nl_xfrm#module:states[].src).
        type: str
        required: true
      proto:
        description: IPsec protocol.
        type: str
        choices:
        - esp
        - ah
        - comp
        default: esp
      spi:
        description:
        - Security parameter index, 1 to 4294967295, as a number or C(0x) hex text.
        - For V(comp) it is the 16-bit CPI (1-65535). V(0) is refused.
        type: raw
        required: true
      mode:
        description: Encapsulation mode. A new SA defaults to V(transport).
        type: str
        choices:
        - transport
        - tunnel
        - beet
      reqid:
        description: Request id tying the SA to the policy templates with the same O(netlink.host.nl_xfrm#module:policies[].templates[].reqid).
        type: int
      aead:
        description: Authenticated encryption (ESP only, instead of O(netlink.host.nl_xfrm#module:states[].enc)
          and O(netlink.host.nl_xfrm#module:states[].auth)).
        type: dict
        suboptions:
          name:
            description:
            - The kernel's algorithm name, V(rfc4106(gcm(aes\)\)), V(rfc4309(ccm(aes\)\)),
              V(rfc4543(gcm(aes\)\)) or V(rfc7539esp(chacha20,poly1305\)).
            type: str
            required: true
          key:
            description:
            - The key followed by the salt, as C(0x) and hex digits (iproute2's form),
              e.g. 160, 224 or 288 bits for V(rfc4106(gcm(aes\)\)) (a 128, 192 or 256-bit
              AES key and a 32-bit salt), 152, 216 or 280 bits for V(rfc4309(ccm(aes\)\))
              (24-bit salt), 288 bits for ChaCha20-Poly1305.
            type: str
            required: true
          icv_len:
            description: ICV length in bits (V(64), V(96) or V(128); a new SA defaults
              to V(128)).
            type: int
      enc:
        description: Encryption algorithm (ESP).
        type: dict
        suboptions:
          name:
            description:
            - V(cbc(aes\)) (alias V(aes)), V(rfc3686(ctr(aes\)\)), V(cbc(des3_ede\)),
              V(cbc(des\)), V(cbc(cast5\)), V(cbc(blowfish\)), V(cbc(serpent\)), V(cbc(camellia\)),
              V(cbc(twofish\)), V(cbc(sm4\)) or V(ecb(cipher_null\)).
            - An alias is stored under the kernel's canonical name.
            type: str
            required: true
          key:
            description:
            - The key as C(0x) and hex digits, of a length the algorithm takes (128,
              192 or 256 bits for AES; for V(rfc3686(ctr(aes\)\)) followed by a 32-bit
              nonce).
            type: str
            required: true
      auth:
        description: Authentication algorithm (ESP with O(netlink.host.nl_xfrm#module:states[].enc),
          or AH).
        type: dict
        suboptions:
          name:
            description:
            - V(hmac(sha256\)) (alias V(sha256)), V(hmac(sha1\)), V(hmac(sha384\)),
              V(hmac(sha512\)), V(hmac(md5\)), V(hmac(rmd160\)), V(xcbc(aes\)), V(cmac(aes\)),
              V(hmac(sm3\)) or V(digest_null).
            type: str
            required: true
          key:
            description: The key as C(0x) and hex digits, as long as the hash (256 bits
              for V(hmac(sha256\))).
            type: str
            required: true
          trunc_len:
            description:
            - ICV truncation in bits (C(auth-trunc)); without it the kernel uses the
              algorithm's default (96 bits for the HMACs of RFC 2404/4868's older SAs).
            type: int
      comp:
        description: Compression algorithm (IPcomp).
        type: dict
        suboptions:
          name:
            description: V(deflate), V(lzs) or V(lzjh).
            type: str
            required: true
      replay_window:
        description:
        - Replay window in packets, 0 to 4096. Above 32 it travels as C(XFRMA_REPLAY_ESN_VAL),
          as iproute2 sends it.
        type: int
      flags:
        description: SA flags.
        type: list
        elements: str
        choices:
        - noecn
        - decap-dscp
        - nopmtudisc
        - wildrecv
        - icmp
        - af-unspec
        - align4
        - esn
      extra_flags:
        description: Extra SA flags (C(extra-flag)).
        type: list
        elements: str
        choices:
        - dont-encap-dscp
        - oseq-may-wrap
      mark:
        description: Mark the SA matches (part of its identity).
        type: dict
        suboptions:
          value:
            description: Mark value (number or C(0x) hex).
            type: raw
            required: true
          mask:
            description: Mask (default all ones; number or C(0x) hex).
            type: raw
      output_mark:
        description: Mark set on packets the SA outputs (C(output-mark)); changed in
          place.
        type: dict
        suboptions:
          value:
            description: Mark value (number or C(0x) hex).
            type: raw
            required: true
          mask:
            description: Mask (default all ones; number or C(0x) hex).
            type: raw
      if_id:
        description: Interface id binding the SA to an xfrm interface with the same
          C(if_id); changed in place.
        type: int
      dir:
        description: SA direction (kernel 6.10+). Refused by older kernels.
        type: str
        choices:
        - in
        - out
      encap:
        description: UDP (NAT-T) or TCP encapsulation of ESP.
        type: dict
        suboptions:
          type:
            description: Encapsulation type.
            type: str
            choices:
            - espinudp
            - espinudp-nonike
            - espintcp
            default: espinudp
          sport:
            description: Source port (4500 for NAT-T).
            type: int
            required: true
          dport:
            description: Destination port (4500 for NAT-T).
            type: int
            required: true
          oa:
            description: Original address (before NAT).
            type: str
      selector:
        description: Traffic selector of the SA (C(sel)).
        type: dict
        suboptions:
          src:
            description: Source prefix (C(ADDR[/LEN]); a host without /LEN). Defaults
              to the whole family.
            type: str
          dst:
            description: Destination prefix. Defaults to the whole family.
            type: str
          proto:
            description: Upper-layer protocol (name such as V(tcp), V(udp), V(icmp),
              or number).
            type: str
          sport:
            description: Source port (needs O(netlink.host.nl_xfrm#module:states[].selector.proto)
              tcp, udp, sctp or dccp).
            type: int
          dport:
            description: Destination port.
            type: int
          type:
            description: ICMP type (with proto V(icmp), V(ipv6-icmp) or V(mobility-header)).
            type: int
          code:
            description: ICMP code.
            type: int
          dev:
            description:
            - Device the traffic uses.
            - It must exist (so must O(netlink.host.nl_xfrm#module:states[].offload.dev));
              in check mode one that does not gets a warning instead, as an earlier
              task of the play may create it.
            type: str
      lifetime:
        description: Limits (C(limit)); changed in place. Byte and packet limits take
          a number or V(inf).
        type: dict
        suboptions:
          time_soft:
            description: Seconds after which the SA expires softly (C(time-soft)).
            type: int
          time_hard:
            description: Seconds after which it is removed (C(time-hard)).
            type: int
          time_use_soft:
            description: Seconds after first use (C(time-use-soft)).
            type: int
          time_use_hard:
            description: Seconds after first use (C(time-use-hard)).
            type: int
          byte_soft:
            description: Bytes (C(byte-soft)).
            type: str
          byte_hard:
            description: Bytes (C(byte-hard)).
            type: str
          packet_soft:
            description: Packets (C(packet-soft)).
            type: str
          packet_hard:
            description: Packets (C(packet-hard)).
            type: str
      offload:
        description: Hardware offload (C(offload [packet] dev DEV dir DIR)); needs a
          device that supports it.
        type: dict
        suboptions:
          dev:
            description: The device.
            type: str
            required: true
          dir:
            description: Direction.
            type: str
            choices:
            - in
            - out
            default: out
          type:
            description: Crypto offload or full packet offload.
            type: str
            choices:
            - crypto
            - packet
            default: crypto
      state:
        description: This SA's own state, overriding O(netlink.host.nl_xfrm#module:state)
          (V(present) or V(absent)).
        type: str
        choices:
        - present
        - absent
  xfrm_policies:
    description:
    - 'The section xfrm_policies of the state: what M(netlink.host.nl_xfrm) takes as
      O(netlink.host.nl_xfrm#module:policies).'
    - Security policies (C(ip xfrm policy)), each identified by its selector, O(netlink.host.nl_xfrm#module:policies[].dir),
      O(netlink.host.nl_xfrm#module:policies[].ptype), O(netlink.host.nl_xfrm#module:policies[].mark)
      and O(netlink.host.nl_xfrm#module:policies[].if_id).
    type: list
    elements: dict
    suboptions:
      selector:
        description: The traffic the policy applies to; V(src) and/or V(dst) required.
        type: dict
        required: true
        suboptions:
          src:
            description: Source prefix (C(ADDR[/LEN]); a host without /LEN). Defaults
              to the whole family.
            type: str
          dst:
            description: Destination prefix. Defaults to the whole family.
            type: str
          proto:
            description: Upper-layer protocol (name such as V(tcp), V(udp), V(icmp),
              or number).
            type: str
          sport:
            description: Source port (needs O(netlink.host.nl_xfrm#module:states[].selector.proto)
              tcp, udp, sctp or dccp).
            type: int
          dport:
            description: Destination port.
            type: int
          type:
            description: ICMP type (with proto V(icmp), V(ipv6-icmp) or V(mobility-header)).
            type: int
          code:
            description: ICMP code.
            type: int
          dev:
            description:
            - Device the traffic uses.
            - It must exist (so must O(netlink.host.nl_xfrm#module:states[].offload.dev));
              in check mode one that does not gets a warning instead, as an earlier
              task of the play may create it.
            type: str
      dir:
        description: Direction.
        type: str
        choices:
        - in
        - out
        - fwd
        required: true
      ptype:
        description: Policy type.
        type: str
        choices:
        - main
        - sub
        default: main
      action:
        description: What the policy does with matching traffic. A new policy defaults
          to V(allow).
        type: str
        choices:
        - allow
        - block
      priority:
        description: Priority (lower wins). A new policy defaults to V(0).
        type: int
      flags:
        description: Policy flags.
        type: list
        elements: str
        choices:
        - localok
        - icmp
      mark:
        description: Mark the policy matches (part of its identity).
        type: dict
        suboptions:
          value:
            description: Mark value (number or C(0x) hex).
            type: raw
            required: true
          mask:
            description: Mask (default all ones; number or C(0x) hex).
            type: raw
      if_id:
        description: Interface id (part of its identity; for policies of xfrm interfaces).
        type: int
      lifetime:
        description: Limits (C(limit)).
        type: dict
        suboptions:
          time_soft:
            description: Seconds after which the SA expires softly (C(time-soft)).
            type: int
          time_hard:
            description: Seconds after which it is removed (C(time-hard)).
            type: int
          time_use_soft:
            description: Seconds after first use (C(time-use-soft)).
            type: int
          time_use_hard:
            description: Seconds after first use (C(time-use-hard)).
            type: int
          byte_soft:
            description: Bytes (C(byte-soft)).
            type: str
          byte_hard:
            description: Bytes (C(byte-hard)).
            type: str
          packet_soft:
            description: Packets (C(packet-soft)).
            type: str
          packet_hard:
            description: Packets (C(packet-hard)).
            type: str
      templates:
        description:
        - The transformations matching traffic needs (C(tmpl)), in order. The whole
          list is compared; V([]) means none.
        - 'At most 6 (the kernel''s C(XFRM_MAX_DEPTH)). Only a tunnel or beet template
          may change the address family: a transport template has the family of the
          template before it (the selector''s for the first), which is also what its
          any-addresses take when it gives none.'
        type: list
        elements: dict
        suboptions:
          src:
            description: Tunnel source (tunnel mode); any when not given.
            type: str
          dst:
            description: Tunnel destination (tunnel mode); any when not given.
            type: str
          proto:
            description: IPsec protocol.
            type: str
            choices:
            - esp
            - ah
            - comp
            default: esp
          spi:
            description: SPI (V(0), the default, matches any; number or C(0x) hex).
            type: raw
          mode:
            description: Mode.
            type: str
            choices:
            - transport
            - tunnel
            - beet
            default: transport
          reqid:
            description: Request id (V(0), the default, matches any).
            type: int
          level:
            description:
            - V(required), or V(use) (applied when an SA exists).
            - The kernel refuses V(use) on a tunnel or beet template of an V(out) policy.
            type: str
            choices:
            - required
            - use
            default: required
      state:
        description: This policy's own state, overriding O(netlink.host.nl_xfrm#module:state)
          (V(present) or V(absent)).
        type: str
        choices:
        - present
        - absent
  xfrm_defaults:
    description:
    - 'The section xfrm_defaults of the state: what M(netlink.host.nl_xfrm) takes as
      O(netlink.host.nl_xfrm#module:defaults).'
    - The default policies (C(ip xfrm policy setdefault), kernel 5.16+), what happens
      to traffic that no policy matches. A direction not given is not changed.
    type: dict
    suboptions:
      in:
        description: Inbound.
        type: str
        choices:
        - allow
        - block
      fwd:
        description: Forwarded.
        type: str
        choices:
        - allow
        - block
      out:
        description: Outbound.
        type: str
        choices:
        - allow
        - block
  sections:
    description: With O(state=gathered), the sections to return (default all of them).
    type: list
    elements: str
    choices: [netconf_all, netconf_default, links, addresses, neighbours, fdb, nexthops, routes, rules, xfrm_states, xfrm_policies, xfrm_defaults]
  # END generated (section-options)
  mode:
    description:
      - V(present) adds and changes what the sections name; V(replaced) also
        removes what each module's V(replaced) removes (the same meaning as
        the network role's C(network_mode) and the state file's C(mode)).
    type: str
    choices: [present, replaced]
    default: present
  state:
    description:
      - V(present) applies the sections; V(gathered) returns the host (RV(gathered)).
    type: str
    choices: [present, gathered]
    default: present
  show_keys:
    description: With O(state=gathered), the IPsec SAs' keys in clear (so that RV(gathered) reproduces them).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
author:
  - netlink.host contributors (@netlink-host)
'''

EXAMPLES = r'''
- name: A bridge with an address and a route through it, in one transaction
  netlink.host.nl_state:
    links:
      - {name: br0, kind: bridge, state: up}
    addresses:
      - {dev: br0, addresses: [192.0.2.1/24]}
    routes:
      - {dst: 198.51.100.0/24, gateway: 192.0.2.254}
'''

RETURN = r'''
# BEGIN generated (confirm)
confirm_id:
  description:
    - With O(confirm_timeout), when the task changed something (not in
      check mode), the id of its pending record; pass it to
      M(netlink.host.nl_confirm), as one of its C(ids), to keep the change.
  returned: when confirm_timeout is set and something changed
  type: str
  sample: 20261130T081257917872Z-465ebb
confirm_deadline:
  description: With RV(confirm_id), when the change rolls back unless confirmed (UTC, ISO 8601).
  returned: when confirm_timeout is set and something changed
  type: str
  sample: "2026-11-30T08:13:00Z"
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
      undo (SAs with their real keys).
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
      description: The object kind (V(link), V(address), V(route), V(rule), V(neigh), V(fdb), V(nexthop), V(xfrm_state),
        V(xfrm_policy), V(xfrm_default), V(sysctl)).
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
# END generated (apply)
# BEGIN generated (sections)
netconf_all:
  description:
    - With O(netconf_all), the objects M(netlink.host.nl_netconf) returns for its O(netlink.host.nl_netconf#module:all)
      after the run (in check mode, as they would be), secrets masked.
  returned: when netconf_all is given and state is not gathered
  type: dict
netconf_default:
  description:
    - With O(netconf_default), the objects M(netlink.host.nl_netconf) returns for its
      O(netlink.host.nl_netconf#module:default) after the run (in check mode, as they would be), secrets masked.
  returned: when netconf_default is given and state is not gathered
  type: dict
links:
  description:
    - With O(links), the objects M(netlink.host.nl_link) returns for its O(netlink.host.nl_link#module:links) after the
      run (in check mode, as they would be), secrets masked.
  returned: when links is given and state is not gathered
  type: list
  elements: dict
addresses:
  description:
    - With O(addresses), the objects M(netlink.host.nl_addr) returns for its O(netlink.host.nl_addr#module:devices)
      after the run (in check mode, as they would be), secrets masked.
  returned: when addresses is given and state is not gathered
  type: list
  elements: dict
neighbours:
  description:
    - With O(neighbours), the objects M(netlink.host.nl_neigh) returns for its
      O(netlink.host.nl_neigh#module:neighbours) after the run (in check mode, as they would be), secrets masked.
  returned: when neighbours is given and state is not gathered
  type: list
  elements: dict
fdb:
  description:
    - With O(fdb), the objects M(netlink.host.nl_fdb) returns for its O(netlink.host.nl_fdb#module:entries) after the
      run (in check mode, as they would be), secrets masked.
  returned: when fdb is given and state is not gathered
  type: list
  elements: dict
nexthops:
  description:
    - With O(nexthops), the objects M(netlink.host.nl_nexthop) returns for its
      O(netlink.host.nl_nexthop#module:nexthops) after the run (in check mode, as they would be), secrets masked.
  returned: when nexthops is given and state is not gathered
  type: list
  elements: dict
routes:
  description:
    - With O(routes), the objects M(netlink.host.nl_route) returns for its O(netlink.host.nl_route#module:routes) after
      the run (in check mode, as they would be), secrets masked.
  returned: when routes is given and state is not gathered
  type: list
  elements: dict
rules:
  description:
    - With O(rules), the objects M(netlink.host.nl_rule) returns for its O(netlink.host.nl_rule#module:rules) after the
      run (in check mode, as they would be), secrets masked.
  returned: when rules is given and state is not gathered
  type: list
  elements: dict
xfrm_states:
  description:
    - With O(xfrm_states), the objects M(netlink.host.nl_xfrm) returns for its O(netlink.host.nl_xfrm#module:states)
      after the run (in check mode, as they would be), secrets masked.
  returned: when xfrm_states is given and state is not gathered
  type: list
  elements: dict
xfrm_policies:
  description:
    - With O(xfrm_policies), the objects M(netlink.host.nl_xfrm) returns for its O(netlink.host.nl_xfrm#module:policies)
      after the run (in check mode, as they would be), secrets masked.
  returned: when xfrm_policies is given and state is not gathered
  type: list
  elements: dict
xfrm_defaults:
  description:
    - With O(xfrm_defaults), the objects M(netlink.host.nl_xfrm) returns for its O(netlink.host.nl_xfrm#module:defaults)
      after the run (in check mode, as they would be), secrets masked.
  returned: when xfrm_defaults is given and state is not gathered
  type: dict
# END generated (sections)
diff:
  description:
    - With C(--diff), one before/after entry per change of the one plan, every kind's.
    - When the kernel refuses a request, only the entries of the requests sent until then.
  returned: when diff mode is on and something changed and state is not gathered
  type: list
  elements: dict
commands:
  description: The equivalent iproute2 commands of the one plan, applied or (in check mode) planned, in the order they are sent.
  returned: unless state is gathered
  type: list
  elements: str
  sample: ["ip link add br0 up type bridge", "ip address add 192.0.2.1/24 dev br0"]
gathered:
  description: The host in this module's input format, one key per section.
  returned: state is gathered
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netlink.host.plugins.module_utils.runner.module_runner import run
from ansible_collections.netlink.host.plugins.module_utils.state import whole
from ansible_collections.netlink.host.plugins.module_utils.state.spec import argument_spec


def _packed():
    """Never called.  Ansible packs what a module imports anywhere in its
    source: this puts every module's task and spec in the payload, and the
    sections import by name only those of the sections a task gives (a
    module-level import compiled every kind's code on every host, each
    run: the payload has no .pyc)."""
    from ansible_collections.netlink.host.plugins.module_utils.state import packed  # noqa: F401  pylint: disable=unused-import


def build_module():
    return AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)


def main():
    run(build_module(), whole.StateTask(), engine=whole)


if __name__ == "__main__":
    main()
