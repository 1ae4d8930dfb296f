"""host_cli/included.py imports statically the task and the spec of every
module of objects/manifest.py: Ansible packs into nl_persist's payload only
what is imported statically, and the installed netlink-host is a copy of
that payload, so a module missing here is a section the boot refuses
(nl_netconf's was, until this test)."""
import ast
import os

from ansible_collections.netlink.host.plugins.module_utils.objects import manifest

INCLUDED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
                        "plugins", "module_utils", "host_cli", "included.py")


def _imported():
    """The module_utils modules included.py imports, as the manifest names them (tasks.link, specs.link)."""
    with open(INCLUDED) as handle:
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
    assert not missing, "host_cli/included.py does not import %s" % ", ".join(missing)
