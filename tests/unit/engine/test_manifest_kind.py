"""A made-up kind and module, added as one objects/manifest.py entry each,
show up where kinds and modules are listed: the registry, the host
program's sections, nl_persist's options, the network role's variables and
tasks, the action group check, host_cli/included.py's check, and the
modules' shared RETURN entries."""
import importlib.util
import os

import pytest
import yaml

from ansible_collections.netlink.host.plugins.module_utils.state import sections
from ansible_collections.netlink.host.plugins.module_utils.objects import manifest, registry
from ansible_collections.netlink.host.plugins.module_utils.specs import persist

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


class ThingKind:
    name = "thing"


def _made_up(monkeypatch):
    monkeypatch.setattr(manifest, "KINDS", manifest.KINDS + (manifest.Kind("thing", ThingKind),))
    module = manifest.Module("nl_thing", "tasks.thing:ThingTask", "specs.thing",
                             (manifest.Saved("things", "things", False, False, {}, "The things"),),
                             (manifest.RoleVariable("network_things", "things", "The things."),),
                             manifest.RoleTasks("Check things", "Things", "Remove things", "things", True, True, False))
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


def _load(name, *path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, *path))
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def test_role_variables(monkeypatch):
    _made_up(monkeypatch)
    gen = _load("gen_role_docs", "scripts", "gen_role_docs.py")
    assert ("network_things", "nl_thing", "things", "The things.") in gen.role_variables()


def test_role_tasks(monkeypatch):
    _made_up(monkeypatch)
    gen = _load("gen_role_tasks", "scripts", "gen_role_tasks.py")
    monkeypatch.setattr(gen, "manifest", lambda: manifest)
    regions = gen.regions()
    # the one nl_state task (and its preflight) passes the made-up section as nl_persist does
    for region in ("check", "apply"):
        assert regions[region][1] == "  netlink.host.nl_state:"
        assert '    things: "{{ network_things }}"' in regions[region]
    assert regions["apply"][-2:] == ["  when: __network_given | bool", "  register: __network_done"]
    assert regions["persist-sections"][-1] == 'things: "{{ network_things }}"'
    assert any(line.startswith("  + network_things") for line in regions["given"]), regions["given"]
    assert regions["list-defaults"][-1] == "network_things: []"


def test_action_group_check_and_included(monkeypatch):
    """scripts/gen_manifest_lists.py puts the new module in the action group
    (scripts/test.sh's meta tier compares it with module_names()), imports
    its task and spec in host_cli/included.py (test_included.py wants them)
    and documents its section as nl_persist's option."""
    _made_up(monkeypatch)
    assert manifest.module_names()[-1 - len(manifest.OTHER_MODULES):] == ("nl_thing",) + manifest.OTHER_MODULES
    gen = _load("gen_manifest_lists", "scripts", "gen_manifest_lists.py")
    monkeypatch.setattr(gen, "manifest", lambda: manifest)
    assert gen.action_group()[-1 - len(manifest.OTHER_MODULES):] == ["- " + name for name in ("nl_thing",) + manifest.OTHER_MODULES]
    assert gen.included()[-2:] == ["from ..tasks import thing as task_thing  # noqa: F401",
                                   "from ..specs import thing as spec_thing  # noqa: F401"]
    assert gen.persist_sections()[-5:] == [
        "things:", "  description:",
        "    - The things, in M(netlink.host.nl_thing)'s O(netlink.host.nl_thing#module:things) format.",
        "  type: list", "  elements: raw"]
    included = _load("test_included_made_up", "tests", "unit", "host_cli", "test_included.py")
    monkeypatch.setattr(included, "manifest", manifest)
    with pytest.raises(AssertionError, match="specs.thing"):
        included.test_every_manifest_module_is_included()


def test_real_sections_unchanged():
    assert [s.name for s in sections.SECTIONS] == [
        "netconf_all", "netconf_default", "links", "addresses", "neighbours", "fdb", "nexthops", "routes", "rules",
        "xfrm_states", "xfrm_policies", "xfrm_defaults"]
    assert sections.MAPPINGS == ("netconf_all", "netconf_default", "xfrm_defaults")


def _return_docs(monkeypatch, tmp_path, thing_return):
    """gen_return_docs.build() over copies of the real modules and a made-up
    nl_thing whose module text is thing_return; returns the generator, the
    files it made and the path of nl_thing's."""
    gen = _load("gen_return_docs", "scripts", "gen_return_docs.py")
    generated = _load("generated", "scripts", "generated.py")
    monkeypatch.setattr(gen, "manifest", lambda: manifest)
    for name in [module.name for module in manifest.MODULES[:-1]] + [manifest.STATE_MODULE]:
        with open(os.path.join(ROOT, "plugins", "modules", name + ".py")) as real:
            (tmp_path / (name + ".py")).write_text(real.read())
    (tmp_path / "nl_thing.py").write_text(thing_return)
    monkeypatch.setattr(gen, "MODULES", str(tmp_path))
    return gen, gen.build(generated.rewrite), str(tmp_path / "nl_thing.py")


