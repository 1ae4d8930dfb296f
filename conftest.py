"""Make the checkout importable as ``ansible_collections.netlink.host``.

Ansible (and ansible-test) only finds a collection below a directory named
``ansible_collections/<namespace>/<name>``.  Rather than asking every
developer to clone into such a path, the test run builds that path once as a
symlink under ``.build/`` and puts it first on ``sys.path``.
"""
import os
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "netlink", "host")

if not os.path.islink(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    try:
        os.symlink(ROOT, LINK)
    except FileExistsError:  # another pytest process made it first
        pass
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
