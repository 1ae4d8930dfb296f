"""nl_xfrm on a stock kernel (ESP, AH, IPcomp and xfrm interfaces are
modules there, absent from the host kernel): SAs of every algorithm family,
update in place, delete + add for what an update cannot change, rekey to a
new SPI (make-before-break), replaced, absent, gathered with and without
keys; and tunnels proven by traffic, not by `ip xfrm state` output:
transport mode between two namespaces, route-based on xfrm interfaces,
and ESP in UDP (NAT-T, port 4500).  Every test name starts with
``test_nl_xfrm`` (``tests/vm/run.sh ... -- -k nl_xfrm``)."""
import json
import re
import socket
import struct
import time

import pytest
import yaml

from ansible_collections.netlink.host.plugins.modules import nl_xfrm
from ansible_collections.netlink.host.tests.integration.example_tasks import Examples

K_GCM = "0x" + "11" * 16 + "a1a2a3a4"          # AES-128 + 32-bit salt
K_GCM256 = "0x" + "12" * 32 + "b1b2b3b4"       # AES-256 + salt
K_AES = "0x" + "22" * 16
K_CTR = "0x" + "23" * 16 + "c1c2c3c4"          # AES-128 + 32-bit nonce
K_SHA256 = "0x" + "33" * 32
K_SHA1 = "0x" + "44" * 20
ALL_KEYS = (K_GCM, K_GCM256, K_AES, K_CTR, K_SHA256, K_SHA1)


def sa(src, dst, spi, **kw):
    out = {"src": src, "dst": dst, "spi": spi, "reqid": 1}
    out.update(kw)
    return out


FAMILIES = {
    "aead-gcm": sa("10.61.0.1", "10.61.0.2", "0xc0de0001", aead={"name": "rfc4106(gcm(aes))", "key": K_GCM,
                                                                 "icv_len": 128}),
    "aead-gcm-v6-icv64": sa("fd00:61::1", "fd00:61::2", 4097, mode="tunnel",
                            aead={"name": "rfc4106(gcm(aes))", "key": K_GCM256, "icv_len": 64}),
    "cbc-aes-hmac-sha256": sa("10.61.0.1", "10.61.0.2", "0xc0de0002", enc={"name": "aes", "key": K_AES},
                              auth={"name": "sha256", "key": K_SHA256, "trunc_len": 128}),
    "ctr-aes-hmac-sha1": sa("10.61.0.1", "10.61.0.2", "0xc0de0003", enc={"name": "rfc3686(ctr(aes))", "key": K_CTR},
                            auth={"name": "hmac(sha1)", "key": K_SHA1}),
    "ah-hmac-sha1": sa("10.61.0.1", "10.61.0.2", "0xc0de0004", proto="ah", auth={"name": "hmac(sha1)", "key": K_SHA1}),
    "comp-deflate": sa("10.61.0.1", "10.61.0.2", "0x3000", proto="comp", comp={"name": "deflate"}),
    "esn-window-128": sa("10.61.0.1", "10.61.0.2", "0xc0de0005", flags=["esn"], replay_window=128,
                         aead={"name": "rfc4106(gcm(aes))", "key": K_GCM, "icv_len": 96}),
    "everything": sa("10.61.0.1", "10.61.0.2", "0xc0de0006", mode="tunnel", reqid=9,
                     aead={"name": "rfc4106(gcm(aes))", "key": K_GCM}, mark={"value": 7, "mask": "0xff"},
                     output_mark={"value": "0x20"}, if_id=11, flags=["noecn", "af-unspec"],
                     selector={"src": "192.168.1.0/24", "dst": "192.168.2.0/24", "proto": "udp", "dport": 53},
                     lifetime={"time_soft": 3000, "time_hard": 3600, "byte_soft": "100000"},
                     encap={"type": "espinudp", "sport": 4500, "dport": 4500}),
}


def no_key_in(result):
    text = json.dumps(result)
    for key in ALL_KEYS:
        assert key[2:18] not in text, key
    return text


