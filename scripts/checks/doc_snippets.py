"""Extract the Ansible YAML snippets of README.md and docs/ (Markdown fenced
``yaml`` blocks), so scripts/checks/ansible_lint.sh can lint them as
playbooks.  (The docsite's guides are generated from these same files.)

    python scripts/checks/doc_snippets.py OUTDIR

writes one playbook per snippet to OUTDIR, named after where it comes from
(``README.md-L42.yml``), and prints one line per file.  A snippet that is a
list of plays is written as it is; a list of tasks (a module's EXAMPLES in
docs/modules/) is wrapped in one named play, so its tasks are linted with
the same rules.  YAML that is no playbook (a requirements.yml, an
inventory, a dict) is left out and named in the output, so nothing is
skipped silently; YAML that does not parse is an error.
"""
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[A-Za-z0-9_-]*)\s*$")


def sources():
    yield "README.md"
    for top, dirs, files in os.walk(os.path.join(ROOT, "docs")):
        dirs[:] = sorted(d for d in dirs if d != "docsite")
        for f in sorted(files):
            if f.endswith(".md"):
                yield os.path.relpath(os.path.join(top, f), ROOT)


def blocks(path):
    """(line number, text) of each ```yaml block of a Markdown file."""
    lines = open(os.path.join(ROOT, path), encoding="utf-8").read().splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, lang, indent = i + 1, m.group("lang").lower(), len(m.group("indent"))
        i += 1
        body = []
        while i < len(lines) and not FENCE.match(lines[i]):
            body.append(lines[i][indent:])
            i += 1
        i += 1
        if lang in ("yaml", "yml"):
            yield start + 1, "\n".join(body) + "\n"


def is_task(item):
    return isinstance(item, dict) and not ("hosts" in item or "import_playbook" in item)


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    errors = written = 0
    for path in sources():
        for line, text in blocks(path):
            where = "%s-L%d" % (path.replace("/", "_"), line)
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                print("ERROR %s:%d: the yaml block does not parse: %s" % (path, line, exc))
                errors += 1
                continue
            if not isinstance(data, list) or not data or not all(isinstance(x, dict) for x in data):
                print("not a playbook, not linted: %s:%d" % (path, line))
                continue
            if all(is_task(x) for x in data):
                body = "".join("    " + ln + "\n" if ln else "\n" for ln in text.splitlines())
                text = ("---\n- name: Tasks from %s line %d\n  hosts: all\n  gather_facts: false\n"
                        "  tasks:\n%s" % (path, line, body))
                kind = "tasks, wrapped in a play"
            else:
                text = "---\n" + text
                kind = "playbook"
            with open(os.path.join(outdir, where + ".yml"), "w", encoding="utf-8") as fh:
                fh.write(text)
            written += 1
            print("%s.yml: %s:%d (%s)" % (where, path, line, kind))
    print("%d snippet(s) extracted, %d error(s)" % (written, errors))
    return 1 if errors or not written else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
