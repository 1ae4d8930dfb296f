"""A made-up kind and module, added as one objects/manifest.py entry each,
show up where kinds and modules are listed: the registry, the host
program's sections, nl_persist's options, the network role's variables."""
import importlib.util
import os

from ansible_collections.netlink.host.plugins.module_utils.host_cli import sections
from ansible_collections.netlink.host.plugins.module_utils.objects import manifest, registry
from ansible_collections.netlink.host.plugins.module_utils.specs import persist

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


class ThingKind:
    name = "thing"


def _made_up(monkeypatch):
    monkeypatch.setattr(manifest, "KINDS", manifest.KINDS + (manifest.Kind("thing", ThingKind),))
    module = manifest.Module("nl_thing", "tasks.thing:ThingTask", "specs.thing",
                             (manifest.Saved("things", "things", False, False, {}),),
                             (manifest.RoleVariable("network_things", "things", "The things."),))
    monkeypatch.setattr(manifest, "MODULES", manifest.MODULES + (module,))
    monkeypatch.setattr(registry, "_loaded", {})


def test_registry(monkeypatch):
    _made_up(monkeypatch)
    assert registry.kind("thing").name == "thing"
    assert "thing" in manifest.kind_names()
    assert "nl_thing" in manifest.module_names()


def test_sections_and_persist_options(monkeypatch):
    _made_up(monkeypatch)
    rows = dict((s.name, s) for s in sections._from_manifest())
    assert rows["things"] == sections.Section("things", "nl_thing", "things", "tasks.thing:ThingTask", "specs.thing", False, {})
    assert persist.argument_spec()["things"] == dict(type="list", elements="raw")


def test_role_variables(monkeypatch):
    _made_up(monkeypatch)
    spec = importlib.util.spec_from_file_location("gen_role_docs", os.path.join(ROOT, "scripts", "gen_role_docs.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert ("network_things", "nl_thing", "things", "The things.") in gen.role_variables()


def test_real_sections_unchanged():
    assert [s.name for s in sections.SECTIONS] == [
        "netconf_all", "netconf_default", "links", "addresses", "routes", "rules",
        "xfrm_states", "xfrm_policies", "xfrm_defaults"]
    assert sections.MAPPINGS == ("netconf_all", "netconf_default", "xfrm_defaults")
