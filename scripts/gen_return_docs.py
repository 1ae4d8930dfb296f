"""Generate the RETURN entries every module of objects/manifest.py shares,
from one text here, into the marked regions of each module's RETURN.

    python scripts/gen_return_docs.py           rewrite the regions
    python scripts/gen_return_docs.py --check   exit 1 (with a diff) if stale

Ansible's doc fragments cannot carry RETURN, so the shared entries are
written into each module between ``# BEGIN generated (REGION)`` and
``# END generated (REGION)`` (YAML comments: ansible-doc does not see
them).  Two regions: ``confirm`` (confirm_id, confirm_deadline; a marker's
``version_added=X`` adds that version to each entry, for modules older than
them), ``apply`` (write_requests, undone, undo_failures: what the engine
returns of applying a plan and undoing it) and, in nl_state only,
``sections`` (one entry per saved section of the manifest) and, in its
DOCUMENTATION, ``section-options``: nl_state takes one option per saved
section, each the list (or mapping) option of its module's own argument
spec (state/spec.py), so its documentation is that option's, sub-options
and all, with every ``O()``/``RV()`` reference qualified with the module's
name (``O(netlink.host.nl_link#module:name)``).  What ``apply`` says of a
module's own objects (their noun, kinds, key, ...) is its manifest entry's
``returns`` (manifest.Returns).  ``commands``, ``diff`` and the rest say
what each module's objects do and stay in the module.
"""
import ast
import copy
import importlib
import os
import re
import sys
import textwrap

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = os.path.join(ROOT, "plugins", "modules")
COLLECTION = "netlink.host"
REFERENCE = re.compile(r"\b(O|RV)\(([^()#]+)\)")  # an option or result of the module whose text it is

# The commit-confirmed results (every module takes confirm_timeout: specs/common.py).
CONFIRM = (
    ("confirm_id", [
        "description:",
        "  - With O(confirm_timeout), when the task changed something (not in",
        "    check mode), the id of its pending record; pass it to",
        "    M(netlink.host.nl_confirm), as one of its C(ids), to keep the change.",
        "returned: when confirm_timeout is set and something changed",
        "type: str",
        "sample: 20261130T081257917872Z-465ebb",
    ]),
    ("confirm_deadline", [
        "description: With RV(confirm_id), when the change rolls back unless confirmed (UTC, ISO 8601).",
        "returned: when confirm_timeout is set and something changed",
        "type: str",
        'sample: "2026-11-30T08:13:00Z"',
    ]),
)


def _params(text):
    return dict(word.split("=", 1) for word in text.split())


def confirm(params):
    """The region's lines for a marker's params."""
    version = _params(params).get("version_added")
    lines = []
    for name, body in CONFIRM:
        lines.append(name + ":")
        lines += ["  " + line for line in body]
        if version:
            lines.append('  version_added: "%s"' % version)
    return lines


def _described(text, indent):
    """A description: key followed by one list item, wrapped."""
    return [indent + "description:"] + textwrap.wrap(text, 120, initial_indent=indent + "  - ", subsequent_indent=indent + "    ")


def _field(name, text, type_):
    """An entry of undo_failures' contains: its description a wrapped plain scalar."""
    return (["    %s:" % name] + textwrap.wrap(text, 120, initial_indent="      description: ", subsequent_indent="        ")
            + ["      type: " + type_])


def _choices(kinds):
    return " (%s)" % ", ".join("V(%s)" % k for k in kinds) if kinds else ""


def apply_entries(returns):
    """The apply region's lines for a module's manifest.Returns."""
    r = returns
    # the returned: phrase is one tests/integration/modules/test_return_docs.py reads (its CLAUSES), whatever r.request is
    refused = "when the kernel refused a request"
    key = " (%s)" % r.key if r.key else ", as the kernel identifies it"
    masked = " (%s masked)" % r.masked if r.masked else ""
    lines = ["write_requests:"]
    lines += _described("Number of %s (V(0) when nothing changed, and always in check mode)." % r.count, "  ")
    lines += ["    - When the kernel refuses a %s, the undo's %ss count too." % (r.request, r.request),
              "  returned: unless state is gathered",
              "  type: int",
              "  sample: 1",
              "undone:"]
    also = " (and %s)" % r.changed_with if r.changed_with else ""
    note = " (%s)" % r.undone_note if r.undone_note else ""
    lines += _described("When the kernel refused a %s, whether everything the task had already changed%s was restored exactly, "
                        "as read back after the undo%s." % (r.request, also, note), "  ")
    lines += ["    - V(false) whenever anything in RV(undo_failures) is listed.",
              "  returned: " + refused,
              "  type: bool",
              "  sample: true",
              "undo_failures:"]
    lines += _described("One entry per %s the undo could not restore exactly; empty when RV(undone) is V(true)." % r.noun, "  ")
    lines += ["  returned: " + refused,
              "  type: list",
              "  elements: dict",
              "  contains:"]
    lines += _field("kind", "The object kind%s." % _choices(r.kinds), "str")
    lines += _field("key", "The %s's identity%s." % (r.noun, key), "list")
    lines += _field("command", "The %s command that would restore it%s." % (r.tool, masked), "str")
    lines += _field("reason", "Why it is not restored (refused by the kernel, missing, still there, or which fields differ).", "str")
    if r.sample is not None:
        # a line break in the sample's text continues it on the next line, indented under it
        first, rest = (r.sample.split("\n", 1) + [""])[:2]
        lines.append("  sample: " + first)
        lines += ["           " + each for each in rest.split("\n") if rest]
    return lines


