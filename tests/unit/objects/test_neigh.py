"""The neigh kind and nl_neigh's input, without a kernel: identity, the
``ip neigh`` words of each change, the request a change makes, what the
kernel cannot change in place, and input refused naming option and value."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import neigh as N
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.tasks.neigh import NeighTask, gathered_form

KIND = registry.kind("neigh")
ENTRY = {"dev": "eth0", "dst": "2001:db8::9", "proxy": False, "lladdr": "02:00:00:00:00:09", "nud": "permanent",
         "router": True, "extern_learn": False, "protocol": "static"}
PROXY = dict(ENTRY, dst="192.0.2.10", proxy=True, lladdr=None, nud=None, router=False)


class Ctx:
    netns = "lab"

    def ifindex(self, name, required=True):
        if name == "eth0":
            return 2
        raise KeyError(name)


def test_identity_is_dev_dst_proxy():
    assert KIND.key(ENTRY) == ("eth0", "2001:db8::9", False)
    assert KIND.key(PROXY) == ("eth0", "192.0.2.10", True)
    assert KIND.label(PROXY) == "proxy 192.0.2.10 dev eth0"


@pytest.mark.parametrize("op,obj,words", [
    (contract.CREATE, ENTRY, "ip -n lab neigh replace 2001:db8::9 lladdr 02:00:00:00:00:09 nud permanent dev eth0 "
                             "router protocol static"),
    (contract.DELETE, ENTRY, "ip -n lab neigh del 2001:db8::9 dev eth0"),
    (contract.CREATE, PROXY, "ip -n lab neigh replace proxy 192.0.2.10 dev eth0 protocol static"),
    (contract.DELETE, PROXY, "ip -n lab neigh del proxy 192.0.2.10 dev eth0"),
    (contract.CREATE, dict(ENTRY, protocol="unspec", router=False, extern_learn=True, nud="stale"),
     "ip -n lab neigh replace 2001:db8::9 lladdr 02:00:00:00:00:09 nud stale dev eth0 extern_learn"),
    (contract.CREATE, dict(ENTRY, protocol=250), "ip -n lab neigh replace 2001:db8::9 lladdr 02:00:00:00:00:09 "
                                                 "nud permanent dev eth0 router protocol 250"),
])
def test_commands(op, obj, words):
    ch = contract.change(KIND, op, obj if op == contract.DELETE else None, obj if op != contract.DELETE else None)
    assert KIND.command(ch, Ctx()) == words


def test_requests():
    req = KIND.request(contract.change(KIND, contract.CREATE, None, ENTRY), Ctx())
    assert (req.type, req.flags) == (C.RTM_NEWNEIGH, C.NLM_F_CREATE | C.NLM_F_REPLACE)
    assert req.header == {"family": C.AF_INET6, "ifindex": 2, "state": N.NUD_PERMANENT, "flags": N.NTF_ROUTER}
    assert req.attrs == {"protocol": 4, "dst": "2001:db8::9", "lladdr": "02:00:00:00:00:09"}
    req = KIND.request(contract.change(KIND, contract.DELETE, PROXY, None), Ctx())
    assert (req.type, req.header["flags"], req.attrs) == (C.RTM_DELNEIGH, N.NTF_PROXY, {"dst": "192.0.2.10"})
    managed = dict(ENTRY, kernel={"ifindex": 7, "flags_ext": N.NTF_EXT_MANAGED})
    req = KIND.request(contract.change(KIND, contract.CREATE, None, managed), Ctx())
    assert req.attrs["flags_ext"] == N.NTF_EXT_MANAGED and req.header["ifindex"] == 2   # by name, not the index read
    with pytest.raises(contract.PlanError, match="eth9"):
        KIND.request(contract.change(KIND, contract.CREATE, None, dict(ENTRY, dev="eth9")), Ctx())


def test_only_a_protocol_taken_away_is_fixed():
    assert KIND.fixed(dict(ENTRY, protocol="unspec"), ENTRY, ["protocol"]) == ["protocol"]
    assert KIND.fixed(dict(ENTRY, protocol="bird"), ENTRY, ["protocol"]) == []
    assert KIND.fixed(dict(ENTRY, lladdr="02:00:00:00:00:01"), ENTRY, ["lladdr"]) == []


def test_a_dynamic_entry_restored_may_have_moved_on():
    assert KIND.mismatch(dict(ENTRY, nud="reachable"), dict(ENTRY, nud="stale")) == []
    assert KIND.mismatch(dict(ENTRY, nud="reachable"), dict(ENTRY, nud="permanent")) == ["nud"]
    assert KIND.mismatch(ENTRY, dict(ENTRY, nud="noarp")) == ["nud"]


def test_gathered_form_is_short():
    assert gathered_form(ENTRY) == {"dev": "eth0", "dst": "2001:db8::9", "lladdr": "02:00:00:00:00:09",
                                    "router": True, "protocol": "static"}
    assert gathered_form(PROXY) == {"dev": "eth0", "dst": "192.0.2.10", "proxy": True, "protocol": "static"}


def desired(**params):
    return NeighTask().desired(dict(params, state=params.get("state", "present")))


def test_input_is_normalised():
    (d,) = desired(dev="eth0", dst="2001:DB8:0::9", lladdr="02-00-00-00-00-0A", router="yes")
    assert (d["dst"], d["lladdr"], d["router"], d["nud"], d["protocol"]) == (
        "2001:db8::9", "02:00:00:00:00:0a", True, "permanent", "static")
    items = [{"dst": "192.0.2.1", "lladdr": "2:0:0:0:0:1"},
             {"dst": "192.0.2.2", "lladdr": "02:00:00:00:00:02", "nud": "stale", "dev": "eth1"}]
    many = desired(dev="eth0", nud="noarp", neighbours=items)
    assert [(o["dev"], o["nud"], o["lladdr"]) for o in many] == [
        ("eth0", "noarp", "02:00:00:00:00:01"), ("eth1", "stale", "02:00:00:00:00:02")]
    assert many.scope == {"devs": ["eth0", "eth1"], "proxy_devs": [], "replaced": None}
    rep = desired(state="replaced", dev="eth2", owned="permanent", family="6", neighbours=[])
    assert rep.scope == {"devs": ["eth2"], "proxy_devs": ["eth2"], "replaced": ("static", "permanent", 6)}


@pytest.mark.parametrize("params,where", [
    ({"dev": "eth0", "dst": "192.0.2.1", "lladdr": "zz:00:00:00:00:01"}, "lladdr=zz:00:00:00:00:01"),
    ({"dev": "eth0", "dst": "192.0.2.1", "lladdr": ":".join(["00"] * 33)}, "lladdr="),
    ({"dev": "eth0", "dst": "192.0.2.1"}, "lladdr=None: required"),
    ({"dev": "eth0", "dst": "192.0.2.1/32", "lladdr": "02:00:00:00:00:01"}, "dst: '192.0.2.1/32'"),
    ({"dev": "eth0", "dst": "::", "lladdr": "02:00:00:00:00:01"}, "dst=::"),
    ({"dev": "eth0", "dst": "192.0.2.1", "proxy": True, "extern_learn": True}, "extern_learn=True"),
    ({"dev": "eth0", "dst": "192.0.2.1", "lladdr": "02:00:00:00:00:01", "nud": "failed"}, "nud=failed"),
    ({"dev": "eth0", "dst": "192.0.2.1", "lladdr": "02:00:00:00:00:01", "family": "4"}, "family=4"),
    ({"state": "gathered", "family": "5"}, "family=5"),
    ({"state": "gathered", "dev": "a/b"}, "dev=a/b"),
    ({"neighbours": "x"}, "neighbours=x"),
    ({"neighbours": [{"dev": "eth0", "dst": "192.0.2.1", "lladdr": "02:00:00:00:00:01", "state": "gone"}]},
     "neighbours[0].state=gone"),
])
def test_bad_input(params, where):
    with pytest.raises(contract.ValidationError) as exc:
        desired(**params)
    assert where in str(exc.value)
