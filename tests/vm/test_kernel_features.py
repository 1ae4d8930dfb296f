"""Tier-3 SMOKE TESTS: prove the VM tier works and the kernel has the features.

These use iproute2 (``ip``) only, not the collection's library: they show that
the guest kernel booted by tests/vm/run.sh can do what the library's own VM
tests (other files in tests/vm/) will need.  If one of these fails, the tier
itself is broken, not the library.

Everything happens in throwaway namespaces (fixtures in conftest.py).
"""
import os
import platform
import re
import socket
import time

import pytest

pytestmark = [pytest.mark.vm, pytest.mark.vm_smoke]

# Modules tests/vm/guest.sh loads before pytest starts.
REQUIRED_MODULES = [
    "esp4", "esp6", "ah4", "ah6", "ipcomp", "ipcomp6", "xfrm_user",
    "xfrm_interface", "dummy", "8021q", "bonding", "vrf", "veth", "bridge",
    "macvlan", "vxlan",
]

# 16-byte AES key + 4-byte salt for rfc4106(gcm(aes)), ICV 128 bits.
KEY_AB = "0x" + "11" * 16 + "a1a2a3a4"
KEY_BA = "0x" + "22" * 16 + "b1b2b3b4"


def _builtin_modules():
    path = "/lib/modules/%s/modules.builtin" % platform.release()
    try:
        with open(path) as f:
            return set(
                os.path.basename(line.strip()).split(".ko")[0].replace("-", "_")
                for line in f
            )
    except IOError:
        return set()


def test_kernel_version_recorded(kernel_release):
    """Names the kernel in the output; conftest puts it in the junit file's
    testsuite properties (``kernel``, ``kernel_version``)."""
    print("VM kernel: %s (%s)" % (kernel_release, platform.version()))
    assert os.environ.get("NETLINK_HOST_VM") == "1"
    expected = os.environ.get("NETLINK_HOST_VM_KERNEL")
    if expected:
        assert kernel_release == expected


def test_not_the_host_kernel():
    """The guest must not be the module-less host kernel (6.18, no dummy)."""
    assert os.path.isdir("/sys/module/dummy") or "dummy" in _builtin_modules()


@pytest.mark.parametrize("module", REQUIRED_MODULES)
def test_required_module_loaded(module):
    name = module.replace("-", "_")
    assert os.path.isdir("/sys/module/" + name) or name in _builtin_modules(), (
        "module %s is not loaded (see modprobe errors in the run log)" % module
    )


def test_dummy(netns):
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "set", "d0", "up")
    link = netns.link("d0")
    assert link["ifname"] == "d0"
    assert link["linkinfo"]["info_kind"] == "dummy"
    assert "UP" in link["flags"]


@pytest.mark.parametrize("proto", ["802.1Q", "802.1ad"])
def test_vlan_over_dummy(netns, proto):
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "add", "link", "d0", "name", "v100", "type", "vlan",
             "protocol", proto, "id", "100")
    link = netns.link("v100")
    assert link["link"] == "d0"
    data = link["linkinfo"]["info_data"]
    assert data["protocol"] == proto
    assert data["id"] == 100


def test_qinq_stack(netns):
    """802.1ad outer tag with an 802.1Q inner tag on top."""
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "add", "link", "d0", "name", "s10", "type", "vlan",
             "protocol", "802.1ad", "id", "10")
    netns.ip("link", "add", "link", "s10", "name", "c20", "type", "vlan",
             "protocol", "802.1Q", "id", "20")
    inner = netns.link("c20")
    assert inner["link"] == "s10"
    assert inner["linkinfo"]["info_data"]["protocol"] == "802.1Q"
    assert netns.link("s10")["linkinfo"]["info_data"]["protocol"] == "802.1ad"


def test_bond_with_two_dummy_ports(netns):
    netns.ip("link", "add", "bond0", "type", "bond", "mode", "active-backup",
             "miimon", "100")
    for port in ("d0", "d1"):
        netns.ip("link", "add", port, "type", "dummy")
        netns.ip("link", "set", port, "master", "bond0")
    netns.ip("link", "set", "bond0", "up")
    bond = netns.link("bond0")
    assert bond["linkinfo"]["info_kind"] == "bond"
    assert bond["linkinfo"]["info_data"]["mode"] == "active-backup"
    assert bond["linkinfo"]["info_data"]["miimon"] == 100
    ports = netns.ip_json("link", "show", "master", "bond0")
    assert sorted(p["ifname"] for p in ports) == ["d0", "d1"]
    for port in ports:
        assert netns.link(port["ifname"])["linkinfo"]["info_slave_kind"] == "bond"