def section_entries():
    """nl_state's RETURN entries of its sections, one per saved section of
    the manifest: what its module returns for it after the run."""
    lines = []
    for module in manifest().MODULES:
        for saved in module.saved:
            lines += [saved.name + ":"]
            text = ("With O(%s), the objects M(netlink.host.%s) returns for its O(netlink.host.%s#module:%s) after the "
                    "run (in check mode, as they would be), secrets masked." % (saved.name, module.name, module.name, saved.option))
            lines += _described(text, "  ")
            lines += ["  returned: when %s is given and state is not gathered" % saved.name,
                      "  type: %s" % ("dict" if saved.mapping else "list")]
            if not saved.mapping:
                lines += ["  elements: dict"]
    return lines


def _documentation(module):
    """``module``'s DOCUMENTATION (read from its file, not imported), or
    None when the file has none (a made-up module of a test)."""
    path = os.path.join(MODULES, module + ".py")
    if not os.path.exists(path):
        return None
    for node in ast.parse(open(path).read()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return yaml.safe_load(node.value.value)
    return None


def _qualified(value, module):
    """``value`` with every O()/RV() reference pointing at ``module``'s docs."""
    if isinstance(value, str):
        return REFERENCE.sub(lambda m: "%s(%s.%s#module:%s)" % (m.group(1), COLLECTION, module, m.group(2)), value)
    if isinstance(value, list):
        return [_qualified(v, module) for v in value]
    if isinstance(value, dict):
        return dict((k, _qualified(v, module)) for k, v in value.items())
    return value


def section_options():
    """The region's lines: one option per saved section, in the manifest's order."""
    lines = []
    for module in manifest().MODULES:
        documented = _documentation(module.name)
        for saved in module.saved if documented else ():
            options = documented["options"]
            doc = _qualified(copy.deepcopy(options[saved.option]), module.name)
            doc.pop("aliases", None)  # state/spec.py drops them too: a section has one name
            said = doc.get("description") or []
            doc["description"] = ["The section %s of the state: what M(%s.%s) takes as O(%s.%s#module:%s)."
                                  % (saved.name, COLLECTION, module.name, COLLECTION, module.name, saved.option)] + \
                (said if isinstance(said, list) else [said])
            text = yaml.safe_dump({saved.name: doc}, default_flow_style=False, sort_keys=False, width=80, allow_unicode=True)
            lines += text.splitlines()
    names = [saved.name for module in manifest().MODULES for saved in module.saved]
    lines += ["sections:",
              "  description: With O(state=gathered), the sections to return (default all of them).",
              "  type: list",
              "  elements: str",
              "  choices: [%s]" % ", ".join(names)]
    return lines


def manifest():
    return importlib.import_module("ansible_collections.%s.plugins.module_utils.objects.manifest" % COLLECTION)


def build(rewrite):
    files, missing = {}, []
    m = manifest()
    for name, returns in [(module.name, module.returns) for module in m.MODULES] + [(m.STATE_MODULE, m.STATE_RETURNS)]:
        path = os.path.join(MODULES, name + ".py")
        regions = {"confirm": confirm, "apply": apply_entries(returns)}
        if name == m.STATE_MODULE:
            regions["sections"] = section_entries()
            regions["section-options"] = section_options()
        files[path], found = rewrite(open(path).read(), regions, path)
        missing += ["'# BEGIN generated (%s)' region in the RETURN of %s" % (region, name)
                    for region in sorted(regions) if region not in found]
    if missing:
        return "no " + "; no ".join(missing)
    return files


def main():
    import generated  # scripts/generated.py, beside this file (sys.path[0] of a script)
    return generated.main(__doc__, "scripts/gen_return_docs.py", lambda: build(generated.rewrite))


if __name__ == "__main__":
    sys.exit(main())
