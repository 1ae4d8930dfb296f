"""Generic netlink through the library against this machine's kernel, in
throwaway namespaces: families resolved by name (CTRL_CMD_GETFAMILY) and
listed (its dump), each cross-checked with ``genl ctrl`` (iproute2, an
independent client); a family the kernel lacks is a clear error; and a
second family, declared here by its schema alone, read through the
socket's own dump/get/batch paths.

Families are global, but a socket in a namespace other than the initial
one sees only the namespace-aware ones, as a task in such a namespace does.
"""
import errno
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import codec as K
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import genl
from ansible_collections.netlink.host.plugins.module_utils.netlink.errors import (
    FamilyNotFoundError, NetlinkLibraryError, NotFoundError)
from ansible_collections.netlink.host.plugins.module_utils.netlink.genl import ctrl as G
from ansible_collections.netlink.host.plugins.module_utils.netlink.schema import Attr, AttrSet
from ansible_collections.netlink.host.tests.unit.netlink.golden.capture_genl import parse_genl_ctrl

# The netdev family (include/uapi/linux/netdev.h), declared here as a
# family's own package will be: nothing but its schema.
NETDEV_CMD_DEV_GET = 1
NETDEV_DEV_ATTRS = AttrSet("netdev_a_dev", [
    Attr(1, "ifindex", K.U32),                    # NETDEV_A_DEV_IFINDEX
    Attr(2, "pad", K.BINARY),                     # NETDEV_A_DEV_PAD
    Attr(3, "xdp_features", K.U64),               # NETDEV_A_DEV_XDP_FEATURES
    Attr(4, "xdp_zc_max_segs", K.U32),            # NETDEV_A_DEV_XDP_ZC_MAX_SEGS
    Attr(5, "xdp_rx_metadata_features", K.U64),   # NETDEV_A_DEV_XDP_RX_METADATA_FEATURES
    Attr(6, "xsk_features", K.U64),               # NETDEV_A_DEV_XSK_FEATURES
])
NETDEV = genl.Family("netdev", 1, commands={NETDEV_CMD_DEV_GET: NETDEV_DEV_ATTRS})


def genl_ctrl(netns, *args):
    out = subprocess.run(("ip", "netns", "exec", netns, "genl", "ctrl") + args, check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return parse_genl_ctrl(out)


def as_genl_sees_it(info):
    """A FamilyInfo in parse_genl_ctrl's form (op flags only where genl
    prints them: families of version 2 or later)."""
    shown = info.version >= 2
    return {"id": info.id, "version": info.version, "hdrsize": info.hdrsize, "maxattr": info.maxattr,
            "ops": [(op, flags if shown else None) for op, flags in info.ops.items()],
            "mcast_groups": list(info.mcast_groups.items())}


@pytest.fixture(scope="module")
def seen(module_netns):
    """What genl ctrl list shows in the namespace."""
    return genl_ctrl(module_netns, "list")


@pytest.mark.parametrize("name", ["nlctrl", "ethtool"])
def test_resolve_by_name_matches_genl(module_netns, seen, name):
    # this tier's kernel (6.18, docs TESTING.md) has both: a missing one is
    # a finding (a broken `genl ctrl list` read included), never a skip
    assert name in seen, "genl ctrl list shows no %s family: %r" % (name, sorted(seen))
    with genl.GenlSocket(module_netns) as sock:
        info = sock.family(name)
        assert info.name == name
        assert as_genl_sees_it(info) == genl_ctrl(module_netns, "get", "name", name)[name]
        assert sock.family(name) is info  # cached on the socket
    if name == "nlctrl":
        assert info.id == C.GENL_ID_CTRL and info.supports(G.CTRL_CMD_GETFAMILY, dump=True)


def test_dump_lists_the_families_genl_lists(module_netns, seen):
    with genl.GenlSocket(module_netns) as sock:
        families = sock.families()
    assert dict((f.name, as_genl_sees_it(f)) for f in families) == seen
    assert "nlctrl" in seen


def test_unknown_family_is_a_clear_error(module_netns, seen):
    assert "wireguard" not in seen, "this kernel has WireGuard: the missing-family test needs another host"
    with KernelContext(module_netns) as ctx:
        sock = ctx.socket(C.NETLINK_GENERIC)
        assert isinstance(sock, genl.GenlSocket) and ctx.socket(C.NETLINK_GENERIC) is sock
        with pytest.raises(FamilyNotFoundError) as info:
            sock.family(genl.Family("wireguard", 1, module="wireguard"))
        # still usable after the refusal
        assert sock.family("nlctrl").id == C.GENL_ID_CTRL
    err = info.value
    assert isinstance(err, NetlinkLibraryError) and not isinstance(err, NotFoundError)
    assert str(err).startswith("generic netlink family 'wireguard' not found: the kernel lacks it or "
                               "its module is not loaded (modprobe wireguard)")


def test_a_second_family_needs_only_its_schema(netns, ip, ip_json, seen):
    assert "netdev" in seen, "genl ctrl list shows no netdev family (6.5+): %r" % sorted(seen)
    ip(netns, "link", "add", "gv0", "type", "veth", "peer", "name", "gv1")
    want = sorted(link["ifindex"] for link in ip_json(netns, "link", "show"))
    with KernelContext(netns) as ctx:
        sock = ctx.socket(C.NETLINK_GENERIC)
        nd = sock.family(NETDEV)
        assert nd.id == seen["netdev"]["id"] and nd.supports(NETDEV_CMD_DEV_GET, dump=True)
        # dump: one message per device of the namespace, under the family's id
        msgs = sock.dump(nd.id, nd.header(NETDEV_CMD_DEV_GET), label="ynl netdev dev-get --dump")
        assert sorted(m.attrs["ifindex"] for m in msgs) == want
        assert all(m.type == nd.id and m.header["cmd"] == NETDEV_CMD_DEV_GET for m in msgs)
        assert all("xdp_features" in m.attrs for m in msgs)
        # get: the one device asked for
        one = sock.get(nd.id, nd.header(NETDEV_CMD_DEV_GET), {"ifindex": want[-1]})
        assert one.attrs["ifindex"] == want[-1]
        with pytest.raises(NotFoundError):
            sock.get(nd.id, nd.header(NETDEV_CMD_DEV_GET), {"ifindex": 999999})
        # batch: acked requests matched by sequence, through the same schemas
        nlctrl = sock.family("nlctrl")
        result = sock.batch([nlctrl.request(G.CTRL_CMD_GETFAMILY, {"family_name": "netdev"}),
                             nlctrl.request(G.CTRL_CMD_GETFAMILY, {"family_name": "no-such-family"})])
        assert result.applied == [0] and result.failed == 1 and result.error.errno == errno.ENOENT
