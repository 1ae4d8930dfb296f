"""Generate the hand-kept lists of the collection's modules from
objects/manifest.py, so that a module added to the manifest is in each of
them with nothing written by hand:

- meta/runtime.yml: the ``netlink`` action group (``module_defaults`` of
  ``group/netlink.host.netlink`` reaches every module);
- state/packed.py: the static imports of every module's task and spec
  (Ansible packs into a payload only what is imported statically: nl_state's
  and nl_facts', and nl_persist's through host_cli/included.py, which is
  what the installed netlink-host is);
- nl_persist's DOCUMENTATION: one option per section of the saved state.

    python scripts/gen_manifest_lists.py           rewrite the generated regions
    python scripts/gen_manifest_lists.py --check   exit 1 (with a diff) if stale

Only the regions between ``# BEGIN generated (<region>)`` and
``# END generated (<region>)`` are written.  Run it with the python of a
test venv (scripts/test.sh's meta tier runs --check).
"""
import importlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, "meta", "runtime.yml")
PACKED = os.path.join(ROOT, "plugins", "module_utils", "state", "packed.py")
PERSIST = os.path.join(ROOT, "plugins", "modules", "nl_persist.py")
COLLECTION = "netlink.host"


def manifest():
    return importlib.import_module("ansible_collections.%s.plugins.module_utils.objects.manifest" % COLLECTION)


def action_group():
    return ["- %s" % name for name in manifest().module_names()]


def _stem(dotted):
    """tasks.link:LinkTask -> (tasks, link)."""
    package, _sep, name = dotted.split(":")[0].partition(".")
    return package, name


def included():
    """One static import of each module's task and spec, named as the
    table is (task_link, spec_link), for the packer to see."""
    lines = []
    for module in manifest().MODULES:
        for dotted, prefix in ((module.task, "task"), (module.spec, "spec")):
            package, name = _stem(dotted)
            lines.append("from ..%s import %s as %s_%s  # noqa: F401" % (package, name, prefix, name))
    return lines


def _wrap(text, width=110):
    """text as the lines of one YAML list item, at most width characters each."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = "%s %s" % (line, word) if line else word
    lines.append(line)
    return ["    - " + lines[0]] + ["      " + rest for rest in lines[1:]]


def persist_sections():
    """nl_persist's option for each saved section, described by its
    manifest entry and referring to its module's own option."""
    lines = []
    for module in manifest().MODULES:
        for saved in module.saved:
            text = "%s, in M(%s.%s)'s O(%s.%s#module:%s) format%s." % (
                saved.what, COLLECTION, module.name, COLLECTION, module.name, saved.option,
                " (saved in the 0600 file)" if saved.secret else "")
            lines += ["%s:" % saved.name, "  description:"] + _wrap(text)
            lines += ["  type: dict"] if saved.mapping else ["  type: list", "  elements: raw"]
    return lines


def build(generated):
    wanted = {"action-group": action_group(), "included": included(), "persist-sections": persist_sections()}
    return generated.rewrite_all((RUNTIME, PACKED, PERSIST), wanted, "meta/runtime.yml, state/packed.py and nl_persist")


def main():
    import generated  # scripts/generated.py, beside this file (sys.path[0] of a script)
    return generated.main(__doc__, "scripts/gen_manifest_lists.py", lambda: build(generated))


if __name__ == "__main__":
    sys.exit(main())
