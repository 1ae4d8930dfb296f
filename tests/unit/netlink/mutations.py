"""What the fuzz tests (test_fuzz_rtnl.py, test_fuzz_genl.py) share, drawn
by hypothesis: random attributes behind a family header, and the damage
done to a golden message (bit flips, odd bytes, truncation, spliced bytes
and corrupted attribute lengths, one to six of them)."""
import struct

from hypothesis import strategies as st


def mutate(draw, message):
    """``message`` (bytes) with up to six random kinds of damage."""
    raw = bytearray(message)
    for _i in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "set", "truncate", "fix_len", "splice", "len16"]))
        if op == "flip" and raw:
            i = draw(st.integers(0, len(raw) - 1))
            raw[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and raw:
            i = draw(st.integers(0, len(raw) - 1))
            raw[i] = draw(st.sampled_from([0, 1, 3, 4, 0x7F, 0x80, 0xFF]))
        elif op == "truncate" and raw:
            del raw[draw(st.integers(0, len(raw) - 1)):]
        elif op == "fix_len" and len(raw) >= 4:
            # keep the frame consistent so the attribute decoders see the damage
            struct.pack_into("=I", raw, 0, len(raw))
        elif op == "splice":
            i = draw(st.integers(0, len(raw)))
            raw[i:i] = draw(st.binary(max_size=12))
        elif op == "len16" and len(raw) >= 22:
            # corrupt one attribute-length-sized field at an aligned offset
            i = draw(st.integers(16, len(raw) - 2)) & ~3
            struct.pack_into("=H", raw, i, draw(st.integers(0, 0xFFFF)))
    return bytes(raw)


def random_attributes(draw, max_type, body):
    """Up to 8 well-formed, padded TLVs of type 0..max_type (NLA_F_NESTED
    or NLA_F_NET_BYTEORDER set at random) with bodies drawn from ``body``."""
    parts = []
    for _i in range(draw(st.integers(0, 8))):
        atype = draw(st.integers(0, max_type)) | draw(st.sampled_from([0, 0x8000, 0x4000]))
        data = draw(body)
        n = 4 + len(data)
        parts.append(struct.pack("=HH", n, atype) + data + b"\0" * ((4 - n % 4) % 4))
    return b"".join(parts)
