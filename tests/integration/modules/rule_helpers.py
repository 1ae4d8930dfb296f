"""Shared by the nl_rule tests: the rules of a namespace as the library
reads them (both families), and a snapshot that includes IPv6 rules
(tests/integration/snapshots.py shows ``ip rule`` of IPv4 only)."""
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.objects import registry

from ansible_collections.netlink.host.tests.integration.snapshots import ip_json, snapshot

RULE = registry.kind("rule")


def rules_of(ns, with_defaults=False):
    """Every rule of ``ns`` (both families) as the kind reads it, sorted."""
    out = []
    with KernelContext(ns) as ctx:
        for fam in (C.AF_INET, C.AF_INET6):
            for msg in ctx.socket().dump(C.RTM_GETRULE, {"family": fam}):
                obj = RULE.from_msg(msg)
                if obj is not None and (with_defaults or not RULE.kernel_made(obj)):
                    out.append(obj)
    return sorted(out, key=lambda o: repr(RULE.key(o)))


def full_snapshot(ns):
    state = snapshot(ns)
    state["rule6"] = sorted(ip_json(ns, "-6", "rule", "show"), key=repr)
    state["rules"] = rules_of(ns, with_defaults=True)
    return state
