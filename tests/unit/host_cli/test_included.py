"""state/packed.py imports statically the task and the spec of every
module of objects/manifest.py, and host_cli/included.py imports it: Ansible
packs into nl_persist's payload only what is imported statically, and the
installed netlink-host is a copy of that payload, so a module missing here
is a section the boot refuses (nl_netconf's was, until this test)."""
import ast
import os

from ansible_collections.netlink.host.plugins.module_utils.objects import manifest

UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                     "plugins", "module_utils")
PACKED = os.path.join(UTILS, "state", "packed.py")
INCLUDED = os.path.join(UTILS, "host_cli", "included.py")


def _imported(path=PACKED):
    """The module_utils modules a file imports, as the manifest names them (tasks.link, specs.link)."""
    with open(path) as handle:
        tree = ast.parse(handle.read())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
            out |= set("%s.%s" % (node.module, alias.name) for alias in node.names)
    return out


def test_every_manifest_module_is_included():
    imported = _imported()
    wanted = set()
    for module in manifest.MODULES:
        wanted |= {module.task.split(":")[0], module.spec}
    missing = sorted(wanted - imported)
    assert not missing, "state/packed.py does not import %s" % ", ".join(missing)


def test_the_host_program_is_packed_with_them():
    with open(INCLUDED) as handle:
        tree = ast.parse(handle.read())
    imported = set((node.level, node.module, alias.name) for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) for alias in node.names)
    assert {(1, None, "cli"), (2, "state", "packed")} <= imported, imported