@pytest.mark.parametrize("case", sorted(FAMILIES))
def test_nl_xfrm_sa_every_family_create_rerun_gather(netns, run_module, case):
    args = {"states": [FAMILIES[case]]}
    r = run_module("nl_xfrm", args, netns=netns.name, check=True, diff=True)
    assert r["changed"] and r["write_requests"] == 0 and netns.ip("xfrm", "state") == "", r
    r = run_module("nl_xfrm", args, netns=netns.name, diff=True)
    assert r["changed"] and r["write_requests"] == 1 and not r.get("failed"), r
    text = no_key_in(r)
    assert ("********" in text) == (case != "comp-deflate")
    state = netns.ip("xfrm", "state")
    assert "spi 0x%08x" % int(str(FAMILIES[case]["spi"]), 0) in state, state
    r = run_module("nl_xfrm", args, netns=netns.name)
    assert not r["changed"] and r["write_requests"] == 0, r
    g = run_module("nl_xfrm", {"state": "gathered"}, netns=netns.name)["gathered"]
    no_key_in(g)
    shown = run_module("nl_xfrm", {"state": "gathered", "show_keys": True}, netns=netns.name)["gathered"]
    assert len(shown["states"]) == 1, shown
    # gathered (with keys) is valid input that changes nothing
    r = run_module("nl_xfrm", {"states": shown["states"]}, netns=netns.name)
    assert not r.get("failed") and not r["changed"] and r["write_requests"] == 0, r
    r = run_module("nl_xfrm", dict(args, state="absent"), netns=netns.name)
    assert r["changed"] and netns.ip("xfrm", "state") == "", r


def test_nl_xfrm_update_in_place_recreate_rekey_replaced_absent(netns, run_module):
    base = FAMILIES["aead-gcm"]
    run_module("nl_xfrm", {"states": [base]}, netns=netns.name)
    # in place: lifetime, output mark and if_id (XFRM_MSG_UPDSA)
    upd = dict(base, lifetime={"byte_hard": "900000"}, output_mark={"value": 5}, if_id=3)
    r = run_module("nl_xfrm", {"states": [upd]}, netns=netns.name, diff=True)
    assert r["changed"] and r["write_requests"] == 1, r
    assert r["commands"][0].startswith("ip -n %s xfrm state update" % netns.name), r["commands"]
    state = netns.ip("xfrm", "state")
    assert "if_id 0x3" in state and "output-mark 0x5" in state, state
    assert run_module("nl_xfrm", {"states": [upd]}, netns=netns.name)["write_requests"] == 0
    # a new key on the same SPI: delete + add, said so in the diff
    rekeyed = dict(upd, aead=dict(base["aead"], key=K_GCM.replace("11", "99")))
    r = run_module("nl_xfrm", {"states": [rekeyed]}, netns=netns.name, diff=True)
    assert r["changed"] and r["write_requests"] == 2, r
    assert [c.split()[5] for c in r["commands"]] == ["delete", "add"], r["commands"]
    assert "re-created" in r["diff"][0]["before_header"] and "aead" in r["diff"][0]["before_header"], r["diff"]
    assert "9999999999" in netns.ip("xfrm", "state")
    assert run_module("nl_xfrm", {"states": [rekeyed]}, netns=netns.name)["write_requests"] == 0
    # rekey to a new SPI with replaced: the new SA is added before the old one goes
    other = sa("10.61.0.7", "10.61.0.8", "0x77", reqid=5, aead={"name": "rfc4106(gcm(aes))", "key": K_GCM})
    run_module("nl_xfrm", {"states": [other]}, netns=netns.name)
    new = dict(rekeyed, spi="0xc0de00ff")
    r = run_module("nl_xfrm", {"state": "replaced", "states": [new]}, netns=netns.name)
    assert [c.split()[5] for c in r["commands"]] == ["add", "delete"], r["commands"]
    assert "spi 0xc0de00ff" in r["commands"][0] and "spi 0xc0de0001" in r["commands"][1]
    state = netns.ip("xfrm", "state")
    assert "0xc0de0001" not in state and "0xc0de00ff" in state and "spi 0x00000077" in state, state
    # absent needs only the identity
    r = run_module("nl_xfrm", {"state": "absent", "states": [{"dst": "10.61.0.2", "spi": "0xc0de00ff"}]},
                   netns=netns.name)
    assert r["changed"] and "0xc0de00ff" not in netns.ip("xfrm", "state"), r


