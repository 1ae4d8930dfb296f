"""xfrm SA objects on the VM's stock kernel (ESP, AH, IPcomp as modules;
the host kernel has none): four SAs, one per algorithm family, are
created through ``XfrmStateKind.request()`` in one batch, dumped and
turned back into objects (``from_msg``) field by field; their generated
``ip xfrm state add`` commands, run in a second namespace, make SAs that
dump to the same objects; then an in-place update (UPDSA) and the deletes
go through ``request()`` too.  Throwaway namespaces only
(tests/vm/conftest.py)."""
import shlex

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink.xfrm import common as X
from ansible_collections.netlink.host.plugins.module_utils.objects.xfrm_state import XfrmStateKind

pytestmark = [pytest.mark.vm]

KIND = XfrmStateKind()
IPSEC_PROTOS = (X.IPPROTO_ESP, X.IPPROTO_AH, X.IPPROTO_COMP)   # IPcomp adds an IPIP SA: left out

LIFETIMES = {"time_soft": 0, "time_hard": 0, "time_use_soft": 0, "time_use_hard": 0,
             "byte_soft": "inf", "byte_hard": "inf", "packet_soft": "inf", "packet_hard": "inf"}


def sel(src, dst):
    return {"src": src, "dst": dst, "proto": None, "sport": None, "dport": None, "type": None,
            "code": None, "dev": None}


def sa(**kw):
    obj = {"src": "10.62.0.1", "dst": "10.62.0.2", "proto": "esp", "spi": 0xC0DE0001, "mode": "transport",
           "reqid": 42, "replay_window": 32, "flags": [], "aead": None, "enc": None, "auth": None,
           "comp": None, "encap": None, "mark": None, "if_id": 0, "output_mark": None, "extra_flags": [], "dir": None, "offload": None,
           "selector": sel("10.62.0.1/32", "10.62.0.2/32"), "lifetime": dict(LIFETIMES)}
    obj.update(kw)
    return obj


SAS = [
    sa(aead={"name": "rfc4106(gcm(aes))", "key": "0x" + "11" * 16 + "a1a2a3a4", "icv_len": 128},
       mark={"value": 7, "mask": 0xFF}, if_id=5),
    sa(src="fd00:62::1", dst="fd00:62::2", spi=0xC0DE0002, mode="tunnel",
       enc={"name": "cbc(aes)", "key": "0x" + "22" * 16},
       auth={"name": "hmac(sha256)", "key": "0x" + "33" * 32, "trunc_len": 128},
       selector=sel("fd00:62::1/128", "fd00:62::2/128"),
       output_mark={"value": 0x99, "mask": 0xFFFF},
       lifetime=dict(LIFETIMES, time_soft=3000, time_hard=3600, byte_soft=100000)),
    sa(proto="ah", spi=0x5002, auth={"name": "hmac(sha1)", "key": "0x" + "44" * 20, "trunc_len": 96},
       selector=None),
    sa(proto="comp", spi=0x3000, comp={"name": "deflate"}, replay_window=0),
]


def objects(ns):
    with KernelContext(ns.name) as ctx:
        msgs = ctx.socket(C.NETLINK_XFRM).dump(C.XFRM_MSG_GETSA)
        objs = [KIND.from_msg(m, ctx) for m in msgs if m.header["id"]["proto"] in IPSEC_PROTOS]
    return dict((KIND.key(o), o) for o in objs)


def batch(ns, changes):
    with KernelContext(ns.name) as ctx:
        result = ctx.socket(C.NETLINK_XFRM).batch([KIND.request(ch, ctx) for ch in changes])
    assert result.ok, result.error
    assert result.applied == list(range(len(changes)))


def test_sa_objects_round_trip_through_requests_and_commands(netns_factory):
    a, b = netns_factory(), netns_factory()
    batch(a, [contract.change(KIND, contract.CREATE, None, s) for s in SAS])
    got = objects(a)
    assert sorted(got) == sorted(KIND.key(s) for s in SAS)
    for s in SAS:
        have = got[KIND.key(s)]
        for field, value in s.items():
            if field == "selector" and value is None:
                # sent as iproute2 sends it: any to any of the SA's family
                value = sel("0.0.0.0/0", "0.0.0.0/0")
            assert have[field] == value, (KIND.key(s), field)

    # the generated commands make the same SAs with iproute2
    with KernelContext(b.name) as ctx_b:
        commands = [KIND.command(contract.change(KIND, contract.CREATE, None, s), ctx_b) for s in SAS]
    for command in commands:
        words = shlex.split(command)
        assert words[:3] == ["ip", "-n", b.name], command
        b.ip(*words[3:])
    assert objects(b) == got

    # in place: lifetimes and output mark (UPDSA keeps the keys it was given)
    old = got[KIND.key(SAS[0])]
    new = dict(old, lifetime=dict(LIFETIMES, byte_soft=5000, byte_hard=9000),
               output_mark={"value": 0x10, "mask": 0xFF})
    plan = plans.plan_item(KIND, {"state": "present", "lifetime": new["lifetime"],
                                  "output_mark": new["output_mark"]}, old)
    assert [ch["op"] for ch in plan] == [contract.UPDATE]
    batch(a, plan)
    assert objects(a)[KIND.key(old)] == new

    # deletes, named by (dst, spi, proto, mark)
    batch(a, [contract.change(KIND, contract.DELETE, s, None) for s in objects(a).values()])
    assert objects(a) == {}
