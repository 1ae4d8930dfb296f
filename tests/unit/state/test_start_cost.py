"""What a host compiles to start nl_state: the payload has no .pyc, so
every module_utils file a run imports is compiled from source on every
host, every run (bench/bench_fleet.py, issue 22).  A task given links and
addresses imports their tasks and no other kind's, nor commit-confirmed's
records and watchdog (only for confirm_timeout), nor the host program; and
the payload Ansible packs for nl_state (what it imports anywhere, as
Ansible's packer reads it) holds every module's task and spec but not the
host program (host_cli/), which only nl_persist installs."""
import ast
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PLUGINS = os.path.join(ROOT, "plugins")
UTILS_NAME = "ansible_collections.netlink.host.plugins.module_utils"

# The start of a run of nl_state given links and addresses (run() up to its
# first read of the kernel: the spec, AnsibleModule's parsing, each
# section's validation), in a fresh interpreter; prints what it imported.
START = """
import json, sys
from ansible_collections.netlink.host.plugins.modules import nl_state
from ansible_collections.netlink.host.plugins.module_utils.state import spec, whole
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
params = ArgumentSpecValidator(spec.argument_spec()).validate(%s).validated_parameters
whole.StateTask().desired(params)
print(json.dumps(sorted(m for m in sys.modules if m.startswith("ansible_collections."))))
"""
LINKS_AND_ADDRESSES = {
    "links": [{"name": "br0", "kind": "bridge", "state": "up"}, {"name": "v0", "kind": "veth", "veth": {"peer": "v1"}}],
    "addresses": [{"dev": "br0", "addresses": ["10.0.0.1/24"]}],
}


def _started(params):
    out = subprocess.run([sys.executable, "-c", START % json.dumps(params)], check=True, stdout=subprocess.PIPE,
                         universal_newlines=True, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))).stdout
    return [m[len(UTILS_NAME) + 1:] for m in json.loads(out) if m.startswith(UTILS_NAME + ".")]


def test_links_and_addresses_import_their_tasks_only():
    imported = _started(LINKS_AND_ADDRESSES)
    assert {"tasks.link", "tasks.address"} <= set(imported)
    shared = ("tasks.link", "tasks.address", "tasks.argspec", "tasks.base", "tasks.validate")
    others = [m for m in imported
              if m.startswith("tasks.") and m not in shared and not m.startswith("tasks.link_")]
    assert others == [], others
    assert [m for m in imported if m.startswith(("objects.route", "objects.rule", "objects.xfrm", "objects.neigh",
                                                 "objects.fdb", "objects.nexthop", "netlink.xfrm"))] == []
    assert [m for m in imported if m.startswith("confirm.") and m != "confirm.errors"] == []
    assert [m for m in imported if m.startswith(("host_cli", "state.packed"))] == []


def _packed_closure(path):
    """The module_utils files a file imports anywhere (function bodies
    included), and what those import: what Ansible packs with it."""
    utils = os.path.join(PLUGINS, "module_utils")
    seen, todo = set(), [path]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        rel = os.path.relpath(path, utils)
        package = os.path.dirname(rel).split(os.sep) if not rel.startswith("..") else []
        with open(path) as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
            elif (node.module or "").startswith(UTILS_NAME):
                base, node.module = [], node.module[len(UTILS_NAME) + 1:] or None
            else:
                continue
            parts = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                for cand in (parts + [alias.name], parts):
                    for found in (os.path.join(utils, *cand) + ".py", os.path.join(utils, *(cand + ["__init__.py"]))):
                        if os.path.isfile(found):
                            todo.append(found)
    return set(os.path.relpath(p, utils) for p in seen)


def test_nl_state_packs_every_task_but_not_the_host_program():
    packed = _packed_closure(os.path.join(PLUGINS, "modules", "nl_state.py"))
    for kind in ("link", "address", "route", "rule", "xfrm", "neigh", "fdb", "nexthop", "netconf"):
        assert os.path.join("tasks", kind + ".py") in packed and os.path.join("specs", kind + ".py") in packed, kind
    assert os.path.join("confirm", "pending.py") in packed  # imported only when asked, packed always
    assert [p for p in packed if p.startswith("host_cli")] == []
