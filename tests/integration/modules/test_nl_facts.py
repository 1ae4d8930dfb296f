"""nl_facts against this machine's kernel, in throwaway namespaces: the
facts are nl_state's gathered document (same selection, same format),
gather_subset picks sections the *_facts way, a bad subset is refused
naming it, nothing changes (check mode too), and through ansible-playbook
nl_state given the facts back changes nothing while a ``when:`` can read
them."""
import pytest

from ansible_collections.netlink.host.tests.integration.ansible_cli import inventory, playbook
from ansible_collections.netlink.host.tests.integration.modules.test_nl_state import HOST
from ansible_collections.netlink.host.tests.integration.snapshots import assert_same, snapshot

MOD = "nl_facts"


@pytest.fixture
def host(run_module, netns):
    """The whole host of test_nl_state, made by nl_state."""
    r = run_module("nl_state", dict(HOST), netns=netns)
    assert r["changed"] and not r.get("failed"), r
    return netns


def test_facts_are_nl_states_gathered_document(run_module, host):
    before = snapshot(host)
    r = run_module(MOD, {}, netns=host, check=True)
    assert r["changed"] is False and not r.get("failed"), r
    facts = r["ansible_facts"]["netlink"]
    assert facts == run_module("nl_state", {"state": "gathered"}, netns=host)["gathered"]
    assert set(HOST) <= set(facts) and r["gathered_subset"][0] == "netconf_all", r
    assert [link["kind"] for link in facts["links"] if link["name"] == "br0"] == ["bridge"], facts["links"]
    again = run_module("nl_state", dict(facts), netns=host)
    assert (again["changed"], again["write_requests"], again["commands"]) == (False, 0, []), again
    assert_same(before, snapshot(host))


@pytest.mark.parametrize("subset,sections", [
    (["links", "addresses"], ["links", "addresses"]),
    (["!routes"], None),
    (["all", "!routes", "!rules"], None),
    (["!all", "rules"], []),
])
def test_gather_subset(run_module, host, subset, sections):
    r = run_module(MOD, {"gather_subset": subset}, netns=host)
    every = run_module(MOD, {}, netns=host)
    leave_out = [g[1:] for g in subset if g.startswith("!") and g != "!all"]
    want = sections if sections is not None else [s for s in every["gathered_subset"] if s not in leave_out]
    assert r["gathered_subset"] == want, r
    assert r["ansible_facts"]["netlink"] == dict((k, v) for k, v in every["ansible_facts"]["netlink"].items() if k in want)


def test_a_bad_subset_is_named(run_module, netns):
    r = run_module(MOD, {"gather_subset": ["links", "!bogus"]}, netns=netns)
    assert r.get("failed") and "gather_subset: !bogus: not a section" in r["msg"], r


@pytest.mark.slow(20)  # two plays
def test_facts_fed_back_through_a_play_change_nothing(tmp_path, host):
    play = """- hosts: all
  gather_facts: false
  tasks:
    - netlink.host.nl_facts:
    - name: Read by a condition
      ansible.builtin.assert:
        that: ansible_facts.netlink.links | selectattr('name', 'equalto', 'br0') | list | length == 1
    - name: Given back whole
      netlink.host.nl_state: {}
      args: "{{ ansible_facts.netlink }}"
      register: back
    - ansible.builtin.assert:
        that: [not back.changed, back.write_requests == 0]
"""
    proc = playbook(tmp_path, inventory(tmp_path, {host: None}), play)
    assert proc.returncode == 0, proc.stdout
    assert "changed=0" in proc.stdout, proc.stdout