def test_nl_xfrm_refused_sa_undone_with_keys_read_back(netns, run_module):
    """An SA deleted (recreated) then refused: undo re-adds the old SA and
    reads it back, real key bytes included."""
    base = FAMILIES["cbc-aes-hmac-sha256"]
    run_module("nl_xfrm", {"states": [base]}, netns=netns.name)
    before = netns.ip("xfrm", "state")
    # a new key (delete + add), and packet offload on lo, which the kernel
    # refuses (lo has no xfrmdev_ops): the add fails after the delete
    bad = dict(base, enc={"name": "cbc(aes)", "key": K_AES.replace("22", "21")},
               offload={"dev": "lo", "dir": "out", "type": "packet"})
    r = run_module("nl_xfrm", {"states": [bad]}, netns=netns.name)
    assert r.get("failed") and r["undone"] is True and r["undo_failures"] == [], r
    no_key_in(r)
    assert netns.ip("xfrm", "state") == before


def test_nl_xfrm_examples_with_sas(netns, run_module):
    """The EXAMPLES that make SAs and the gathered ones, in order: the round
    trip feeds the SAs gathered with their keys back, which changes nothing."""
    examples = Examples()
    made = fed = 0
    for task in yaml.safe_load(nl_xfrm.EXAMPLES):
        args, fed_back = examples.args(task, "nl_xfrm")
        if not (args.get("states") or args.get("state") == "gathered"):
            continue
        r = run_module("nl_xfrm", args, netns=netns.name)
        examples.keep(task, r)
        assert not r.get("failed"), (task["name"], r)
        if fed_back:
            assert r["changed"] is False and r["write_requests"] == 0 and args["states"], (task["name"], r)
            fed += 1
        elif args.get("state") != "gathered":
            assert r["changed"], r
            assert run_module("nl_xfrm", args, netns=netns.name)["write_requests"] == 0
            made += 1
    assert made and fed == 1, (made, fed)


# ---------------------------------------------------------------- traffic

_CUR = re.compile(r"spi (0x[0-9a-f]+).*?lifetime current:\s*\n\s*(\d+)\(bytes\), (\d+)\(packets\)", re.S)


def counters(ns):
    """spi -> (bytes, packets) from `ip -s xfrm state`."""
    out = {}
    for block in re.split(r"\n(?=src )", ns.ip("-s", "xfrm", "state")):
        m = _CUR.search(block)
        if m:
            out[int(m.group(1), 16)] = (int(m.group(2)), int(m.group(3)))
    return out


def wait_counters(ns, spis):
    deadline = time.time() + 10
    while True:
        c = counters(ns)
        if all(c.get(s, (0, 0))[1] >= 1 for s in spis):
            return c
        assert time.time() < deadline, c
        time.sleep(0.2)


def ping(a, src, dst):
    """One ICMP echo from ``src`` in ``a`` to ``dst``, answered (raw socket
    in the namespace; no ping binary needed)."""
    s = a.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    try:
        s.bind((src, 0))
        s.settimeout(3)
        body = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + b"nl_xfrm"
        csum = _checksum(body)
        pkt = body[:2] + struct.pack("!H", csum) + body[4:]
        for _round in range(5):
            s.sendto(pkt, (dst, 0))
            try:
                while True:
                    data, peer = s.recvfrom(2048)
                    ihl = (data[0] & 0x0F) * 4
                    if peer[0] == dst and data[ihl] == 0 and data[ihl + 4:ihl + 6] == b"\x12\x34":
                        return
            except socket.timeout:
                continue
        raise AssertionError("no echo reply from %s" % dst)
    finally:
        s.close()


