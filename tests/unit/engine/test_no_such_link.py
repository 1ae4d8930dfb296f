"""A link looked up by name that is not there says so itself
(contract.NoSuchLink): the applier reports it in those words and knows no
lookup; callers that catch a KeyError still do."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext


class OneLink(KernelContext):
    def links(self, refresh=False):
        return self._one

    def __init__(self):
        KernelContext.__init__(self)
        self._one = {2: type("Msg", (), {"attrs": {"ifname": "eth0"}})()}


def test_the_lookup_names_the_missing_link():
    ctx = OneLink()
    assert ctx.ifindex("eth0") == 2 and ctx.ifindex("eth9", required=False) is None
    with pytest.raises(contract.NoSuchLink) as exc:
        ctx.ifindex("eth9")
    assert isinstance(exc.value, KeyError)
    assert str(exc.value) == "no link named eth9"


def test_the_applier_gives_its_words():
    assert applier.reason(contract.NoSuchLink("eth9")) == "no link named eth9"
    assert applier.reason(contract.PlanError("dev: 'x': no such device")) == "dev: 'x': no such device"
