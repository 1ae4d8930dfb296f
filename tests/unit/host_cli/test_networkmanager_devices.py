"""networkmanager.touched asks each kind which links its objects live on
(kind.devices): it knows no kind, and a change the kernel makes by itself
(implied) touches nothing it must guard."""
from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.host_cli import networkmanager
from ansible_collections.netlink.host.plugins.module_utils.objects import registry


class Plugged(contract.ObjectKind):
    name = "plugged"

    def key(self, obj):
        return (obj["port"],)

    def devices(self, obj):
        return tuple(obj["ports"])


class Registry:
    def kind(self, name):
        return Plugged() if name == "plugged" else registry.kind(name)


def _ch(kind, before, after, **kw):
    return dict({"kind": kind, "op": "update", "key": [], "before": before, "after": after, "stage": 0}, **kw)


def test_each_kind_says_which_links():
    plan = [_ch("link", {"name": "l0"}, None),
            _ch("address", None, {"dev": "a0", "address": "192.0.2.1/24"}),
            _ch("route", None, {"dst": "10.0.0.0/8", "dev": "r0", "nexthops": [{"dev": "r1"}, "bad", {"dev": None}]}),
            _ch("sysctl", None, {"family": 4, "dev": "s0", "name": "forwarding", "value": True}),
            _ch("rule", None, {"priority": 5, "table": "main"}),
            _ch("plugged", None, {"port": 1, "ports": ["x0", "x1"]}),
            _ch("address", None, {"dev": "gone0", "address": "192.0.2.2/24"}, implied={"by": {}, "as": "address"})]
    assert networkmanager.touched(plan, Registry()) == {"l0", "a0", "r0", "r1", "s0", "x0", "x1"}
