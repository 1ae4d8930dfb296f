"""Generate the RETURN entries every module of objects/manifest.py shares,
from one text here, into the marked region of each module's RETURN.

    python scripts/gen_return_docs.py           rewrite the regions
    python scripts/gen_return_docs.py --check   exit 1 (with a diff) if stale

Ansible's doc fragments cannot carry RETURN, so the shared entries are
written into each module between ``# BEGIN generated (confirm)`` and
``# END generated (confirm)`` (YAML comments: ansible-doc does not see
them).  A marker's params: ``version_added=X`` adds that version to each
entry (for modules older than the entries).  Only what is worded the same
in every module is here; ``commands``, ``diff``, ``undone`` and the rest say
what each module's objects do and stay in the module.
"""
import importlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = os.path.join(ROOT, "plugins", "modules")
COLLECTION = "netlink.host"

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


def manifest():
    return importlib.import_module("ansible_collections.%s.plugins.module_utils.objects.manifest" % COLLECTION)


def build(rewrite):
    files, missing = {}, []
    for module in manifest().MODULES:
        path = os.path.join(MODULES, module.name + ".py")
        files[path], found = rewrite(open(path).read(), {"confirm": confirm}, path)
        if "confirm" not in found:
            missing.append(module.name)
    if missing:
        return "no '# BEGIN generated (confirm)' region in the RETURN of %s" % ", ".join(missing)
    return files


def main():
    import generated  # scripts/generated.py, beside this file (sys.path[0] of a script)
    return generated.main(__doc__, "scripts/gen_return_docs.py", lambda: build(generated.rewrite))


if __name__ == "__main__":
    sys.exit(main())
