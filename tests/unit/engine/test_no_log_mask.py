"""no_log_mask.Masker against ansible-core's own remove_values.

What the module runner hands Ansible is ``Masker(values).mask(result)``
with ``module.no_log_values`` narrowed to ``Masker.slow``, so Ansible then
runs ``remove_values(that, slow)``.  Both steps together must give what
``remove_values(result, values)`` gives, for every input; the fast step
alone must give it when every value is a hex key."""
import random
import time

import pytest
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.netlink.host.plugins.module_utils.runner.no_log_mask import HIDDEN, Masker, is_fast

K1 = "0x0123456789abcdef0123456789abcdef01234567"
K2 = "0xFEDCBA9876543210fedcba9876543210"
K2_PREFIX = K2[:18]  # a value that is a prefix of another
K3 = "0xabc0"  # ends in 0: "0xabc0x12" holds it overlapping "0x12"


def both_steps(data, values):
    masker = Masker(values)
    return remove_values(masker.mask(data), masker.slow)


CASES = [
    K1,
    "key " + K1 + " end",
    K1 + K1 + " and " + K1,
    K1.upper().replace("0X", "0x"),  # another case: not the value, left alone by both
    K2, K2.lower(), K2_PREFIX, K2_PREFIX + "00", "x" + K2 + "y",
    K3 + "x12", K3 + "x12" + K1[2:],
    "0x0x0x" + K1[2:],
    "spi 0x00001000 aead 'rfc4106(gcm(aes))' " + K1,
    b"bytes " + K1.encode(),
    K1.encode(),
    "",
    ["a", K1, ("t", K2, [K2_PREFIX + "ff", {"k": K1}])],
    {"invocation": {"module_args": {"states": [{"aead": {"key": K1, "icv_len": None}}]}},
     "changed": True, "n": 12, "f": 1.5, "none": None, "ok": False},
    {K1: "dict keys are left alone, as Ansible leaves them"},
    {frozenset([K1, "x"]): 1},
    set([K1, "plain"]),
    frozenset([K2]),
    (K1, 0x10, True, None, 3.0),
]


@pytest.mark.parametrize("data", CASES, ids=range(len(CASES)))
def test_fast_values_alone_match_remove_values(data):
    values = {K1, K2, K2_PREFIX, K3, "0x12"}
    masker = Masker(values)
    assert masker.slow == []
    assert masker.mask(data) == remove_values(data, values)


@pytest.mark.parametrize("data", CASES + ["password " + K1, "zzz0xab", "pass0x12", "0x12 secret",
                                          "my-secret", "secret0xabc0x12"], ids=range(len(CASES) + 6))
def test_with_slow_values_both_steps_match_remove_values(data):
    # slow values: not hex keys; some overlap or hold hex keys
    values = {K1, K2, K2_PREFIX, K3, "0x12", "0xab", "my-secret", "zzz0x", "pass0x", "secret0xabc",
              "0X12", " " + K1, "12"}
    masker = Masker(values)
    assert sorted(masker.slow) == sorted(["my-secret", "zzz0x", "pass0x", "secret0xabc", "0X12", " " + K1, "12"])
    assert both_steps(data, values) == remove_values(data, values)


def test_scalars_and_shapes_kept():
    values = {K1}
    out = Masker(values).mask({"a": [K1, True, None, 7, 2.5], "b": (K1,), "c": False})
    assert out == {"a": [HIDDEN, True, None, 7, 2.5], "b": [HIDDEN], "c": False}
    assert out["a"][1] is True and out["a"][2] is None and out["c"] is False


def test_mask_does_not_touch_its_input():
    data = {"a": [K1, {"b": K1}]}
    Masker({K1}).mask(data)
    assert data == {"a": [K1, {"b": K1}]}


def test_which_values_are_fast():
    assert is_fast(K1) and is_fast(K2) and is_fast("0x0")
    for value in ("0x", "0X12", " 0x12", "0x12 ", "0x1g", "12", "", b"0x12", 12):
        assert not is_fast(value), value


def test_deep_nesting_needs_no_recursion():
    data = K1
    for _i in range(5000):
        data = [data]
    out = Masker({K1}).mask(data)
    for _i in range(5000):
        out = out[0]
    assert out == HIDDEN


def test_random_strings_match_remove_values():
    # random text from the characters that make overlaps, and random values
    rnd = random.Random(10)
    alphabet = "0xab1F -Zz"
    for _case in range(3000):
        values = set()
        for _v in range(rnd.randint(1, 6)):
            if rnd.random() < 0.7:
                values.add("0x" + "".join(rnd.choice("0abF1") for _c in range(rnd.randint(1, 4))))
            else:
                values.add("".join(rnd.choice(alphabet) for _c in range(rnd.randint(1, 5))))
        text = "".join(rnd.choice(alphabet) for _c in range(rnd.randint(0, 30)))
        assert both_steps([text], values) == remove_values([text], values), (text, values)


def test_linear_in_values():
    # 20,000 keys, a result of 10,000 items: remove_values would do 2 x 10^8
    # str.replace calls; the masker must stay well under a second's order
    keys = ["0x%040x" % (i * 7919 + 1) for i in range(20000)]
    data = {"invocation": {"module_args": {"states": [{"aead": {"key": k}} for k in keys]}},
            "commands": ["ip xfrm state add spi 0x%08x aead x ********" % i for i in range(10000)]}
    start = time.process_time()
    out = Masker(keys).mask(data)
    assert time.process_time() - start < 5
    assert all(s["aead"]["key"] == HIDDEN for s in out["invocation"]["module_args"]["states"])
    assert out["commands"] == data["commands"]
