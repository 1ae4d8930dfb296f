"""Shared by the nl_neigh tests: the neighbour entries of a namespace as the
library reads them (both tables and the proxy tables of every device), and
a snapshot that includes them (tests/integration/snapshots.py has no
neighbours).  The noarp entries the kernel makes by itself for multicast
groups (ff02::16 when MLD reports go out) come and go: left out."""
import ipaddress

from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.objects import registry

from ansible_collections.netlink.host.tests.integration.snapshots import snapshot

NEIGH = registry.kind("neigh")


def entries_of(ns, dev=None, static_only=True):
    """The entries of ``ns`` (of ``dev``), kernel block dropped, sorted;
    ``static_only``: permanent, noarp and proxy entries (learned ones
    come and go)."""
    out = []
    with KernelContext(ns) as ctx:
        for index, msg in sorted(ctx.links().items()):
            name = msg.attrs.get("ifname")
            if dev is not None and name != dev:
                continue
            for proxy in (False, True):
                for obj in NEIGH.dump_dev(ctx, name, index, proxy):
                    if ipaddress.ip_address(obj["dst"]).is_multicast:
                        continue
                    if not static_only or obj["proxy"] or obj["nud"] in ("permanent", "noarp"):
                        out.append(dict((k, v) for k, v in obj.items() if k != "kernel"))
    return sorted(out, key=lambda o: repr(NEIGH.key(o)))


def full_snapshot(ns):
    state = snapshot(ns)
    state["neighbours"] = entries_of(ns)
    return state
