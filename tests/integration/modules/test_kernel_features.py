"""A kernel without a feature: the task's message names the kernel option
and the module that provide it (objects/kernel_features.py), beside the
kernel's own words, and nothing is left changed.

This machine's kernel lacks most link kinds and every IPsec protocol
(/work/shared/TESTING.md); whether it lacks one is asked of ``ip`` with
the same request first, so on a kernel that has it the case shows the
module succeeding without a hint instead."""
import pytest

K16, K20, K24, K32, K36 = ("0x" + "11" * n for n in (16, 20, 24, 32, 36))

LINKS = [
    ("dummy", {}, "", "CONFIG_DUMMY", "dummy"),
    ("vlan", {"link": "lo", "vlan": {"id": 5}}, "link lo type vlan id 5", "CONFIG_VLAN_8021Q", "8021q"),
    ("bond", {}, "", "CONFIG_BONDING", "bonding"),
    ("vrf", {"vrf": {"table": 10}}, "type vrf table 10", "CONFIG_NET_VRF", "vrf"),
    ("ipvlan", {"link": "lo"}, "link lo type ipvlan", "CONFIG_IPVLAN", "ipvlan"),
    ("gre", {}, "", "CONFIG_NET_IPGRE", "ip_gre"),
    ("gretap", {}, "", "CONFIG_NET_IPGRE", "ip_gre"),
    ("ip6gre", {}, "", "CONFIG_IPV6_GRE", "ip6_gre"),
    ("ipip", {}, "", "CONFIG_NET_IPIP", "ipip"),
    ("sit", {}, "", "CONFIG_IPV6_SIT", "sit"),
    ("ip6tnl", {}, "", "CONFIG_IPV6_TUNNEL", "ip6_tunnel"),
    ("geneve", {"geneve": {"id": 1, "remote": "192.0.2.9"}}, "type geneve id 1 remote 192.0.2.9",
     "CONFIG_GENEVE", "geneve"),
    ("xfrm", {"xfrm": {"if_id": 1}}, "type xfrm if_id 1", "CONFIG_XFRM_INTERFACE", "xfrm_interface"),
]


def kernel_has(ip, ns, words):
    """Whether the kernel takes the request ``ip`` makes of ``words``
    (undone at once when it does)."""
    proc = ip(ns, *words, check=False)
    return proc.returncode == 0, proc.stderr.strip()


@pytest.mark.parametrize("kind, extra, ip_words, option, module", LINKS, ids=[c[0] for c in LINKS])
def test_a_link_kind_the_kernel_lacks(netns, ip, ip_json, run_module, kind, extra, ip_words, option, module):
    before = ip_json(netns, "link", "show")
    has, said = kernel_has(ip, netns, ["link", "add", "t0"] + (ip_words or "type %s" % kind).split())
    if has:
        ip(netns, "link", "del", "t0")
    r = run_module("nl_link", dict(extra, name="t0", kind=kind), netns=netns)
    if has:
        assert r["changed"] and not r.get("failed") and "lacks" not in str(r), r
        return
    assert said == "Error: Unknown device type.", said
    assert r.get("failed"), r
    assert r["msg"].endswith("Operation not supported (Unknown device type); this kernel lacks %s links: %s, "
                             "built in or as module %s (modprobe %s)" % (kind, option, module, module)), r["msg"]
    assert ip_json(netns, "link", "show") == before


def sa(src, dst, spi, proto, **algs):
    out = {"src": src, "dst": dst, "spi": spi, "proto": proto, "mode": "transport"}
    out.update(algs)
    return out


def sa_words(s):
    words = ["xfrm", "state", "add", "src", s["src"], "dst", s["dst"], "proto", s["proto"], "spi", s["spi"],
             "mode", "transport"]
    if "aead" in s:
        words += ["aead", s["aead"]["name"], s["aead"]["key"], "128"]
    for field in ("enc", "auth"):
        if field in s:
            words += [field, s[field]["name"], s[field]["key"]]
    if "comp" in s:
        words += ["comp", s["comp"]["name"]]
    return words