def _checksum(data):
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data[:len(data) // 2 * 2]))
    if len(data) % 2:
        total += data[-1] << 8
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def veth_pair(a, b, addr_a, addr_b, plen=24):
    a.ip("link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.name)
    for ns, dev, addr in ((a, "va", addr_a), (b, "vb", addr_b)):
        ns.ip("addr", "add", "%s/%d" % (addr, plen), "dev", dev)
        ns.ip("link", "set", dev, "up")


def ends(local, remote, spi_out, spi_in, key_out, key_in, mode="transport", **extra):
    """nl_xfrm args of one end: its two SAs and its out/in policies."""
    tmpl = {"proto": "esp", "reqid": 1, "mode": mode}
    states = [sa(local, remote, spi_out, mode=mode, aead={"name": "rfc4106(gcm(aes))", "key": key_out}, **extra),
              sa(remote, local, spi_in, mode=mode, aead={"name": "rfc4106(gcm(aes))", "key": key_in}, **extra)]
    if mode == "tunnel":
        out_t, in_t = dict(tmpl, src=local, dst=remote), dict(tmpl, src=remote, dst=local)
    else:
        out_t = in_t = tmpl
    return states, out_t, in_t


def test_nl_xfrm_transport_tunnel_carries_ping_and_udp(netns_factory, run_module, udp_round_trip):
    a, b = netns_factory(), netns_factory()
    veth_pair(a, b, "10.72.0.1", "10.72.0.2")
    k1, k2 = K_GCM, K_GCM.replace("11", "55")
    for ns, local, remote, spi_out, spi_in, key_out, key_in in ((a, "10.72.0.1", "10.72.0.2", 0x7001, 0x7002, k1, k2),
                                                                (b, "10.72.0.2", "10.72.0.1", 0x7002, 0x7001, k2, k1)):
        states, out_t, in_t = ends(local, remote, spi_out, spi_in, key_out, key_in)
        policies = [{"selector": {"src": local, "dst": remote}, "dir": "out", "templates": [out_t]},
                    {"selector": {"src": remote, "dst": local}, "dir": "in", "templates": [in_t]}]
        r = run_module("nl_xfrm", {"states": states, "policies": policies}, netns=ns.name)
        assert r["changed"] and r["write_requests"] == 4, r
        assert [c.split()[4] for c in r["commands"]] == ["state", "state", "policy", "policy"], r["commands"]
    ping(a, "10.72.0.1", "10.72.0.2")
    udp_round_trip(a, b, socket.AF_INET, "10.72.0.1", "10.72.0.2", b"nl_xfrm-transport")
    ca = wait_counters(a, (0x7001, 0x7002))
    assert ca[0x7001][1] >= 2 and ca[0x7002][1] >= 2, ca   # ping + UDP each way went through ESP


def test_nl_xfrm_route_based_on_xfrm_interfaces(netns_factory, run_module, udp_round_trip):
    a, b = netns_factory(), netns_factory()
    veth_pair(a, b, "10.73.0.1", "10.73.0.2")
    k1, k2 = K_GCM, K_GCM.replace("11", "66")
    inner = {a: ("10.99.0.1", "10.99.0.2"), b: ("10.99.0.2", "10.99.0.1")}
    for ns, dev, local, remote, spi_out, spi_in, key_out, key_in in (
            (a, "va", "10.73.0.1", "10.73.0.2", 0x8001, 0x8002, k1, k2),
            (b, "vb", "10.73.0.2", "10.73.0.1", 0x8002, 0x8001, k2, k1)):
        ns.ip("link", "add", "ipsec0", "type", "xfrm", "dev", dev, "if_id", "42")
        ns.ip("addr", "add", inner[ns][0] + "/32", "dev", "ipsec0")
        ns.ip("link", "set", "ipsec0", "up")
        ns.ip("route", "add", inner[ns][1] + "/32", "dev", "ipsec0", "src", inner[ns][0])
        states, out_t, in_t = ends(local, remote, spi_out, spi_in, key_out, key_in, mode="tunnel", if_id=42,
                                   selector={"src": "0.0.0.0/0", "dst": "0.0.0.0/0"})
        anyv4 = {"src": "0.0.0.0/0", "dst": "0.0.0.0/0"}
        policies = [{"selector": anyv4, "dir": "out", "if_id": 42, "templates": [out_t]},
                    {"selector": anyv4, "dir": "in", "if_id": 42, "templates": [in_t]}]
        r = run_module("nl_xfrm", {"states": states, "policies": policies}, netns=ns.name)
        assert r["changed"] and not r.get("failed"), r
        assert run_module("nl_xfrm", {"states": states, "policies": policies},
                          netns=ns.name)["write_requests"] == 0
    ping(a, "10.99.0.1", "10.99.0.2")
    udp_round_trip(a, b, socket.AF_INET, "10.99.0.1", "10.99.0.2", b"nl_xfrm-xfrmi")
    ca = wait_counters(a, (0x8001, 0x8002))
    assert ca[0x8001][1] >= 2, ca
    stats = a.ip_json("-s", "link", "show", "ipsec0")[0]["stats64"]
    assert stats["tx"]["packets"] >= 2 and stats["rx"]["packets"] >= 2, stats


def test_nl_xfrm_esp_in_udp_nat_t(netns_factory, run_module, udp_round_trip):
    a, b = netns_factory(), netns_factory()
    veth_pair(a, b, "10.74.0.1", "10.74.0.2")
    k1, k2 = K_GCM, K_GCM.replace("11", "77")
    encap = {"type": "espinudp", "sport": 4500, "dport": 4500}
    sockets = []
    try:
        for ns, local, remote, spi_out, spi_in, key_out, key_in in (
                (a, "10.74.0.1", "10.74.0.2", 0x9001, 0x9002, k1, k2),
                (b, "10.74.0.2", "10.74.0.1", 0x9002, 0x9001, k2, k1)):
            # What an IKE daemon does: a UDP socket on 4500 that the kernel
            # decapsulates ESP on (UDP_ENCAP = 100, UDP_ENCAP_ESPINUDP = 2).
            s = ns.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_UDP, 100, 2)
            s.bind((local, 4500))
            sockets.append(s)
            states, out_t, in_t = ends(local, remote, spi_out, spi_in, key_out, key_in, encap=encap)
            policies = [{"selector": {"src": local, "dst": remote, "proto": "udp", "dport": 5000},
                         "dir": "out", "templates": [out_t]},
                        {"selector": {"src": remote, "dst": local, "proto": "udp", "sport": 5000},
                         "dir": "in", "templates": [in_t]},
                        {"selector": {"src": local, "dst": remote, "proto": "udp", "sport": 5000},
                         "dir": "out", "templates": [out_t]},
                        {"selector": {"src": remote, "dst": local, "proto": "udp", "dport": 5000},
                         "dir": "in", "templates": [in_t]}]
            r = run_module("nl_xfrm", {"states": states, "policies": policies}, netns=ns.name)
            assert r["changed"] and not r.get("failed"), r
            assert "encap type espinudp sport 4500 dport 4500" in ns.ip("xfrm", "state")
        rx = b.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tx = a.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            rx.bind(("10.74.0.2", 5000))
            tx.bind(("10.74.0.1", 0))
            rx.settimeout(3)
            got = None
            for _round in range(5):
                tx.sendto(b"nl_xfrm-natt", ("10.74.0.2", 5000))
                try:
                    got, peer = rx.recvfrom(1024)
                    break
                except socket.timeout:
                    continue
            assert got == b"nl_xfrm-natt"
            rx.sendto(b"back", peer)
            tx.settimeout(3)
            assert tx.recvfrom(1024)[0] == b"back"
        finally:
            rx.close()
            tx.close()
        ca = wait_counters(a, (0x9001, 0x9002))
        cb = wait_counters(b, (0x9001, 0x9002))
        assert ca[0x9001][1] >= 1 and cb[0x9001][1] >= 1, (ca, cb)
    finally:
        for s in sockets:
            s.close()
