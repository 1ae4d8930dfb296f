"""Builders of xfrm objects in the nl_xfrm input format, every field
present (as from_msg returns them), for the unit and host-kernel tests."""

LIFETIMES = {"time_soft": 0, "time_hard": 0, "time_use_soft": 0, "time_use_hard": 0,
             "byte_soft": "inf", "byte_hard": "inf", "packet_soft": "inf", "packet_hard": "inf"}


def sel(src, dst, **kw):
    out = {"src": src, "dst": dst, "proto": None, "sport": None, "dport": None, "type": None,
           "code": None, "dev": None}
    out.update(kw)
    return out


def sa(**kw):
    obj = {"src": "10.0.0.1", "dst": "10.0.0.2", "proto": "esp", "spi": 0xC0DE0001, "mode": "transport",
           "reqid": 42, "replay_window": 32, "flags": [], "aead": None, "enc": None, "auth": None,
           "comp": None, "encap": None, "mark": None, "if_id": 0, "output_mark": None, "extra_flags": [], "dir": None, "offload": None,
           "selector": sel("10.0.0.1/32", "10.0.0.2/32"), "lifetime": dict(LIFETIMES)}
    obj.update(kw)
    return obj


def policy(**kw):
    obj = {"selector": sel("10.0.0.1/32", "10.0.0.2/32"), "dir": "out", "ptype": "main", "action": "allow",
           "priority": 0, "flags": [], "mark": None, "if_id": 0, "lifetime": dict(LIFETIMES), "templates": []}
    obj.update(kw)
    return obj


def tmpl(src, dst, **kw):
    out = {"src": src, "dst": dst, "proto": "esp", "spi": 0, "reqid": 0, "mode": "transport",
           "level": "required"}
    out.update(kw)
    return out
