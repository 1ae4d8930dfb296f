"""nl_xfrm's input validation: keys by algorithm, aliases to the kernel's
names, families, identity fields; no message ever shows a key."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.tasks import xfrm_keys, xfrm_validate as V
from ansible_collections.netlink.host.plugins.module_utils.tasks.xfrm import XfrmTask

SECRET = "0x" + "ab" * 20


@pytest.mark.parametrize("name, bits, ok", [
    ("rfc4106(gcm(aes))", 160, True), ("rfc4106(gcm(aes))", 224, True), ("rfc4106(gcm(aes))", 288, True),
    ("rfc4106(gcm(aes))", 128, False), ("rfc4106(gcm(aes))", 256, False),
    ("rfc4309(ccm(aes))", 152, True), ("rfc4309(ccm(aes))", 160, False),
    ("rfc7539esp(chacha20,poly1305)", 288, True), ("rfc7539esp(chacha20,poly1305)", 256, False),
])
def test_aead_key_lengths(name, bits, ok):
    alg = {"name": name, "key": "0x" + "ab" * (bits // 8)}
    if ok:
        assert xfrm_keys.aead(alg, "aead")["key"] == alg["key"]
    else:
        with pytest.raises(contract.ValidationError) as exc:
            xfrm_keys.aead(alg, "aead")
        assert "ab" * 4 not in str(exc.value) and "%d bits given" % bits in str(exc.value)


@pytest.mark.parametrize("table, alias, canonical", [
    (xfrm_keys.enc, "aes", "cbc(aes)"), (xfrm_keys.auth, "sha256", "hmac(sha256)"),
    (xfrm_keys.auth, "sha1", "hmac(sha1)"), (xfrm_keys.enc, "des3_ede", "cbc(des3_ede)"),
])
def test_aliases_become_the_kernels_names(table, alias, canonical):
    bits = {"cbc(aes)": 128, "hmac(sha256)": 256, "hmac(sha1)": 160, "cbc(des3_ede)": 192}[canonical]
    assert table({"name": alias, "key": "0x" + "AB" * (bits // 8)}, "x")["name"] == canonical


def test_keys_are_lowercase_hex_and_never_shown():
    assert xfrm_keys.enc({"name": "cbc(aes)", "key": "0x" + "AB" * 16}, "enc")["key"] == "0x" + "ab" * 16
    for bad in ("ab" * 16, "0x" + "zz" * 16, "0xabc", "********"):
        with pytest.raises(contract.ValidationError) as exc:
            xfrm_keys.enc({"name": "cbc(aes)", "key": bad}, "states[0].enc.key")
        assert bad not in str(exc.value) and "states[0].enc.key" in str(exc.value)


def test_a_masked_key_says_how_to_feed_gathered_sas_back():
    with pytest.raises(contract.ValidationError) as exc:
        xfrm_keys.aead({"name": "rfc4106(gcm(aes))", "key": contract.MASK}, "states[0].aead")
    assert "states[0].aead.key: the key is masked" in str(exc.value) and "show_keys=true" in str(exc.value)


def test_auth_trunc_len_bounds():
    key = "0x" + "ab" * 32
    assert xfrm_keys.auth({"name": "hmac(sha256)", "key": key, "trunc_len": 128}, "a")["trunc_len"] == 128
    for bad in (0, 100, 264):
        with pytest.raises(contract.ValidationError):
            xfrm_keys.auth({"name": "hmac(sha256)", "key": key, "trunc_len": bad}, "a")


def test_sa_normalised_as_the_kernel_reads_it_back():
    sa = V.sa({"src": "2001:DB8::1", "dst": "2001:db8:0::2", "spi": "0x1000", "flags": ["esn", "noecn"],
               "mark": {"value": "0x10"}, "aead": {"name": "rfc4106(gcm(aes))", "key": SECRET},
               "selector": {"src": "2001:db8::/32"}}, "states[0]", "present")
    assert (sa["src"], sa["dst"], sa["spi"]) == ("2001:db8::1", "2001:db8::2", 0x1000)
    assert sa["flags"] == ["noecn", "esn"] and sa["mark"] == {"value": 16, "mask": 0xFFFFFFFF}
    assert sa["selector"]["dst"] == "::/0" and sa["selector"]["src"] == "2001:db8::/32"


def test_absent_items_need_only_the_identity():
    sa = V.sa({"dst": "10.0.0.2", "spi": 5, "state": "absent"}, "states[0]", "present")
    assert sa["state"] == "absent" and sa["aead"] is None
    pol = V.policy({"selector": {"dst": "10.0.0.0/8"}, "dir": "in"}, "policies[0]", "absent")
    assert pol["state"] == "absent" and pol["selector"]["src"] == "0.0.0.0/0"


def test_show_keys_only_with_gathered_and_gathered_takes_nothing_else():
    with pytest.raises(contract.ValidationError, match="show_keys"):
        XfrmTask().desired({"state": "present", "show_keys": True, "policies": []})
    with pytest.raises(contract.ValidationError, match="gathered"):
        XfrmTask().desired({"state": "gathered", "policies": [{"selector": {"src": "10.0.0.0/8"}, "dir": "in"}]})
