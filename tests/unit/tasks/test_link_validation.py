"""nl_link's input rules and planning helpers, without a kernel."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import NetnsError
from ansible_collections.netlink.host.plugins.module_utils.netlink.netns import entered, netns_path
from ansible_collections.netlink.host.plugins.module_utils.objects.link import LinkKind
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask
from ansible_collections.netlink.host.plugins.module_utils.tasks.link_bridge_mtu import reassert_bridge_mtu
from ansible_collections.netlink.host.plugins.module_utils.tasks.link_readback import read_back
from ansible_collections.netlink.host.plugins.module_utils.engine.context import validate_netns
from ansible_collections.netlink.host.plugins.module_utils.tasks.validate import validate_ifname


@pytest.mark.parametrize("value", ["", "a/b", "./x", "..", ".", "x" * 256, "a\0b", 5])
def test_bad_netns_is_refused_everywhere(value):
    with pytest.raises(contract.ValidationError) as exc:
        validate_netns(value, "netns")
    assert str(exc.value).startswith("netns=%r" % (value,))
    with pytest.raises(NetnsError):
        netns_path(value)


def test_empty_netns_never_means_here():
    with pytest.raises(NetnsError):
        with entered(""):
            pass


@pytest.mark.parametrize("value,path", [("web", "/run/netns/web"), ("/proc/1/ns/net", "/proc/1/ns/net"),
                                        ("/run/netns/x", "/run/netns/x"), ("a b", "/run/netns/a b")])
def test_good_netns(value, path):
    validate_netns(value, "netns")
    assert netns_path(value) == path


@pytest.mark.parametrize("name", ["veth%d", "a%%", "%", "all", "default", "a b", "a\tb", "a\x0bb", "a:b", "a/b",
                                  ".", "..", "", "x" * 16])
def test_bad_link_names(name):
    with pytest.raises(contract.ValidationError):
        validate_ifname(name, "name")


@pytest.mark.parametrize("name", ["eth0", "all0", "defaults", "x" * 15, "br-lan.10", "tap@x"])
def test_good_link_names(name):
    validate_ifname(name, "name")


def desired(**params):
    return LinkTask().desired(params)


@pytest.mark.parametrize("mtu,ok", [(0, True), (65536, True), (2 ** 31 - 1, True), (2 ** 31, False), (-1, False)])
def test_static_mtu_range_is_what_the_kernel_represents(mtu, ok):
    if ok:
        assert desired(name="lo", mtu=mtu)[0]["mtu"] == mtu
    else:
        with pytest.raises(contract.ValidationError, match="mtu=%d" % mtu):
            desired(name="lo", mtu=mtu)


def test_forward_delay_range_depends_on_stp():
    assert desired(name="br0", kind="bridge", bridge={"forward_delay": 0})[0]["bridge"]["forward_delay"] == 0
    with pytest.raises(contract.ValidationError, match="forward_delay=0 .*stp on"):
        desired(name="br0", kind="bridge", bridge={"stp": True, "forward_delay": 0})


def test_relative_peer_netns_is_refused():
    with pytest.raises(contract.ValidationError, match=r"veth\.peer_netns='x/y'"):
        desired(name="v0", kind="veth", veth={"peer": "v1", "peer_netns": "x/y"})


KIND = LinkKind()


def link(name, **kw):
    obj = {"name": name, "kind": None, "state": "down", "mtu": 1500, "address": None, "txqueuelen": None,
           "master": "", "alias": "", "link": None}
    obj.update(kw)
    return obj


def test_bridge_mtu_is_set_again_after_its_ports():
    want = [dict(link("br0", kind="bridge", mtu=9000), state="present"),
            dict(link("p0", kind="veth", master="br0", veth={"peer": "p1"}), state="present")]
    changes = [contract.change(KIND, contract.CREATE, None, link("br0", kind="bridge", mtu=9000)),
               contract.change(KIND, contract.CREATE, None, link("p0", kind="veth", master="br0"))]
    changes[0]["stage"], changes[1]["stage"] = 0, 2
    out = reassert_bridge_mtu(KIND, changes, want, {})
    assert len(out) == 3
    again = out[2]
    assert again["op"] == contract.UPDATE and again["stage"] == 3 and again["key"] == ["br0"]
    assert again["before"]["mtu"] is None and again["after"]["mtu"] == 9000 and "ports" in again["note"]


def test_bridge_mtu_alone_is_not_repeated():
    want = [dict(link("br0", kind="bridge", mtu=9000), state="present")]
    changes = [contract.change(KIND, contract.CREATE, None, link("br0", kind="bridge", mtu=9000))]
    assert reassert_bridge_mtu(KIND, changes, want, {}) == changes


def test_read_back_warns_and_tells_whether_anything_moved():
    before = link("br0", kind="bridge", bridge={"stp": False})
    want = dict(link("br0", kind=None, mtu=None), bridge={"stp": True}, state="present")
    want["master"] = want["alias"] = None
    plan = [contract.change(KIND, contract.UPDATE, before, link("br0", kind="bridge", bridge={"stp": True}))]
    # the kernel acked the update but shows the link as it was
    warnings, changed = read_back(KIND, plan, [want], {("br0",): before}, [dict(before)])
    assert changed is False
    assert warnings == ["link br0: bridge.stp=True was accepted by the kernel, but after the run it shows False "
                        "(a setting this kernel ignores?)"]
    # it took
    now = link("br0", kind="bridge", bridge={"stp": True})
    assert read_back(KIND, plan, [want], {("br0",): before}, [now]) == ([], True)
