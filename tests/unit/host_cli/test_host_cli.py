"""host_cli without a kernel: the argument-spec checks (as AnsibleModule
makes them), state files (merge, modes, refusals), the section table, the
unit's device names (as systemd-escape makes them), NetworkManager's
files."""
import json
import os
import shutil
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.tasks import argspec as params
from ansible_collections.netlink.host.plugins.module_utils.host_cli import (
    engine, networkmanager, state_files, unit)
from ansible_collections.netlink.host.plugins.module_utils.state import sections
from ansible_collections.netlink.host.plugins.module_utils.objects import registry
from ansible_collections.netlink.host.plugins.module_utils.specs import link as link_spec


SPEC = {"name": {"type": "str", "required": True}, "n": {"type": "int", "aliases": ["num"]},
        "on": {"type": "bool", "default": False}, "words": {"type": "list", "elements": "str"},
        "pick": {"type": "str", "choices": ["a", "b"]},
        "items": {"type": "list", "elements": "dict", "options": {"x": {"type": "int"}, "y": {"type": "str"}}}}


def test_normalize_fills_converts_and_resolves_aliases():
    got = params.normalize(SPEC, {"name": 5, "num": "7", "on": "yes", "words": "a, b", "items": [{"x": "3"}]})
    assert got == {"name": "5", "n": 7, "on": True, "words": ["a", "b"], "pick": None,
                   "items": [{"x": 3, "y": None}]}


@pytest.mark.parametrize("data,text", [
    ({}, "name: required"),
    ({"name": "x", "bogus": 1}, "params: unsupported option(s) bogus"),
    ({"name": "x", "n": "seven"}, "n: 'seven': must be an integer"),
    ({"name": "x", "n": True}, "must be an integer"),
    ({"name": "x", "on": "perhaps"}, "on: 'perhaps': must be a boolean"),
    ({"name": "x", "pick": "c"}, "pick: 'c': must be one of a, b"),
    ({"name": "x", "items": [{"x": 1}, {"z": 1}]}, "items[1]: unsupported option(s) z"),
    ({"name": "x", "items": [{"x": []}]}, "items[0].x: [] : must be an integer".replace(" :", ":")),
    ({"name": "x", "n": 1, "num": 2}, "given twice"),
])
def test_normalize_refuses_naming_the_option(data, text):
    with pytest.raises(contract.ValidationError) as exc:
        params.normalize(SPEC, data)
    assert text in str(exc.value)


def test_the_link_spec_is_the_modules_own():
    from ansible_collections.netlink.host.plugins.modules import nl_link
    assert nl_link.argument_spec() == link_spec.argument_spec()


def test_sections_group_one_task_per_module_in_table_order():
    runs = sections.groups(["xfrm_policies", "rules", "links", "xfrm_states"])
    assert [[s.name for s in r] for r in runs] == [["links"], ["rules"], ["xfrm_states", "xfrm_policies"]]


def test_runs_split_removals_and_reverse_them():
    loaded = {"mode": "replaced", "sections": {
        "links": [{"name": "a"}, {"name": "b", "state": "absent"}],
        "addresses": [{"dev": "a", "addresses": []}, {"dev": "c", "state": "absent"}]}}
    got = [([s.name for s in run], values, state) for run, values, state in engine.runs(loaded)]
    assert got == [(["links"], {"links": [{"name": "a"}]}, "replaced"),
                   (["addresses"], {"addresses": [{"dev": "a", "addresses": []}]}, "replaced"),
                   (["addresses"], {"addresses": [{"dev": "c", "state": "absent"}]}, "absent"),
                   (["links"], {"links": [{"name": "b", "state": "absent"}]}, "absent")]


def test_a_module_missing_from_the_build_is_named(monkeypatch):
    row = sections.Section("things", "nl_thing", "things", "tasks.nothing:T", "specs.nothing", False, {})
    assert not sections.available(row)
    with pytest.raises(sections.SectionUnavailable) as exc:
        sections.task_class(row)
    assert "nl_thing is not part of this build" in str(exc.value)


