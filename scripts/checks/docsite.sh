#!/usr/bin/env bash
# The docsite (a tier of scripts/test.sh): module pages and the guides of
# docs/ rendered by antsibull-docs and built by Sphinx, offline, warnings as
# errors.  Output: .build/docsite/build/html/index.html.
#
#  1. docs/docsite/rst/*.rst and extra-docs.yml are what
#     docs/docsite/generate.py makes of docs/*.md (not stale);
#  2. `antsibull-docs sphinx-init` lays out the Sphinx project (as the
#     antsibull-docs version in use wants it), with intersphinx off: the
#     build must not need the network.  What the generated pages refer to in
#     Ansible's own documentation (a label outside this collection, such as
#     common_return_values, or an ANSIBLE_* environment variable) becomes a
#     link to docs.ansible.com instead of a warning; references within the
#     collection stay strict;
#  3. `antsibull-docs collection --use-current` writes the collection's
#     pages (modules, guides from extra-docs.yml, links.yml), then
#     `sphinx-build -W --keep-going` builds the HTML.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
export PATH="$ROOT/.venv-tools/bin:$PATH"
export ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/collections"
link=.build/collections/ansible_collections/netlink/host
mkdir -p "$(dirname "$link")"
[ -L "$link" ] || ln -s "$ROOT" "$link"
SITE="$ROOT/.build/docsite"

echo "antsibull-docs $(antsibull-docs --version 2>&1 | tail -n1), sphinx $(python -c 'import sphinx; print(sphinx.__version__)')"
python docs/docsite/generate.py --check || exit 1

rm -rf "$SITE"
mkdir -p "$SITE"
antsibull-docs sphinx-init --use-current --dest-dir "$SITE" netlink.host >/dev/null || exit 1
python - "$SITE/conf.py" <<'PY' || exit 1
import re, sys
path = sys.argv[1]
text = open(path).read()
text, n = re.subn(r"intersphinx_mapping = \{.*?\n\}\n", "intersphinx_mapping = {}\n", text, flags=re.S)
assert n == 1, "conf.py: no intersphinx_mapping to turn off"
text = text.replace("project = 'Ansible collections'", "project = 'netlink.host'")
text = text.replace("'Ansible Collections Documentation'", "'netlink.host documentation'")
text += """

# Added by scripts/checks/docsite.sh: offline, without intersphinx, a
# reference to Ansible's own documentation becomes a link there; a
# reference into this collection that does not resolve stays a warning.
from docutils import nodes as _nodes

_ANSIBLE_DOCS = "https://docs.ansible.com/ansible/latest/"


def _ansible_docs_link(app, env, node, contnode):
    target = node.get("reftarget", "")
    if node.get("refdomain") != "std" or target.startswith("ansible_collections.netlink.host"):
        return None
    if node.get("reftype") == "envvar" and target.startswith("ANSIBLE_"):
        url = _ANSIBLE_DOCS + "reference_appendices/config.html#envvar-" + target
    elif node.get("reftype") == "ref":
        url = _ANSIBLE_DOCS + "search.html?q=" + target
    else:
        return None
    return _nodes.reference("", "", contnode, refuri=url, internal=False)


def setup(app):
    app.connect("missing-reference", _ansible_docs_link)
"""
open(path, "w").write(text)
PY
mkdir -p "$SITE/rst"
chmod og-w "$SITE/rst"  # antsibull-docs wants it writable by itself only
antsibull-docs --config-file "$SITE/antsibull-docs.cfg" collection --use-current \
    --dest-dir "$SITE/rst" netlink.host || exit 1
sphinx-build -q -b html -c "$SITE" -W --keep-going "$SITE/rst" "$SITE/build/html" || {
    echo "FAILED: sphinx-build (warnings above)"; exit 1; }
pages=$(find "$SITE/build/html/collections/netlink/host" -name '*.html' | wc -l)
for m in plugins/modules/*.py; do
    m=$(basename "$m" .py)
    [ -f "$SITE/build/html/collections/netlink/host/${m}_module.html" ] || {
        echo "FAILED: no docsite page for module $m"; exit 1; }
done
for g in docs/docsite/rst/*.rst; do
    g=$(basename "$g" .rst)
    [ -f "$SITE/build/html/collections/netlink/host/docsite/$g.html" ] || {
        echo "FAILED: no docsite page for guide $g"; exit 1; }
done
echo "docsite built: $pages pages under .build/docsite/build/html/collections/netlink/host (every module and guide)"