EMPTY_REGIONS = ("RETURN = r'''\n# BEGIN generated (confirm)\n# END generated (confirm)\n"
                 "# BEGIN generated (apply)\n# END generated (apply)\nthings: {}\n'''\n")


def test_return_docs(monkeypatch, tmp_path):
    """The made-up module's RETURN gets every shared entry in its (empty)
    marked regions, from the manifest entry's defaults (it declares no
    returns); the real modules come out as they are."""
    _made_up(monkeypatch)
    gen, files, thing = _return_docs(monkeypatch, tmp_path, EMPTY_REGIONS)
    text = files[thing]
    assert text.startswith("RETURN = r'''\n# BEGIN generated (confirm)\nconfirm_id:\n  description:\n")
    assert "  sample: \"2026-11-30T08:13:00Z\"\n# END generated (confirm)\n# BEGIN generated (apply)\nwrite_requests:\n" in text
    assert text.endswith("      type: str\n# END generated (apply)\nthings: {}\n'''\n")
    returned = yaml.safe_load(text.split("'''")[1])
    assert sorted(returned) == ["confirm_deadline", "confirm_id", "things", "undo_failures", "undone", "write_requests"]
    assert returned["write_requests"]["description"][0] == \
        "Number of netlink write requests sent (V(0) when nothing changed, and always in check mode)."
    assert returned["undone"]["description"][0] == \
        "When the kernel refused a request, whether everything the task had already changed was restored exactly, as read back after the undo."
    failures = returned["undo_failures"]
    assert failures["description"] == ["One entry per object the undo could not restore exactly; empty when RV(undone) is V(true)."]
    assert sorted(failures["contains"]) == ["command", "key", "kind", "reason"]
    assert failures["contains"]["kind"]["description"] == "The object kind."
    assert failures["contains"]["key"]["description"] == "The object's identity, as the kernel identifies it."
    assert failures["contains"]["command"]["description"] == "The iproute2 command that would restore it."
    assert "sample" not in failures
    for module in manifest.MODULES[:-1]:
        assert files[str(tmp_path / (module.name + ".py"))] == (tmp_path / (module.name + ".py")).read_text()
    # nl_state returns a field per saved section: the made-up one's too
    assert "\nthings:\n" in files[str(tmp_path / (manifest.STATE_MODULE + ".py"))]


def test_return_docs_specifics(monkeypatch, tmp_path):
    """What a module declares in its manifest entry's returns is what its shared entries say."""
    _made_up(monkeypatch)
    thing = manifest.MODULES[-1]._replace(returns=manifest.Returns(
        noun="thing", kinds=("thing", "link"), key="name", request="write", count="writes made",
        changed_with="what the kernel changed with it", undone_note="as the file says", tool="C(thingctl)",
        masked="secrets", sample='[{"kind": "thing",\n "key": ["t0"]}]'))
    monkeypatch.setattr(manifest, "MODULES", manifest.MODULES[:-1] + (thing,))
    files, path = _return_docs(monkeypatch, tmp_path, EMPTY_REGIONS)[1:]
    returned = yaml.safe_load(files[path].split("'''")[1])
    assert returned["write_requests"]["description"] == [
        "Number of writes made (V(0) when nothing changed, and always in check mode).",
        "When the kernel refuses a write, the undo's writes count too."]
    assert returned["undone"]["description"][0] == (
        "When the kernel refused a write, whether everything the task had already changed (and what the kernel"
        " changed with it) was restored exactly, as read back after the undo (as the file says).")
    # test_return_docs.py (integration) reads returned: phrases from a fixed list
    assert returned["undone"]["returned"] == returned["undo_failures"]["returned"] == "when the kernel refused a request"
    failures = returned["undo_failures"]
    assert failures["description"][0].startswith("One entry per thing the undo")
    assert failures["contains"]["kind"]["description"] == "The object kind (V(thing), V(link))."
    assert failures["contains"]["key"]["description"] == "The thing's identity (name)."
    assert failures["contains"]["command"]["description"] == "The C(thingctl) command that would restore it (secrets masked)."
    assert failures["sample"] == [{"kind": "thing", "key": ["t0"]}]


def test_return_docs_regions_required(monkeypatch, tmp_path):
    _made_up(monkeypatch)
    files = _return_docs(monkeypatch, tmp_path, "RETURN = r'''\n# BEGIN generated (confirm)\n# END generated (confirm)\n'''\n")[1]
    assert files == "no '# BEGIN generated (apply)' region in the RETURN of nl_thing"
    files = _return_docs(monkeypatch, tmp_path, "RETURN = r'''\nthings: {}\n'''\n")[1]
    assert files == ("no '# BEGIN generated (apply)' region in the RETURN of nl_thing;"
                     " no '# BEGIN generated (confirm)' region in the RETURN of nl_thing")
