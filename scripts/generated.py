"""What the generators of checked-in files share: importing the checkout as
the collection, and writing (or, with --check, diffing) what they made.

The generators import it from their own folder (scripts/ is on sys.path
when one runs as a script)."""
import argparse
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# "# BEGIN generated (<region>) <params>" ... "# END generated (<region>)"
MARKER = re.compile(r"^( *)# (BEGIN|END) generated \(([\w-]+)\)(.*)$")


def import_collection():
    """Make the checkout importable as ansible_collections.netlink.host
    (the .build/collections symlink the test tiers use)."""
    sys.path.insert(0, os.path.join(ROOT, ".build", "collections"))
    link = os.path.join(ROOT, ".build", "collections", "ansible_collections", "netlink", "host")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)


def sync(files, check, script):
    """files: path -> wanted text.  Write the stale ones, or with check print
    their diffs; returns the exit status (1: stale under check)."""
    stale = 0
    for path, text in files.items():
        old = open(path).read() if os.path.exists(path) else ""
        if old == text:
            continue
        if check:
            stale += 1
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), path, "generated"))
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as handle:
                handle.write(text)
            print("wrote %s" % os.path.relpath(path, ROOT))
    if stale:
        print("%d file(s) stale: run python %s" % (stale, script))
        return 1
    return 0


def rewrite(text, wanted, path):
    """text with each marked region's body replaced by its generated lines,
    indented as its BEGIN marker is; wanted: region -> lines, or a function
    of the marker's params (what follows the region's name) giving them.
    Returns the text and the names of the regions found."""
    out, region, seen = [], None, set()
    for line in text.splitlines(True):
        match = MARKER.match(line)
        if region is None:
            out.append(line)
            if match and match.group(2) == "BEGIN":
                indent, region = match.group(1), match.group(3)
                if region not in wanted:
                    raise SystemExit("%s: unknown region %s" % (path, region))
                seen.add(region)
                body = wanted[region]
                body = body(match.group(4).strip()) if callable(body) else body
                out += [(indent + each).rstrip() + "\n" for each in body]
        elif match and match.group(2) == "END":
            if match.group(3) != region:
                raise SystemExit("%s: region %s ends as %s" % (path, region, match.group(3)))
            out.append(line)
            region = None
    if region is not None:
        raise SystemExit("%s: region %s has no END marker" % (path, region))
    return "".join(out), seen


def rewrite_all(paths, wanted, where):
    """Each file of paths rewritten as rewrite() does, every region of wanted
    found in one of them; returns path -> text, or a message naming the
    regions no file has (where: the files, as the message says them)."""
    files, seen = {}, set()
    for path in paths:
        files[path], found = rewrite(open(path).read(), wanted, path)
        seen |= found
    missing = sorted(set(wanted) - seen)
    if missing:
        return "no markers for region(s) %s in %s" % (", ".join(missing), where)
    return files


def main(doc, script, build):
    """A generator's command line: --check or write.  build() (called with
    the collection importable) returns path -> wanted text, or a message
    saying why it cannot (exit 1)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    import_collection()
    files = build()
    if isinstance(files, str):
        print(files)
        return 1
    return sync(files, args.check, script)
