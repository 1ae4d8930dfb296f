"""Replay windows over 32 packets on the VM's stock kernel (ESP as a
module; the host kernel has none).  xfrm_usersa_info.replay_window is a
u8 and the kernel keeps at most 32 packets from it, so a larger window
must travel in XFRMA_REPLAY_ESN_VAL, as ``ip xfrm state add ...
replay-window N`` sends it: SAs with windows of 64 and 1024 are created
through ``XfrmStateKind.request()``, read back with the same window
(library and ``ip xfrm state``), plan nothing on a second pass, and the
generated ``ip xfrm state add`` command makes the same SA in a second
namespace.  Throwaway namespaces only (tests/vm/conftest.py)."""
import re
import shlex

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import plans
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.objects.xfrm_state import XfrmStateKind
from ansible_collections.netlink.host.tests.unit.objects.xfrm_builders import sa, sel

pytestmark = [pytest.mark.vm]

KIND = XfrmStateKind()


def objects(ns):
    with KernelContext(ns.name) as ctx:
        return [KIND.from_msg(m, ctx) for m in ctx.socket(C.NETLINK_XFRM).dump(C.XFRM_MSG_GETSA)]


def ip_replay_window(ns):
    """The window ``ip xfrm state`` shows (the ESN context line for an SA
    whose window lives in XFRMA_REPLAY_ESN_VAL)."""
    text = ns.ip("xfrm", "state")
    found = re.search(r"replay_window (\d+), bitmap-length (\d+)", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("window", [64, 1024])
def test_replay_window_over_32(netns_factory, window):
    a, b = netns_factory(), netns_factory()
    obj = sa(src="10.63.0.1", dst="10.63.0.2", spi=0xC0DE0100 + window, replay_window=window,
             aead={"name": "rfc4106(gcm(aes))", "key": "0x" + "55" * 16 + "01020304", "icv_len": 128},
             selector=sel("10.63.0.1/32", "10.63.0.2/32"))
    create = contract.change(KIND, contract.CREATE, None, obj)
    with KernelContext(a.name) as ctx:
        result = ctx.socket(C.NETLINK_XFRM).batch([KIND.request(create, ctx)])
        command = KIND.command(create, KernelContext(b.name))
    assert result.ok, result.error

    got = objects(a)
    assert got == [obj]
    assert ip_replay_window(a) == (window, window // 32)
    # a second run plans nothing
    assert plans.plan_item(KIND, dict(obj, state="present"), got[0]) == []

    # the command says the same and iproute2 makes the same SA with it
    assert " replay-window %d " % window in command
    words = shlex.split(command)
    assert words[:3] == ["ip", "-n", b.name], command
    b.ip(*words[3:])
    assert objects(b) == [obj]
    assert ip_replay_window(b) == (window, window // 32)
