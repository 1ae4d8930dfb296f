#!/usr/bin/env bash
# Changelog check (a tier of scripts/test.sh; run it alone the same way):
#
#  1. every fragment in changelogs/fragments/ lints (antsibull-changelog lint),
#     and so does changelogs/changelog.yaml;
#  2. CHANGELOG.md is what `antsibull-changelog generate` makes of
#     changelogs/changelog.yaml (regenerate it, never edit it);
#  3. a change under plugins/ or roles/ comes with a fragment.
#
# Rule 3 compares against the last release, which is the commit that last
# touched changelogs/changelog.yaml (`antsibull-changelog release` writes it,
# and consumes the fragments in the same commit).  That commit is in every
# clone, CI's fresh one included, with no remote branch or merge base to
# guess; on a shallow clone missing it, git reports the boundary commit and
# the check covers what history there is.  "Changed" means changed in the
# working tree relative to that commit (committed or not, untracked files
# too); a fragment counts when it was added or changed since then.  Changes
# with no user-visible effect still take a fragment, under `trivial:` (not
# rendered into CHANGELOG.md).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
PATH="$ROOT/.venv-tools/bin:$PATH"
rc=0

echo "antsibull-changelog $(antsibull-changelog --version 2>&1 | tail -n1)"
if antsibull-changelog lint && antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml; then
    echo "fragments and changelogs/changelog.yaml lint clean"
else
    echo "FAILED: antsibull-changelog lint (above)"; rc=1
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
if antsibull-changelog generate --output "$tmp" >/dev/null && cmp -s "$tmp" CHANGELOG.md; then
    echo "CHANGELOG.md is generated from changelogs/changelog.yaml"
else
    diff -u CHANGELOG.md "$tmp" | head -n 40
    echo "FAILED: CHANGELOG.md is stale: run .venv-tools/bin/antsibull-changelog generate"; rc=1
fi

if ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "FAILED: not a git checkout: cannot tell what changed since the last release"; exit 1
fi
base=$(git log -1 --format=%H -- changelogs/changelog.yaml)
if [ -z "$base" ]; then
    echo "FAILED: changelogs/changelog.yaml is not committed: no release to compare with"; exit 1
fi
changed_since() {  # changed_since <paths...>: files differing from $base in the working tree
    { git diff --name-only "$base" -- "$@"; git ls-files --others --exclude-standard -- "$@"; } | sort -u
}
changed=$(changed_since plugins roles)
fragments=$(changed_since changelogs/fragments | grep -E '\.ya?ml$' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
echo "last release: $(git log -1 --format='%h %ad %s' --date=short "$base" | cut -c1-100)"
if [ -z "$changed" ]; then
    echo "nothing under plugins/ or roles/ changed since: no fragment needed"
elif [ -n "$fragments" ]; then
    echo "$(echo "$changed" | wc -l) file(s) under plugins/ or roles/ changed since, with fragment(s): ${fragments//$'\n'/ }"
else
    while read -r f; do echo "  changed: $f"; done <<<"$changed"
    echo "FAILED: plugins/ or roles/ changed since the last release and no changelogs/fragments/*.yml was added:"
    echo "        add one (see CONTRIBUTING.md, 'Changelog')"; rc=1
fi
exit $rc