def test_vrf_with_table_and_dummy(netns):
    netns.ip("link", "add", "vrf-blue", "type", "vrf", "table", "1001")
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "set", "d0", "master", "vrf-blue")
    netns.ip("link", "set", "vrf-blue", "up")
    netns.ip("link", "set", "d0", "up")
    netns.ip("addr", "add", "192.0.2.1/24", "dev", "d0")
    vrf = netns.link("vrf-blue")
    assert vrf["linkinfo"]["info_kind"] == "vrf"
    assert vrf["linkinfo"]["info_data"]["table"] == 1001
    assert netns.link("d0")["master"] == "vrf-blue"
    # The connected route lands in the VRF's table, not in main.
    routes = netns.ip_json("route", "show", "table", "1001")
    assert any(r.get("dst") == "192.0.2.0/24" and r.get("dev") == "d0"
               for r in routes), routes
    main = netns.ip_json("route", "show", "table", "main")
    assert not any(r.get("dst") == "192.0.2.0/24" for r in main), main


def test_xfrm_interface(netns):
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "add", "xfrm7", "type", "xfrm", "dev", "d0", "if_id", "7")
    link = netns.link("xfrm7")
    assert link["linkinfo"]["info_kind"] == "xfrm"
    assert link["linkinfo"]["info_data"]["if_id"] == "0x7"


# ------------------------------------------------------------------- ESP

_COUNTERS = re.compile(r"lifetime current:\s*\n\s*(\d+)\(bytes\), (\d+)\(packets\)")


def _sa_counters(ns):
    """{spi: (bytes, packets)} from ``ip -s xfrm state``."""
    out = ns.ip("-s", "xfrm", "state")
    result = {}
    for block in re.split(r"\n(?=src )", out.strip()):
        m_spi = re.search(r"spi (0x[0-9a-f]+)", block)
        m_cnt = _COUNTERS.search(block)
        if m_spi and m_cnt:
            result[int(m_spi.group(1), 16)] = (int(m_cnt.group(1)),
                                               int(m_cnt.group(2)))
    return result


def _esp_side(ns, local, remote, spi_out, key_out, spi_in, key_in, plen):
    aead = "rfc4106(gcm(aes))"
    for src, dst, spi, key in ((local, remote, spi_out, key_out),
                               (remote, local, spi_in, key_in)):
        ns.ip("xfrm", "state", "add", "src", src, "dst", dst, "proto", "esp",
              "spi", hex(spi), "reqid", str(spi), "mode", "transport",
              "aead", aead, key, "128", "sel", "src", src, "dst", dst)
    for direction, src, dst, spi in (("out", local, remote, spi_out),
                                     ("in", remote, local, spi_in)):
        ns.ip("xfrm", "policy", "add", "src", "%s/%d" % (src, plen),
              "dst", "%s/%d" % (dst, plen), "proto", "udp", "dir", direction,
              "tmpl", "src", src, "dst", dst, "proto", "esp",
              "reqid", str(spi), "mode", "transport")


@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
def test_esp_transport_gcm_between_namespaces(netns_factory, family, udp_round_trip):
    a, b = netns_factory(), netns_factory()
    if family == "ipv4":
        af, addr_a, addr_b, plen = socket.AF_INET, "10.71.0.1", "10.71.0.2", 32
    else:
        af, addr_a, addr_b, plen = (socket.AF_INET6, "fd00:71::1",
                                    "fd00:71::2", 128)
    a.ip("link", "add", "va", "type", "veth", "peer", "name", "vb",
         "netns", b.name)
    for ns, dev, addr in ((a, "va", addr_a), (b, "vb", addr_b)):
        extra = ["nodad"] if af == socket.AF_INET6 else []
        ns.ip("addr", "add", "%s/%d" % (addr, 24 if af == socket.AF_INET
                                        else 64), "dev", dev, *extra)
        ns.ip("link", "set", dev, "up")

    spi_ab, spi_ba = 0x1001, 0x2002
    _esp_side(a, addr_a, addr_b, spi_ab, KEY_AB, spi_ba, KEY_BA, plen)
    _esp_side(b, addr_b, addr_a, spi_ba, KEY_BA, spi_ab, KEY_AB, plen)
    assert "rfc4106(gcm(aes))" in a.ip("xfrm", "state")
    before_a = _sa_counters(a)
    assert before_a == {spi_ab: (0, 0), spi_ba: (0, 0)}, before_a

    udp_round_trip(a, b, af, addr_a, addr_b, b"ping-over-esp")

    # Counters move on both ends: a's out SA and b's in SA carried the ping,
    # b's out SA and a's in SA the reply.
    deadline = time.time() + 5
    while True:
        after_a, after_b = _sa_counters(a), _sa_counters(b)
        if (after_a[spi_ab][1] >= 1 and after_a[spi_ba][1] >= 1
                and after_b[spi_ab][1] >= 1 and after_b[spi_ba][1] >= 1):
            break
        assert time.time() < deadline, (after_a, after_b)
        time.sleep(0.2)
    assert after_a[spi_ab][0] > 0 and after_b[spi_ba][0] > 0
