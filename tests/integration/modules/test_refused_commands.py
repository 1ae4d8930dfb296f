"""Reading a refusal: ``commands`` lists the requests in the order they
reached the kernel, and marks the one the kernel refused with its words.

The refusals are the kernel's own (a gateway no route leads to). The
requests of one batch go out in one sendmsg and the kernel answers each on
its own, so those after a refused one are still applied (and undone): they
follow it in ``commands``, unmarked; a later stage (the delete) is never
sent and is not listed.
"""
import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import socket as nlsocket
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, settle, snapshot

UNREACHABLE = "  # refused: Network is unreachable"


@pytest.fixture
def ns(netns, ip_batch):
    ip_batch(netns, ["link add veth0 type veth peer name veth1", "link set veth0 up", "link set veth1 up",
                     "addr add 192.0.2.1/24 dev veth0",
                     "route add 203.0.113.0/24 via 192.0.2.254 proto static"])
    settle(netns)
    return netns


def routes(*gateways):
    """One route per gateway, 10.1.0.0/16, 10.2.0.0/16, ..., then the
    delete of 203.0.113.0/24 (a later stage: deletes run last)."""
    items = [{"dst": "10.%d.0.0/16" % (i + 1), "gateway": gw} for i, gw in enumerate(gateways)]
    return {"routes": items + [{"dst": "203.0.113.0/24", "state": "absent"}]}


@pytest.fixture
def sent(monkeypatch):
    """The iproute2 command of every request, in the order the library
    hands them to the kernel (the undo's too)."""
    seen = []
    real_batch = nlsocket.NetlinkSocket.batch

    def batch(self, requests):
        seen.extend(str(req.label) for req in requests)
        return real_batch(self, requests)

    monkeypatch.setattr(nlsocket.NetlinkSocket, "batch", batch)
    return seen


def unmarked(commands):
    return [c.split("  # ")[0] for c in commands]


def test_a_refusal_half_way_lists_the_requests_in_the_order_sent_and_marks_the_refused_one(ns, run_module, sent):
    args = routes("192.0.2.2", "198.18.0.1", "192.0.2.3")
    planned = run_module("nl_route", args, check=True, netns=ns)["commands"]
    assert [c.split(" route ")[1].split()[:2] for c in planned] == [
        ["add", "10.1.0.0/16"], ["add", "10.2.0.0/16"], ["add", "10.3.0.0/16"], ["del", "203.0.113.0/24"]], planned
    before = snapshot(ns)
    r = run_module("nl_route", args, netns=ns)
    assert r.get("failed") and r["undone"] is True and r["changed"] is False, r
    assert_same(before, snapshot(ns))
    commands = r["commands"]
    # in the order sent: the first route, the refused one, the one after it in the same batch
    assert unmarked(commands) == sent[:3] == planned[:3], (commands, sent)
    assert commands[0] == planned[0] and commands[2] == planned[2], commands
    assert commands[1].startswith(planned[1] + UNREACHABLE), commands
    # the mark is the kernel's words, as the message has them
    assert commands[1].split("  # refused: ")[1] in r["msg"], (commands, r["msg"])


def test_every_request_the_kernel_refused_is_marked(ns, run_module):
    r = run_module("nl_route", routes("192.0.2.2", "198.18.0.1", "198.18.0.2", "192.0.2.3"), netns=ns)
    assert r.get("failed") and r["undone"] is True, r
    marked = [c.split(" route ")[1].split()[1] for c in r["commands"] if UNREACHABLE in c]
    assert marked == ["10.2.0.0/16", "10.3.0.0/16"], r["commands"]
    assert len(r["commands"]) == 4 and UNREACHABLE not in r["commands"][0] + r["commands"][3], r["commands"]
