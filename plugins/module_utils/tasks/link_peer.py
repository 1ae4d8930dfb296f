# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A veth whose peer lives in another namespace (the container pattern:
``veth: {peer: ceth0, peer_netns: web}``).

The kernel reports such a veth with IFLA_LINK_NETNSID (the id the peer's
namespace has, seen from this one) and IFLA_LINK (the peer's ifindex in
that namespace); it never reports a namespace name.  To compare with what
the task asks:

- the namespace the task names is resolved to its id with one RTM_GETNSID
  (NETNSA_FD): same id, same namespace, whatever its name or path;
- the peer's name is read with one RTM_GETLINK of that ifindex with
  IFLA_TARGET_NETNSID (no socket in the other namespace).

When the ids match, the current object shows the peer and the namespace as
the task spells it, so a second run compares equal.  Gathered output names
the namespace as ``ip netns`` lists it (the first name under /run/netns
with that id); a namespace without a name there (a container's
/proc/PID/ns/net) leaves the peer out.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type


def peer_elsewhere(msg):
    """(nsid, ifindex) of a veth's peer in another namespace, or None."""
    a = msg.attrs
    kind = (a.get("linkinfo") or {}).get("kind")
    if kind != "veth" or "link_netnsid" not in a or not a.get("link"):
        return None
    return a["link_netnsid"], a["link"]


def resolve_peer(ctx, msg, obj, netns):
    """Fill ``obj``'s veth block from the namespace ``netns`` (a name or a
    path) when the peer lives there; leave it alone otherwise."""
    where = peer_elsewhere(msg)
    if where is None or not ctx.netns_exists(netns):
        return
    nsid, index = where
    if ctx.netnsid(netns) != nsid:
        return
    peer = ctx.link_in(nsid, index)
    if peer is not None and peer.attrs.get("ifname"):
        obj["veth"] = {"peer": peer.attrs["ifname"], "peer_netns": netns}
