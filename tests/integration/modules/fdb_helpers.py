"""Shared by the nl_fdb tests: the FDB entries of a namespace as the
library reads them (every device's, one filtered dump each), and a
VXLAN device on a bridge made with nl_link."""
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.objects.fdb import is_owned

FDB = registry.kind("fdb")


def fdb_of(ns, dev=None, owned_only=True):
    """The entries of ``ns`` (of ``dev``), kernel block dropped, sorted;
    ``owned_only``: the permanent and static ones someone added (learned
    ones and the kernel's own come and go)."""
    out = []
    with KernelContext(ns) as ctx:
        for index, msg in sorted(ctx.links().items()):
            name = msg.attrs.get("ifname")
            if dev is not None and name != dev:
                continue
            for obj in FDB.dump_dev(ctx, name, index, msg.attrs.get("address")):
                if not owned_only or is_owned(obj):
                    out.append(dict((k, v) for k, v in obj.items() if k != "kernel"))
    return sorted(out, key=lambda o: repr(FDB.key(o)))


def vxlan_on_bridge(run_module, ns, local="10.99.0.1", vni=42, extra=None):
    """br0 (up) and vx0 (VXLAN ``vni``, port 4789, no learning, up) on it,
    plus the links of ``extra``, made by nl_link."""
    links = [{"name": "br0", "kind": "bridge", "state": "up"},
             {"name": "vx0", "kind": "vxlan", "master": "br0", "state": "up",
              "vxlan": {"id": vni, "local": local, "dstport": 4789, "learning": False}}]
    r = run_module("nl_link", {"links": links + list(extra or [])}, netns=ns)
    assert not r.get("failed"), r
