"""nl_xfrm through a real ansible-playbook run (-vvv, --diff): no key
material appears anywhere in what Ansible prints, whether the task
succeeds or the kernel refuses the SA (this kernel has no ESP: the
refusal's message carries the SA's command), and ``show_keys: true``
gives a result that Ansible censors while ``register`` still holds it."""
from ansible_collections.netlink.host.tests.integration.playbook import run_play

KEYS = {"aead": "0x0123456789abcdef0123456789abcdef01234567",
        "enc": "0xfedcba9876543210fedcba9876543210",
        "auth": "0xa1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0"}


def playbook(tmp_path, netns, tasks):
    return run_play(tmp_path, netns, tasks, "-vvv", "--diff")


def assert_no_key(text):
    for key in KEYS.values():
        for piece in (key, key[2:], key[2:18], key[-16:], key[2:18].upper()):
            assert piece not in text, piece


def test_no_key_material_in_ansible_output(tmp_path, netns, ip):
    sas = [{"src": "10.0.0.1", "dst": "10.0.0.2", "spi": "0x1000", "reqid": 1,
            "aead": {"name": "rfc4106(gcm(aes))", "key": KEYS["aead"]}},
           {"src": "10.0.0.2", "dst": "10.0.0.1", "spi": "0x2000", "reqid": 1,
            "enc": {"name": "cbc(aes)", "key": KEYS["enc"]}, "auth": {"name": "sha256", "key": KEYS["auth"]}}]
    policy = {"selector": {"src": "10.0.0.1/32", "dst": "10.0.0.2/32"}, "dir": "out",
              "templates": [{"reqid": 1}]}
    tasks = [
        {"name": "policies apply", "netlink.host.nl_xfrm": {"policies": [policy]}},
        {"name": "SAs in check mode", "netlink.host.nl_xfrm": {"states": sas, "policies": [policy]},
         "check_mode": True},
        {"name": "SAs refused by this kernel", "netlink.host.nl_xfrm": {"states": sas}, "ignore_errors": True},
        {"name": "bad key length", "netlink.host.nl_xfrm": {"states": [dict(sas[0], aead={
            "name": "rfc4106(gcm(aes))", "key": KEYS["aead"][:-2]})]}, "ignore_errors": True},
        # a key's value in a field that is not no_log: the runner's own
        # mask (no_log_mask.py) must catch it in the error and the result
        {"name": "key echoed in an error", "netlink.host.nl_xfrm": {"states": [sas[0], dict(sas[1], encap={
            "type": "espinudp", "sport": 4500, "dport": 4500, "oa": KEYS["enc"]})]}, "ignore_errors": True},
        # no link has that name: the real run fails; check mode warns (an
        # earlier task of the play may create it) and plans the SA with it
        {"name": "key as a device in an error", "netlink.host.nl_xfrm": {"states": [sas[0], dict(sas[1], selector={
            "src": "10.1.0.0/16", "dev": KEYS["aead"]})]}, "ignore_errors": True},
        {"name": "key as a device in a check-mode warning and plan", "netlink.host.nl_xfrm": {"states": [
            sas[0], dict(sas[1], selector={"src": "10.1.0.0/16", "dev": KEYS["aead"]})]}, "check_mode": True},
        {"name": "gathered with keys", "netlink.host.nl_xfrm": {"state": "gathered", "show_keys": True},
         "register": "with_keys"},
        {"name": "registered all the same",
         "assert": {"that": ["with_keys.gathered.policies | length == 1"]}},
    ]
    rc, out = playbook(tmp_path, netns, tasks)
    assert rc == 0, out
    assert "xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x00001000 aead 'rfc4106(gcm(aes))' ********" \
        in out, out
    assert "Requested type not found" in out or "kernel refused" in out, out
    assert "152 bits given" in out, out
    assert "states[1].encap.oa=********: not an IP address" in out, out
    assert "states[1].selector.dev=********: no such link" in out, out
    assert "states[1].selector.dev=******** does not exist (yet)" in out, out
    assert "censored" in out and "the output has been hidden" in out, out
    assert_no_key(out)
    assert ip(netns, "xfrm", "state", "list") == ""
