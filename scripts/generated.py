"""What the generators of checked-in files share: importing the checkout as
the collection, and writing (or, with --check, diffing) what they made.

The generators import it from their own folder (scripts/ is on sys.path
when one runs as a script)."""
import difflib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
