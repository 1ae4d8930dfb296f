"""nl_route's validation reads addresses and destinations with inet_pton
where it can (tasks/route_validate.py): what it accepts and how it spells
it must be what the ipaddress way gives, and what it refuses must fail
with the same message as before."""
import ipaddress
import random

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.tasks import route_validate as V
from ansible_collections.netlink.host.plugins.module_utils.tasks.validate import canonical_ip


def oracle_dst(text):
    """(version, dst) as ip_network(strict=True) reads it, or the error."""
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError:
        return "error"
    if net.prefixlen == 0:
        return net.version, "default"
    return net.version, "%s/%d" % (canonical_ip(net.network_address), net.prefixlen)


def oracle_address(text):
    try:
        return canonical_ip(ipaddress.ip_address(text))
    except ValueError:
        return "error"


def ours(fn, *args):
    try:
        return fn(*args)
    except contract.ValidationError:
        return "error"


def samples():
    rnd = random.Random(9)
    out = ["10.0.0.0/8", "10.0.0.1/8", "10.0.0.1", "0.0.0.0/0", "10.0.0.0/0", "10.0.0.0/33", "10.0.0.0/-1",
           "10.0.0.0/", "10.0.0.0/ 8", "10.0.0.0/08", "010.0.0.0/8", "10.0.0/8", "10.0.0.0.0/8", "1.2.3.4/32",
           "10.0.0.0/255.0.0.0", "2001:db8::/32", "2001:DB8::/32", "2001:db8::1/32", "::/0", "::1", "::ffff:1.2.3.4",
           "2001:db8::/129", "fe80::1%eth0", "fe80::/10", "1::2::3/64", "2001:0db8:0000::/48", "::/128", "x", "",
           "10.0.0.0/٣", "1.2.3.4/٣٢", "10.0.0.0/+8", "1.2.3.256", "[::1]", " 10.0.0.0/8"]
    for _sample in range(3000):
        if rnd.random() < 0.5:
            addr = ".".join(str(rnd.choice([0, 1, 10, 255, 256, rnd.randrange(256)])) for _octet in range(4))
            plen = rnd.choice(["", "/%d" % rnd.randrange(0, 34)])
        else:
            addr = ipaddress.IPv6Address(rnd.getrandbits(128) & ~((1 << rnd.randrange(0, 129)) - 1)).compressed
            plen = rnd.choice(["", "/%d" % rnd.randrange(0, 130)])
        out.append(addr + plen)
    return out


@pytest.mark.parametrize("text", samples()[:40])
def test_named_cases(text):
    check(text)


def test_random_cases():
    for text in samples()[40:]:
        check(text)


def check(text):
    want = oracle_dst(text.strip())
    if text.strip() in ("default", "all", "any"):
        return
    assert ours(V._dst, "dst", text, None) == want, text
    for hint in (4, 6):
        got = ours(V._dst, "dst", text, hint)
        assert got == (want if want == "error" or want[0] == hint else "error"), (text, hint)
    assert ours(V._address, "gateway", text) == oracle_address(text.strip()), text


@pytest.mark.parametrize("value,words", [
    ("10.0.0.1/8", ["has host bits set", "10.0.0.0/8"]),
    ("10.0.0.0/33", ["not a destination"]),
    ("2001:db8::/32", ["is IPv6 but family is 4"]),
])
def test_messages_unchanged(value, words):
    with pytest.raises(contract.ValidationError) as err:
        V._dst("routes[3].dst", value, 4 if "IPv6" in words[0] else None)
    text = str(err.value)
    assert text.startswith("routes[3].dst=%s: " % value)
    assert all(w in text for w in words), text