def test_state_files_merge_and_save(tmp_path):
    d = str(tmp_path)
    changed, files = state_files.save(d, "a", {"links": [{"name": "x"}], "xfrm_states": [{"spi": 1}]})
    assert changed and [os.path.basename(f) for f in files] == ["a.json", "a-secret.json"]
    assert oct(os.stat(files[1]).st_mode & 0o777) == "0o600" and oct(os.stat(files[0]).st_mode & 0o777) == "0o644"
    assert state_files.save(d, "a", {"links": [{"name": "x"}], "xfrm_states": [{"spi": 1}]}) == (False, files)
    state_files.save(d, "b", {"links": [{"name": "y"}], "xfrm_defaults": {"in": "block"}})
    loaded = state_files.load([d])
    assert loaded["sections"]["links"] == [{"name": "x"}, {"name": "y"}]
    assert loaded["sections"]["xfrm_defaults"] == {"in": "block"}
    changed, files = state_files.save(d, "a", {"links": []})  # no keys any more: the secret file goes
    assert changed and not os.path.exists(os.path.join(d, "a-secret.json"))
    assert state_files.remove(d, "a") and not state_files.remove(d, "a")


@pytest.mark.parametrize("doc,text", [
    ({"version": 2}, "version 2"), ({"links": {"a": 1}, "x": 1}, "unknown section(s) x"),
    ({"links": "br0"}, "must be a list or a mapping"),
])
def test_state_files_refusals(tmp_path, doc, text):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(state_files.StateError) as exc:
        state_files.load([str(path)])
    assert text in str(exc.value) and str(path) in str(exc.value)


@pytest.mark.parametrize("name", ["eth0", "br-lan", "enp0s31f6", "v.1", "a:b_c", "x@y"])
def test_device_unit_names_match_systemd_escape(name):
    tool = shutil.which("systemd-escape")
    assert tool, "systemd-escape is missing: scripts/setup.sh installs systemd"
    want = subprocess.run([tool, "--path", "--suffix=device", "/sys/subsystem/net/devices/" + name],
                          stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.strip()
    assert unit.device_unit(name) == want


def test_the_unit_waits_for_links_it_uses_but_does_not_create():
    got = unit.needed_devices({"links": [{"name": "br0", "kind": "bridge"}, {"name": "eth0", "master": "br0"},
                                         {"name": "vl5", "kind": "vlan", "link": "eth1"}],
                               "addresses": [{"dev": "br0"}, {"dev": "eth2"}, {"dev": "lo"}]})
    assert got == ["eth0", "eth1", "eth2"]
    text = unit.render("/p/netlink-host", "/etc/netlink.host", got)
    assert "ExecStart=/p/netlink-host apply /etc/netlink.host\n" in text
    assert "ConditionPathExists=/etc/netlink.host\n" in text and "Type=oneshot\n" in text


def test_networkmanager_state_files(tmp_path):
    (tmp_path / "run/NetworkManager/devices").mkdir(parents=True)
    (tmp_path / "run/NetworkManager/devices/3").write_text("[device]\nmanaged=true\n")
    (tmp_path / "run/NetworkManager/devices/4").write_text("[device]\nmanaged=false\n")
    (tmp_path / "etc/NetworkManager/system-connections").mkdir(parents=True)
    (tmp_path / "etc/NetworkManager/system-connections/w.nmconnection").write_text(
        "# x\n[connection]\nid=w\ninterface-name=wl0\n")
    index = {"a": 3, "b": 4, "c": None, "wl0": None}.get
    got = networkmanager.managed({"a", "b", "c", "wl0"}, index, str(tmp_path))
    assert sorted(got) == ["a", "wl0"] and "devices/3: managed=true" in got["a"]
    assert networkmanager.managed({"a"}, index, str(tmp_path / "none")) == {}


def test_networkmanager_sees_the_links_of_each_next_hop():
    """A multipath route on a link NetworkManager manages was let through:
    only the route's own dev was looked at."""
    route = {"dst": "10.0.0.0/8", "table": "main", "nexthops": [{"gateway": "192.0.2.1", "dev": "nm0"},
                                                                {"gateway": "198.51.100.1", "dev": "e1"}]}
    plan = [{"kind": "route", "op": "create", "key": [], "before": None, "after": route, "stage": 0}]
    assert networkmanager.touched(plan, registry) == {"nm0", "e1"}
