"""The IP settings table (objects/devconf.py) is the one source of
nl_link's ipv4/ipv6 blocks and nl_netconf's options: both modules'
DOCUMENTATION and argument specs agree with it; values normalise as the
input format promises; commands name the sysctl the way sysctl reads it."""
import pytest
import yaml

from ansible_collections.netlink.host.plugins.module_utils.objects import devconf
from ansible_collections.netlink.host.plugins.module_utils.objects.sysctl import SysctlKind
from ansible_collections.netlink.host.plugins.modules import nl_netconf


class Lab:
    netns = "lab"


def test_nl_netconf_documents_the_table_for_all_and_default():
    """Run scripts/gen_nl_link_docs.py when this fails."""
    doc = yaml.safe_load(nl_netconf.DOCUMENTATION)["options"]
    spec = nl_netconf.argument_spec()
    for scope in devconf.SCOPES:
        assert doc[scope]["suboptions"] == devconf.scope_doc_options()
        for block, rows in spec[scope]["options"].items():
            assert sorted(rows["options"]) == sorted(doc[scope]["suboptions"][block]["suboptions"])
    assert "token" not in doc["all"]["suboptions"]["ipv6"]["suboptions"]


@pytest.mark.parametrize("block,name,given,kept", [
    ("ipv4", "rp_filter", "loose", "loose"),
    ("ipv4", "rp_filter", 1, "strict"),
    ("ipv4", "rp_filter", "2", "loose"),
    ("ipv4", "forwarding", 1, True),
    ("ipv4", "forwarding", False, False),
    ("ipv6", "token", "::1:2:3:4", "::1:2:3:4"),
    ("ipv6", "token", "0::0", "::"),
    ("ipv6", "addr_gen_mode", "random", "random"),
    ("ipv6", "accept_dad", -1, -1),
])
def test_values_normalise_as_the_kernel_would_show_them(block, name, given, kept):
    assert devconf.row(block, name).normalise(given, "x") == kept


@pytest.mark.parametrize("block,name,given,says", [
    ("ipv4", "rp_filter", "medium", "x='medium' is not one of off, strict, loose (or 0, 1, 2)"),
    ("ipv4", "arp_announce", 3, "x=3 is out of range (0-2)"),
    ("ipv4", "forwarding", "perhaps", "x='perhaps': must be a boolean"),
    ("ipv6", "token", "2001:db8::1", "the low 64 bits only"),
    ("ipv6", "token", "nonsense", "not an IPv6 token"),
    ("ipv6", "hop_limit", "many", "x='many': must be an integer"),
])
def test_bad_values_name_option_and_value(block, name, given, says):
    with pytest.raises(ValueError) as err:
        devconf.row(block, name).normalise(given, "x")
    assert says in str(err.value)


def test_kernel_values_decode_back_to_input():
    conf = [0] * 33
    conf[8 - 1] = 2  # IPV4_DEVCONF_RP_FILTER
    conf[1 - 1] = 1  # IPV4_DEVCONF_FORWARDING
    got = devconf.decode("ipv4", conf)
    assert got["rp_filter"] == "loose" and got["forwarding"] is True and got["proxy_arp"] is False
    assert "arp_evict_nocarrier" in got and "bc_forwarding" in got
    assert "arp_evict_nocarrier" not in devconf.decode("ipv4", conf[:31])  # an older kernel's shorter array


@pytest.mark.parametrize("obj,command", [
    ({"family": 4, "dev": "all", "name": "forwarding", "value": True}, "ip netns exec lab sysctl -w net.ipv4.ip_forward=1"),
    ({"family": 6, "dev": "eth0.100", "name": "accept_ra", "value": 2},
     "ip netns exec lab sysctl -w net/ipv6/conf/eth0.100/accept_ra=2"),
    ({"family": 4, "dev": "default", "name": "rp_filter", "value": "strict"},
     "ip netns exec lab sysctl -w net.ipv4.conf.default.rp_filter=1"),
])
def test_commands_name_the_sysctl_as_sysctl_reads_it(obj, command):
    ch = {"kind": "sysctl", "op": "update", "key": list(SysctlKind().key(obj)), "before": obj, "after": obj}
    assert SysctlKind().command(ch, Lab()) == command
