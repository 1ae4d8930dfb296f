"""Render the module reference docs/modules/<module>.md from the modules' own
DOCUMENTATION, EXAMPLES and RETURN, as `ansible-doc --json` reads them (doc
fragments included), so the reference cannot drift from the code.

    python docs/generate.py           write docs/modules/*.md
    python docs/generate.py --check   exit 1 (with a diff) if they are stale

Run it with the python of a test venv (scripts/setup.sh makes .venv-2.19); it
uses the ansible-doc next to that python.  scripts/test.sh runs --check.
"""
import argparse
import ast
import difflib
import json
import os
import subprocess
import sys

import yaml

from markup_md import to_markdown  # docs/, beside this script

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = os.path.join(ROOT, "plugins", "modules")
OUT = os.path.join(ROOT, "docs", "modules")
COLLECTION = "netlink.host"


def module_names():
    if not os.path.isdir(MODULES):
        return []
    return sorted(f[:-3] for f in os.listdir(MODULES)
                  if f.endswith(".py") and not f.startswith("_"))


def collections_path():
    """The .build/collections tree that holds netlink/host -> the checkout."""
    base = os.path.join(ROOT, ".build", "collections")
    link = os.path.join(base, "ansible_collections", "netlink", "host")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    return base


def ansible_doc(names):
    exe = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
    if not os.path.exists(exe):
        exe = "ansible-doc"
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(),
               ANSIBLE_NOCOLOR="1")
    cmd = [exe, "--json", "-t", "module"] + ["%s.%s" % (COLLECTION, n) for n in names]
    proc = subprocess.run(cmd, env=env, check=False, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit("ansible-doc failed (%d):\n%s" % (proc.returncode, proc.stderr))
    data = json.loads(proc.stdout)
    missing = [n for n in names if "%s.%s" % (COLLECTION, n) not in data]
    if missing:
        sys.exit("ansible-doc returned nothing for %s:\n%s" % (", ".join(missing), proc.stderr))
    return data


def text(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(text(v) for v in value)
    return to_markdown(str(value))


def cell(value):
    return text(value).replace("|", "\\|").replace("\n", " ")


def literal(value):
    return "`%s`" % json.dumps(value) if value is not None else ""


def declared(name):
    """The options of plugins/modules/<name>.py's own DOCUMENTATION, in the
    order the module declares them (ansible-doc sorts them by name): the
    reference leads with what a user sets first (name, kind, state)."""
    with open(os.path.join(MODULES, name + ".py"), encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DOCUMENTATION" for t in node.targets):
            return (yaml.safe_load(node.value.value) or {}).get("options") or {}
    return {}


def in_order(options, order):
    """Option names: those ``order`` declares first, in its order, then the
    rest (doc fragments' options) by name."""
    known = [n for n in (order or {}) if n in options]
    return known + sorted(n for n in options if n not in known)


def options_rows(options, depth=0, order=None):
    rows = []
    for name in in_order(options, order):
        spec = options[name]
        kind = spec.get("type", "str")
        if kind == "list" and spec.get("elements"):
            kind = "list / %s" % spec["elements"]
        extra = []
        if spec.get("required"):
            extra.append("**required**")
        if spec.get("choices"):
            extra.append("choices: %s" % ", ".join(literal(c) for c in spec["choices"]))
        if "default" in spec and spec["default"] is not None:
            extra.append("default: %s" % literal(spec["default"]))
        if spec.get("aliases"):
            extra.append("aliases: %s" % ", ".join(spec["aliases"]))
        indent = "&nbsp;&nbsp;" * depth + ("↳ " if depth else "")
        rows.append("| %s`%s` | %s | %s%s |" % (
            indent, name, kind, cell(spec.get("description")),
            ("<br>" + "; ".join(extra)) if extra else ""))
        if spec.get("suboptions"):
            sub_order = ((order or {}).get(name) or {}).get("suboptions")
            rows.extend(options_rows(spec["suboptions"], depth + 1, sub_order))
    return rows


def return_rows(values, depth=0):
    rows = []
    for name in sorted(values):
        spec = values[name]
        indent = "&nbsp;&nbsp;" * depth + ("↳ " if depth else "")
        rows.append("| %s`%s` | %s | %s | %s |" % (
            indent, name, spec.get("type", ""), cell(spec.get("returned")),
            cell(spec.get("description"))))
        if spec.get("contains"):
            rows.extend(return_rows(spec["contains"], depth + 1))
    return rows


def render(name, entry):
    doc = entry["doc"]
    lines = [
        "<!-- Generated by docs/generate.py from plugins/modules/%s.py: do not edit. -->" % name,
        "",
        "# %s.%s: %s" % (COLLECTION, name, text(doc.get("short_description"))),
        "",
    ]
    if doc.get("version_added"):
        lines += ["Added in version %s." % doc["version_added"], ""]
    desc = doc.get("description") or []
    lines += [text(d) for d in (desc if isinstance(desc, list) else [desc])]
    lines.append("")
    if doc.get("requirements"):
        lines += ["## Requirements", ""] + ["- %s" % text(r) for r in doc["requirements"]] + [""]
    if doc.get("options"):
        lines += ["## Options", "", "| option | type | description |", "|---|---|---|"]
        lines += options_rows(doc["options"], order=declared(name)) + [""]
    if doc.get("attributes"):
        lines += ["## Attributes", "", "| attribute | support | description |", "|---|---|---|"]
        for attr in sorted(doc["attributes"]):
            spec = doc["attributes"][attr]
            lines.append("| %s | %s | %s%s |" % (
                attr, spec.get("support", ""), cell(spec.get("description")),
                (" " + cell(spec["details"])) if spec.get("details") else ""))
        lines.append("")
    if doc.get("notes"):
        lines += ["## Notes", ""] + ["- %s" % text(n) for n in doc["notes"]] + [""]
    if doc.get("seealso"):
        lines += ["## See also", ""]
        for ref in doc["seealso"]:
            if "module" in ref:
                lines.append("- `%s`%s" % (ref["module"], (": " + text(ref["description"])) if ref.get("description") else ""))
            elif "link" in ref:
                lines.append("- [%s](%s)" % (text(ref.get("name", ref["link"])), ref["link"]))
        lines.append("")
    if entry.get("examples"):
        lines += ["## Examples", "", "```yaml", entry["examples"].strip("\n"), "```", ""]
    if entry.get("return"):
        lines += ["## Return values", "", "| key | type | returned | description |", "|---|---|---|---|"]
        lines += return_rows(entry["return"]) + [""]
    if doc.get("author"):
        authors = doc["author"] if isinstance(doc["author"], list) else [doc["author"]]
        lines += ["## Authors", ""] + ["- %s" % text(a) for a in authors] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with docs/modules instead of writing; exit 1 if stale")
    args = parser.parse_args()

    names = module_names()
    wanted = {}
    if names:
        data = ansible_doc(names)
        wanted = {"%s.md" % n: render(n, data["%s.%s" % (COLLECTION, n)]) for n in names}
    present = sorted(f for f in os.listdir(OUT) if f.endswith(".md")) if os.path.isdir(OUT) else []

    if not names and not present:
        print("docs: no modules yet, no module reference to generate")
        return 0

    stale = []
    for fname in sorted(set(wanted) | set(present)):
        path = os.path.join(OUT, fname)
        have = open(path, encoding="utf-8").read() if fname in present else None
        want = wanted.get(fname)
        if have == want:
            continue
        stale.append(fname)
        if args.check:
            sys.stdout.writelines(difflib.unified_diff(
                (have or "").splitlines(True), (want or "").splitlines(True),
                "docs/modules/%s (committed)" % fname, "docs/modules/%s (generated)" % fname))
        elif want is None:
            os.remove(path)
        else:
            os.makedirs(OUT, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(want)

    if args.check:
        if stale:
            print("docs: module reference is stale (%s): run `python docs/generate.py`"
                  % ", ".join(stale))
            return 1
        print("docs: module reference matches the modules (%d)" % len(names))
        return 0
    print("docs: wrote %d, removed or updated %d of docs/modules" % (len(wanted), len(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