GCM = {"name": "rfc4106(gcm(aes))", "key": K20, "icv_len": 128}
CBC = {"name": "cbc(aes)", "key": K16}
SHA256 = {"name": "hmac(sha256)", "key": K32}
SAS = [
    ("esp4-gcm", sa("10.0.0.1", "10.0.0.2", "0x200", "esp", aead=GCM),
     "Function not implemented (Requested AEAD algorithm not found)",
     "the rfc4106(gcm(aes)) algorithm: CONFIG_CRYPTO_GCM, built in or as module gcm (modprobe gcm)"),
    ("esp-chacha20poly1305", sa("10.0.0.1", "10.0.0.2", "0x201", "esp", aead=dict(
        GCM, name="rfc7539esp(chacha20,poly1305)", key=K36)),
     "Function not implemented (Requested AEAD algorithm not found)",
     "the rfc7539esp(chacha20,poly1305) algorithm: CONFIG_CRYPTO_CHACHA20POLY1305, built in or as module "
     "chacha20poly1305 (modprobe chacha20poly1305)"),
    ("esp4-cbc", sa("10.0.0.1", "10.0.0.2", "0x202", "esp", enc=CBC, auth=SHA256),
     "Protocol not supported (Requested type not found)",
     "IPv4 esp SAs: CONFIG_INET_ESP, built in or as module esp4 (modprobe esp4)"),
    ("esp6-cbc", sa("fd00::1", "fd00::2", "0x203", "esp", enc=CBC, auth=SHA256),
     "Protocol not supported (Requested type not found)",
     "IPv6 esp SAs: CONFIG_INET6_ESP, built in or as module esp6 (modprobe esp6)"),
    ("esp-des3", sa("10.0.0.1", "10.0.0.2", "0x204", "esp", enc={"name": "cbc(des3_ede)", "key": K24},
                    auth=SHA256),
     "Function not implemented (Requested CRYPT algorithm not found)",
     "the cbc(des3_ede) algorithm: CONFIG_CRYPTO_DES, built in or as module des_generic (modprobe des_generic)"),
    ("esp-rmd160", sa("10.0.0.1", "10.0.0.2", "0x205", "esp", enc=CBC, auth={"name": "hmac(rmd160)", "key": K20}),
     "Function not implemented (Requested AUTH algorithm not found)",
     "the hmac(rmd160) algorithm: CONFIG_CRYPTO_HMAC and CONFIG_CRYPTO_RMD160, built in or as modules hmac, "
     "rmd160 (modprobe hmac rmd160)"),
    ("ah4", sa("10.0.0.1", "10.0.0.2", "0x206", "ah", auth=SHA256),
     "Protocol not supported (Requested type not found)",
     "IPv4 ah SAs: CONFIG_INET_AH, built in or as module ah4 (modprobe ah4)"),
    ("ah6", sa("fd00::1", "fd00::2", "0x207", "ah", auth=SHA256),
     "Protocol not supported (Requested type not found)",
     "IPv6 ah SAs: CONFIG_INET6_AH, built in or as module ah6 (modprobe ah6)"),
    ("comp4", sa("10.0.0.1", "10.0.0.2", "0x208", "comp", comp={"name": "deflate"}),
     "Protocol not supported (Requested type not found)",
     "IPv4 comp SAs: CONFIG_INET_IPCOMP, built in or as module ipcomp (modprobe ipcomp)"),
    ("comp6", sa("fd00::1", "fd00::2", "0x209", "comp", comp={"name": "deflate"}),
     "Protocol not supported (Requested type not found)",
     "IPv6 comp SAs: CONFIG_INET6_IPCOMP, built in or as module ipcomp6 (modprobe ipcomp6)"),
]


@pytest.mark.parametrize("state, kernel_words, lacks", [c[1:] for c in SAS], ids=[c[0] for c in SAS])
def test_an_ipsec_feature_the_kernel_lacks(netns, ip, run_module, state, kernel_words, lacks):
    has, said = kernel_has(ip, netns, sa_words(state))
    if has:
        ip(netns, "xfrm", "state", "flush")
    r = run_module("nl_xfrm", {"states": [state]}, netns=netns)
    if has:
        assert r["changed"] and not r.get("failed") and "lacks" not in str(r), r
        return
    extack = kernel_words[kernel_words.index("(") + 1:-1]
    assert said == "Error: %s." % extack, said
    assert r.get("failed"), r
    assert r["msg"].endswith("%s; this kernel lacks %s" % (kernel_words, lacks)), r["msg"]
    assert "11" * 16 not in r["msg"]
    assert ip(netns, "xfrm", "state", "list") == ""
