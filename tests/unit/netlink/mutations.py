"""The damage the fuzz tests (test_fuzz_rtnl.py, test_fuzz_genl.py) do to a
golden message: bit flips, odd bytes, truncation, spliced bytes and
corrupted attribute lengths, one to six of them, drawn by hypothesis."""
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
