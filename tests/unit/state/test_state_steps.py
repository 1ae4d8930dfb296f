"""state/steps.py and state/whole.py without a kernel: the state split
into runs keeps each item's index as given; a task's words become the
state's (section[index as given]); each run's result fields become its
sections'; nl_state's spec is the sections' own module specs."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.state import spec, steps, whole
from ansible_collections.netlink.host.plugins.module_utils.state.sections import BY_NAME, SECTIONS
from ansible_collections.netlink.host.plugins.module_utils.specs import address as spec_address, xfrm as spec_xfrm


def test_split_keeps_each_items_index_as_given():
    values = {"routes": [{"dst": "10.0.0.0/8"}, {"dst": "10.1.0.0/16", "state": "absent"}, {"dst": "10.2.0.0/16"}],
              "links": [{"name": "br0"}]}
    runs = steps.split(values, "present")
    assert [([s.name for s in run], state, indices) for run, _values, state, indices in runs] == [
        (["links"], "present", {"links": [0]}),
        (["routes"], "present", {"routes": [0, 2]}),
        (["routes"], "absent", {"routes": [1]}),
    ]


def test_words_name_the_section_and_the_index_as_given():
    addresses, routes = [BY_NAME["addresses"]], [BY_NAME["routes"]]
    assert steps.worded(addresses, "devices[1].dev: 'br0' is listed twice (also devices[0])", {"addresses": [3, 5]}) == \
        "addresses[5].dev: 'br0' is listed twice (also addresses[3])"
    assert steps.worded(routes, "routes[1].gateway=x: not an IP address", {"routes": [0, 7]}) == \
        "routes[7].gateway=x: not an IP address"
    assert steps.worded(routes, "dev=br9: no such device (route 10.0.0.0/8)") == \
        "routes: dev=br9: no such device (route 10.0.0.0/8)"
    xfrm = [BY_NAME["xfrm_states"], BY_NAME["xfrm_policies"]]
    assert steps.worded(xfrm, "policies[0].dir: bad") == "xfrm_policies[0].dir: bad"
    exc = steps.reworded(routes, contract.PlanError("routes[0]: no"), {"routes": [2]})
    assert isinstance(exc, contract.PlanError) and str(exc) == "routes[2]: no"


def test_result_fields_by_section():
    netconf = [BY_NAME["netconf_all"], BY_NAME["netconf_default"]]
    assert whole._by_section(netconf, {"settings": {"all": {"ipv4": {}}, "default": None}}) == \
        {"netconf_all": {"ipv4": {}}, "netconf_default": None}
    assert whole._by_section([BY_NAME["addresses"]], {"addresses": [1]}) == {"addresses": [1]}
    assert whole._by_section([BY_NAME["xfrm_states"]], {"states": [1], "policies": [], "defaults": None}) == \
        {"xfrm_states": [1]}
    into = {}
    whole._merge(into, {"routes": [1], "xfrm_defaults": None})
    whole._merge(into, {"routes": [2], "xfrm_defaults": {"in": "accept"}})
    assert into == {"routes": [1, 2], "xfrm_defaults": {"in": "accept"}}


def test_spec_is_the_sections_own_module_specs():
    got = spec.argument_spec()
    assert [name for name in got if name in BY_NAME] == [s.name for s in SECTIONS]
    assert got["addresses"] == spec_address.argument_spec()["devices"]
    assert got["xfrm_states"] == spec_xfrm.argument_spec()["states"]  # no_log of the keys included
    assert got["mode"]["choices"] == ["present", "replaced"]


def test_bad_input_is_refused_before_anything_is_read():
    task = whole.StateTask()
    params = dict((name, None) for name in spec.argument_spec())
    params.update(mode="present", state="present",
                  routes=[{"dst": "10.0.0.0/8", "dev": "lo"}, {"dst": "10.1.0.0/16", "gateway": "nope"}])
    with pytest.raises(contract.ValidationError, match=r"^routes\[1\]\.gateway"):
        task.desired(params)


@pytest.mark.parametrize("mode", ["present", "replaced"])
def test_an_empty_section_is_one_not_given(mode):
    """The role passes each of its lists, most of them empty: as in a state
    file, an empty list is no task (nl_route alone would refuse it)."""
    params = dict((name, None) for name in spec.argument_spec())
    params.update(dict((s.name, []) for s in SECTIONS if s.name not in ("netconf_all", "netconf_default", "xfrm_defaults")))
    params.update(mode=mode, state="present", links=[{"name": "d0", "kind": "dummy"}])
    parts = whole.StateTask().desired(params)
    assert [[s.name for s in part.run] for part in parts] == [["links"]]
