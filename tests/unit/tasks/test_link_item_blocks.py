"""A links[] item takes its per-type blocks as plain dicts (their settings
are documented once, at the top level): the task converts and checks them
as AnsibleModule does the top-level blocks, so both forms read the same."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.tasks.link import LinkTask


def desired(params):
    return LinkTask().desired(dict({"state": "present", "recreate": False, "netns": None}, **params))


def test_an_item_block_reads_as_the_top_level_one():
    top = desired({"name": "vx0", "kind": "vxlan", "vxlan": {"id": 42, "dstport": 4789, "learning": False}})
    item = desired({"links": [{"name": "vx0", "kind": "vxlan",
                               "vxlan": {"id": "42", "dstport": "4789", "learning": "no"}}]})
    assert item == top
    assert item[0]["vxlan"] == {"id": 42, "dstport": 4789, "learning": False}


@pytest.mark.parametrize("block,message", [
    ({"id": "forty-two"}, "links[0].vxlan:"),
    ({"id": 42, "colour": "blue"}, "links[0].vxlan.colour: unknown option"),
    ({"id": 2 ** 24}, "links[0].vxlan.id=16777216 is out of range"),
    ("42", "links[0].vxlan: a dict is required"),
])
def test_a_bad_item_block_names_the_item_and_option(block, message):
    with pytest.raises(contract.ValidationError) as exc:
        desired({"links": [{"name": "vx0", "kind": "vxlan", "vxlan": block}]})
    assert message in str(exc.value), str(exc.value)


def test_a_bad_choice_in_an_item_block():
    with pytest.raises(contract.ValidationError) as exc:
        desired({"links": [{"name": "mv0", "kind": "macvlan", "link": "eth0", "macvlan": {"mode": "nope"}}]})
    assert "links[0].macvlan" in str(exc.value) and "nope" in str(exc.value), str(exc.value)
