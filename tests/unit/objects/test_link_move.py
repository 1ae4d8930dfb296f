"""A link move as plain data (objects/link_move.py): its inverse moves it
back in one change sent from the other namespace, its commands, and the
applier keeping requests of different namespaces in different batches."""
from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.objects import link_move, registry

LINK = registry.kind("link")
HERE = {"name": "v0", "kind": "veth", "state": "down", "mtu": 1500, "address": "02:00:00:00:00:01",
        "txqueuelen": 1000, "master": "", "alias": "", "link": None, "veth": {"peer": "v1"},
        "kernel": {"ifindex": 3}}


class Ctx:
    netns = "a"


def move():
    return contract.change(LINK, contract.UPDATE, HERE, link_move.moved(HERE, "b"))


def test_the_move_is_sent_here_and_its_undo_there():
    ch = move()
    assert link_move.direction(ch) == link_move.TO and LINK.sent_in(ch) is None
    assert ch["after"] == {"name": "v0", "kind": "veth", "state": "down", "mtu": 1500,
                           "address": "02:00:00:00:00:01", "txqueuelen": 1000, "master": "", "alias": "",
                           "to_netns": "b"}
    undo = applier.undo_plan([ch])
    assert len(undo) == 1 and link_move.direction(undo[0]) == link_move.BACK
    assert LINK.sent_in(undo[0]) == "b" and undo[0]["after"] == HERE
    assert LINK.command(ch, Ctx()) == "ip -n a link set dev v0 netns b"
    assert LINK.command(undo[0], Ctx()) == "ip -n b link set dev v0 netns a"


def test_other_changes_are_not_moves():
    up = contract.change(LINK, contract.UPDATE, HERE, dict(HERE, state="up"))
    assert link_move.direction(up) is None and LINK.sent_in(up) is None
    assert link_move.direction(contract.change(LINK, contract.DELETE, HERE, None)) is None


def test_requests_for_another_namespace_go_in_a_batch_of_their_own():
    back = applier.undo_plan([move()])[0]
    up = contract.change(LINK, contract.UPDATE, HERE, dict(HERE, state="up"))
    batches = applier._batches([dict(back, stage=0), dict(up, stage=0)])
    assert [len(b) for b in batches] == [1, 1]
