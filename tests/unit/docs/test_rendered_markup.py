"""Every literal a module's documentation marks up (V(), C(), O(), RV(), E())
reads, once rendered, exactly as its author wrote it: in ansible-doc's text
output and in the Markdown reference docs/generate.py writes.

What the author wrote is read from the source by balanced parentheses, as a
person reads it: ``V(cbc(aes\\))`` means the value ``cbc(aes)``. The
renderers do not read that way. O(), V(), RV() and E() end at the first
unescaped ``)``, so each ``)`` inside the value must be escaped (``\\)``, and
``\\\\`` for a backslash); C() has no escapes at all, so a ``)`` cannot be in a
C() value. A value that needs one but lacks it renders cut short, with the
rest of it (and a stray backslash, in a naive renderer) left in the text.

The documentation is read as ansible-doc reads it (``ansible-doc --json``:
YAML parsed, doc fragments merged), so YAML's own quoting has already been
undone when the markup is checked.
"""
import json
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "docs"))

import generate  # noqa: E402  docs/generate.py
from markup_md import code  # noqa: E402

# the commands whose argument is a literal the reader copies
_LITERAL = re.compile(r"\b(RV|[VCOE])\(")
_ESCAPING = frozenset(("V", "O", "RV", "E"))
# the keys of a documentation entry whose strings carry markup
_PROSE = frozenset(("description", "short_description", "notes", "requirements", "returned", "details"))


def written(value, start):
    """The argument of the command whose "(" ends at ``start``, as written:
    up to the ")" that balances the parentheses opened inside it (escaped
    ones count, as a reader counts them); None if it never closes."""
    depth = 0
    index = start
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            nxt = value[index + 1]
            depth += {"(": 1, ")": -1 if depth else 0}.get(nxt, 0)
            index += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return value[start:index]
            depth -= 1
        index += 1
    return None


def literals(value):
    """(command, source markup, intended text) of each literal in ``value``."""
    found = []
    for match in _LITERAL.finditer(value):
        raw = written(value, match.end())
        if raw is None:
            continue
        command = match.group(1)
        intended = re.sub(r"\\(.)", r"\1", raw) if command in _ESCAPING else raw
        found.append((command, "%s(%s)" % (command, raw), intended))
    return found


def prose(node, key=None):
    """Every string of a documentation tree found under a key in _PROSE."""
    if isinstance(node, dict):
        for name, child in node.items():
            yield from prose(child, name)
    elif isinstance(node, list):
        for child in node:
            yield from prose(child, key)
    elif isinstance(node, str) and key in _PROSE:
        yield node


# O(ns.coll.plugin#type:name) and RV(...): an option of another plugin
_OF_PLUGIN = re.compile(r"^([^.#]+\.[^.#]+\.[^#]+)#([a-z]+):(.*)$")


def shown(command, intended):
    """(the name a reader sees, (type, fqcn) of the plugin it belongs to or None)."""
    if command in ("O", "RV"):
        match = _OF_PLUGIN.match(intended)
        if match:
            return match.group(3), (match.group(2), match.group(1))
        if intended.startswith("ignore:"):
            return intended[len("ignore:"):], None
    return intended, None


def tty(command, intended):
    """How ansible-doc's text output shows a literal: `value', and which
    plugin an option of another plugin belongs to."""
    name, of = shown(command, intended)
    if of is None:
        return "`%s'" % name
    kind, fqcn = of
    return "`%s' (of %s%s %s)" % (name, kind, "" if kind in ("module", "role", "playbook") else " plugin", fqcn)


def markdown(command, intended):
    return code(shown(command, intended)[0])


@pytest.fixture(scope="module")
def rendered():
    """The modules' documentation strings as ansible-doc reads them;
    ansible-doc's text output of each module with whitespace collapsed (it
    wraps lines at spaces, never inside a word); and each literal's markup
    as ansible-doc renders it alone. The text output runs beside the
    others: each ansible-doc run takes seconds."""
    names = generate.module_names()
    exe = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=generate.collections_path(), ANSIBLE_NOCOLOR="1")
    text_run = subprocess.Popen([exe, "-t", "module"] + ["%s.%s" % (generate.COLLECTION, n) for n in names],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    data = generate.ansible_doc(names)
    docs = {fqcn.rpartition(".")[2]: [s for part in ("doc", "return") for s in prose(entry.get(part) or {})]
            for fqcn, entry in data.items()}
    markups = sorted(set(markup for strings in docs.values() for s in strings for _c, markup, _i in literals(s)))
    alone = dict(zip(markups, json.loads(subprocess.run(
        [sys.executable, "-c", _TTY_IFY], input=json.dumps(markups), env=env, check=True,
        capture_output=True, text=True).stdout)))
    out, err = text_run.communicate()
    assert text_run.returncode == 0, err
    parts = re.split(r"^> MODULE %s\.(\w+) " % re.escape(generate.COLLECTION), out, flags=re.M)
    text = {parts[i]: " ".join(parts[i + 1].split()) for i in range(1, len(parts), 2)}
    return docs, text, alone


# ansible-doc's own renderer, on each markup alone, in a process of its own:
# importing ansible.cli here would change how this process's later module
# runs report warnings (a bare pytest runs the integration tier after this).
_TTY_IFY = """
import json, sys
from ansible.cli.doc import DocCLI
json.dump([DocCLI.tty_ify(markup) for markup in json.load(sys.stdin)], sys.stdout)
"""


def test_every_module_is_read(rendered):
    docs, text, _alone = rendered
    assert sorted(docs) == sorted(text) == generate.module_names()
    assert any(literals(s) for strings in docs.values() for s in strings)


def test_the_reader_reads_balanced_parentheses():
    assert literals(r"V(rfc4106(gcm(aes\)\)) and C(0x)") == [
        ("V", r"V(rfc4106(gcm(aes\)\))", "rfc4106(gcm(aes))"), ("C", "C(0x)", "0x")]
    # the escape the issue found: one paren escaped, so the value ends early
    assert literals(r"V(rfc4106(gcm(aes\)))")[0][2] == "rfc4106(gcm(aes))"
    assert literals(r"V(a\\b)")[0][2] == "a\\b"


@pytest.mark.parametrize("module", generate.module_names())
def test_literals_render_as_written_in_ansible_doc(module, rendered):
    docs, text, tty_ified = rendered
    wrong = []
    for string in docs[module]:
        for command, markup, intended in literals(string):
            expected = tty(command, intended)
            if command == "C" and ")" in intended:
                wrong.append("%s: C() has no escapes, a ')' cannot be in it: use V()" % markup)
                continue
            alone = tty_ified[markup]
            if alone != expected:
                wrong.append("%s renders %r, not %r" % (markup, alone, expected))
            elif " ".join(expected.split()) not in text[module]:
                wrong.append("%s: %r is not in `ansible-doc -t module %s`" % (markup, expected, module))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("module", generate.module_names())
def test_literals_render_as_written_in_the_markdown_reference(module, rendered):
    wrong = []
    for string in rendered[0][module]:
        whole = generate.text(string)
        for command, markup, intended in literals(string):
            expected = markdown(command, intended)
            alone = generate.text(markup)
            if alone != expected:
                wrong.append("%s renders %r, not %r" % (markup, alone, expected))
            elif expected not in whole:
                wrong.append("%s: %r is not in %r" % (markup, expected, whole))
    assert not wrong, "\n".join(wrong)
