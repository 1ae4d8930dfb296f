"""Render the Markdown guides of docs/ (docs/**/*.md) as the docsite's extra
docs: docs/docsite/rst/<guide>.rst and the toctree in
docs/docsite/extra-docs.yml, which antsibull-docs reads (it takes RST only).
The Markdown files stay the source: GitHub shows them, README links to them,
scripts/checks/ansible_lint.sh lints their playbooks.  A new guide under
docs/ joins the docsite by running this script.

    .venv-tools/bin/python docs/docsite/generate.py          write them
    .venv-tools/bin/python docs/docsite/generate.py --check  exit 1 if stale

Links become what they point to on the docsite: another guide a :ref: to
its page, docs/modules/<m>.md a :ref: to the module's page, any other file
of the repository its absolute GitHub address (as on Galaxy).  Needs
markdown-it-py (pinned in tests/requirements-tools.txt).
"""
import argparse
import difflib
import os
import posixpath
import re
import sys

from markdown_it import MarkdownIt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
OUT = os.path.join(DOCS, "docsite", "rst")
EXTRA_DOCS = os.path.join(DOCS, "docsite", "extra-docs.yml")
COLLECTION = "netlink.host"
LABEL = "ansible_collections.netlink.host.docsite.%s"
REPO = "https://github.com/netlink-host/host/blob/main/"
FIRST = ("getting-started", "conventions")  # the rest of the guides follow, by name
UNDERLINE = {1: "=", 2: "-", 3: "~", 4: "^", 5: '"', 6: "'"}
CODE_LANG = {"": "text", "sh": "shell", "console": "console", "yml": "yaml"}


def guides():
    """Every docs/**/*.md but the module reference (docs/modules/, the
    docsite has its own module pages) and docs/docsite/, as paths relative
    to docs/ without .md (``getting-started``, ``roles/network``)."""
    names = []
    for top, dirs, files in os.walk(DOCS):
        rel = os.path.relpath(top, DOCS)
        dirs[:] = sorted(d for d in dirs if not (rel == "." and d in ("modules", "docsite")))
        names += [posixpath.normpath(posixpath.join(rel.replace(os.sep, "/"), f[:-3])) for f in files
                  if f.endswith(".md")]
    return [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)


def slug(name):
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def escape(text):
    return re.sub(r"([\\*`|_])", r"\\\1", text)


def link_target(href, source):
    """(kind, target) of a Markdown link in docs/<source>.md: ("ref",
    label) or ("url", address)."""
    if re.match(r"^[a-z]+:", href):
        return "url", href
    path = href.partition("#")[0]
    if not path:  # an anchor on the same page: the page
        return "ref", LABEL % slug(source)
    rel = posixpath.normpath(posixpath.join("docs", posixpath.dirname(source), path))
    m = re.match(r"^docs/modules/([a-z0-9_]+)\.md$", rel)
    if m:
        return "ref", "ansible_collections.%s.%s_module" % (COLLECTION, m.group(1))
    if rel == "docs/modules":
        return "ref", "plugins_in_%s" % COLLECTION
    m = re.match(r"^docs/(.+)\.md$", rel)
    if m and m.group(1) in guides():
        return "ref", LABEL % slug(m.group(1))
    return "url", REPO + rel


class Renderer:
    """markdown-it tokens of one guide -> RST lines."""

    def __init__(self, source):
        self.source = source
        self.md = MarkdownIt("commonmark").enable("table")

    # -- inline ------------------------------------------------------------

    def inline(self, children):
        """Inline tokens -> RST text.  Markup is kept apart from adjacent
        word characters with an escaped space, as RST requires."""
        parts = []  # (is_markup, text)
        i = 0
        while i < len(children):
            t = children[i]
            if t.type == "text":
                parts.append((False, escape(t.content)))
            elif t.type in ("softbreak", "hardbreak"):
                parts.append((False, " "))
            elif t.type == "code_inline":
                parts.append((True, "``%s``" % t.content))
            elif t.type in ("strong_open", "em_open"):
                close = t.type.replace("_open", "_close")
                j = i + 1
                while children[j].type != close:
                    j += 1
                mark = "**" if t.type == "strong_open" else "*"
                inner = "".join(c.content for c in children[i + 1:j])
                parts.append((True, "%s%s%s" % (mark, escape(inner), mark)))
                i = j
            elif t.type == "link_open":
                j = i + 1
                while children[j].type != "link_close":
                    j += 1
                label = "".join(c.content for c in children[i + 1:j]).strip() or t.attrs["href"]
                kind, target = link_target(t.attrs["href"], self.source)
                label = label.replace("<", "\\<").replace("`", "")
                if kind == "ref":
                    parts.append((True, ":ref:`%s <%s>`" % (label, target)))
                else:
                    parts.append((True, "`%s <%s>`__" % (label, target)))
                i = j
            elif t.type == "html_inline":
                if t.content.lower().startswith("<br"):
                    parts.append((False, " "))
            else:
                raise ValueError("%s: inline markdown %r is not supported here" % (self.source, t.type))
            i += 1
        out = ""
        for k, (markup, text) in enumerate(parts):
            if markup and out and re.match(r"[\w)]", out[-1]):
                out += "\\ "
            if k and parts[k - 1][0] and re.match(r"[\w(]", text[:1] or " "):
                out += "\\ "
            out += text
        return out

    # -- blocks ------------------------------------------------------------

    def render(self, text):
        tokens = self.md.parse(text)
        lines = [".. _%s:" % (LABEL % slug(self.source)), ""]
        self.blocks(tokens, 0, len(tokens), lines, "")
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join(lines) + "\n"

    @staticmethod
    def close_of(tokens, i):
        """Index of the token closing tokens[i]."""
        depth = 0
        for j in range(i, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        raise ValueError("unbalanced markdown tokens")

    def blocks(self, tokens, i, end, lines, indent):
        while i < end:
            t = tokens[i]
            if t.type == "heading_open":
                title = self.inline(tokens[i + 1].children)
                level = int(t.tag[1])
                lines += [indent + title, indent + UNDERLINE[level] * len(title), ""]
                i += 3
            elif t.type == "paragraph_open":
                lines += [indent + self.inline(tokens[i + 1].children), ""]
                i += 3
            elif t.type in ("fence", "code_block"):
                lang = CODE_LANG.get(t.info.strip(), t.info.strip()) if t.type == "fence" else "text"
                lines += [indent + ".. code-block:: %s" % lang, ""]
                lines += [(indent + "  " + ln) if ln else "" for ln in t.content.rstrip("\n").split("\n")]
                lines.append("")
                i += 1
            elif t.type in ("bullet_list_open", "ordered_list_open"):
                j = self.close_of(tokens, i)
                self.list_items(tokens, i + 1, j, lines, indent, t.type == "ordered_list_open")
                i = j + 1
            elif t.type == "table_open":
                j = self.close_of(tokens, i)
                self.table(tokens[i:j + 1], lines, indent)
                i = j + 1
            elif t.type == "blockquote_open":
                j = self.close_of(tokens, i)
                self.blocks(tokens, i + 1, j, lines, indent + "  ")
                i = j + 1
            elif t.type == "hr":
                i += 1
            elif t.type == "html_block":
                if not t.content.strip().startswith("<!--"):
                    raise ValueError("%s: an HTML block has no docsite rendering" % self.source)
                i += 1
            else:
                raise ValueError("%s: markdown block %r is not supported here" % (self.source, t.type))

    def list_items(self, tokens, i, end, lines, indent, ordered):
        marker = "#. " if ordered else "- "
        while i < end:
            j = self.close_of(tokens, i)  # list_item_open .. list_item_close
            item = []
            self.blocks(tokens, i + 1, j, item, "")
            while item and item[-1] == "":
                item.pop()
            pad = " " * len(marker)
            for k, ln in enumerate(item):
                lines.append(indent + (marker if k == 0 else pad) + ln if ln else "")
            i = j + 1
        lines.append("")

    def table(self, tokens, lines, indent):
        rows, row = [], None
        for t in tokens:
            if t.type == "tr_open":
                row = []
            elif t.type == "inline":
                row.append(self.inline(t.children))
            elif t.type == "tr_close":
                rows.append(row)
        lines += [indent + ".. list-table::", indent + "  :header-rows: 1", ""]
        for row in rows:
            for k, cell in enumerate(row):
                lines.append(indent + ("  * - " if k == 0 else "    - ") + (cell or "\\ "))
        lines.append("")


def extra_docs(names):
    lines = ["# Generated by docs/docsite/generate.py from docs/**/*.md: do not edit.",
             "---", "sections:", "  - title: Guides", "    toctree:"]
    lines += ["      - %s" % n for n in names]
    return "\n".join(lines) + "\n"


def wanted():
    out = {}
    for name in guides():
        with open(os.path.join(DOCS, name + ".md"), encoding="utf-8") as fh:
            text = fh.read()
        body = Renderer(name).render(text)
        out[os.path.join(OUT, name + ".rst")] = (
            "..\n  Generated by docs/docsite/generate.py from docs/%s.md: do not edit.\n\n%s" % (name, body))
    out[EXTRA_DOCS] = extra_docs(guides())
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 (with a diff) if the files are stale")
    args = parser.parse_args()
    want = wanted()
    present = [os.path.join(top, f) for top, _dirs, files in os.walk(OUT) for f in files if f.endswith(".rst")]
    stale = []
    for path in sorted(set(want) | set(present)):
        have = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if have == want.get(path):
            continue
        rel = os.path.relpath(path, ROOT)
        stale.append(rel)
        if args.check:
            sys.stdout.writelines(difflib.unified_diff((have or "").splitlines(True),
                                                       (want.get(path) or "").splitlines(True),
                                                       rel + " (committed)", rel + " (generated)"))
        elif path not in want:
            os.remove(path)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(want[path])
    if args.check:
        if stale:
            print("docsite: stale %s: run .venv-tools/bin/python docs/docsite/generate.py" % ", ".join(stale))
            return 1
        print("docsite: docs/docsite matches the guides of docs/ (%d)" % (len(want) - 1))
        return 0
    print("docsite: wrote %d file(s)" % len(stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
