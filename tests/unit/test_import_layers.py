"""The arrows between module_utils' packages only go down.

LAYERS lists the packages of plugins/module_utils, lowest first.  A file
may import its own package and any package of a lower layer, never one of
a higher layer nor another package of its own layer (runner/ and host_cli/
are both on top and know nothing of each other).  The modules
(plugins/modules) sit above everything.  Read with ast, so an import
inside a function (a lazy one) counts as much as one at the top.
"""
import ast
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
UTILS = os.path.join(ROOT, "plugins", "module_utils")
MODULES = os.path.join(ROOT, "plugins", "modules")
ABS = "ansible_collections.netlink.host.plugins.module_utils"

# Lowest first; each entry is one layer (a tuple: packages of equal rank).
LAYERS = (
    ("netlink",),   # the wire format: no knowledge of objects or Ansible
    ("contract",),  # what a kind needs: ObjectKind, ops, errors, masking
    ("objects",),   # one file per object kind
    ("engine",),    # plans, apply with undo, the kernel context, commands, the engine's copy
    ("confirm",),   # commit-confirmed: records, watchdog, rollback (runs from the engine's copy)
    ("tasks",),     # one per module: validation, narrow read, planning
    ("specs",),     # the modules' argument specs
    ("state",),     # the saved state's sections -> the modules' tasks, as one transaction (nl_state, netlink-host)
    ("runner", "host_cli"),  # Ansible glue; the host program (no Ansible)
    ("<modules>",),  # plugins/modules
)
RANK = dict((pkg, rank) for rank, layer in enumerate(LAYERS) for pkg in layer)

# Upward imports allowed for now: none since nl_persist's spec reads the
# manifest (objects/manifest.py) instead of the host program's sections.
# The test below fails on an entry whose import is gone.
KNOWN_UNTIL_MANIFEST = set()

# Only these may need Ansible: the host program (host_cli/) and the
# watchdog (confirm/) run where it is not installed, on what is below them.
# An import of it guarded by ``try: ... except ImportError:`` (a task that
# uses Ansible's validator when there is one) is not a need.
ANSIBLE_GLUE = ("runner", "<modules>")


def _files():
    for top, base in ((UTILS, ""), (MODULES, "<modules>")):
        for folder, _dirs, names in os.walk(top):
            for name in sorted(names):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    yield os.path.relpath(path, UTILS if base == "" else MODULES), base, path


def _package_of(rel, base):
    """The layer package of a file (its first folder under module_utils)."""
    if base:
        return base
    parts = rel.split(os.sep)
    return parts[0] if len(parts) > 1 else None  # None: module_utils/__init__.py


def _imports(path, rel, base):
    """(line, the imported module relative to module_utils, the names it
    imports, relative too) of every import of the file; an import from
    outside the collection gives (line, None, [its name]), unless guarded by
    ``except ImportError``."""
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    here = [] if base else rel.split(os.sep)[:-1]  # the file's package, as a list
    guarded = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            guarded.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                up = node.level - 1
                parts = here[:len(here) - up] if up else list(here)
                target = ".".join(parts + ([node.module] if node.module else []))
                names = [target + "." + a.name if target else a.name for a in node.names]
                yield node.lineno, target, names
            elif node.module and (node.module == ABS or node.module.startswith(ABS + ".")):
                target = node.module[len(ABS) + 1:]
                names = [target + "." + a.name if target else a.name for a in node.names]
                yield node.lineno, target, names
            elif id(node) not in guarded:
                yield node.lineno, None, [node.module or ""]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(ABS + "."):
                    target = alias.name[len(ABS) + 1:]
                    yield node.lineno, target, [target]
                elif id(node) not in guarded:
                    yield node.lineno, None, [alias.name]


def _catches_import_error(handler):
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names)


def _problems(rel, base, path):
    """What is wrong with the imports of one file (``rel``: its path under
    module_utils, or under plugins/modules with ``base`` "<modules>")."""
    own = _package_of(rel, base)
    if own is None:
        return []
    assert own in RANK, "%s: package %s is in no layer of LAYERS" % (rel, own)
    out = []
    for line, target, names in sorted(_imports(path, rel, base)):
        if target is None:
            if names[0].split(".")[0] == "ansible" and own not in ANSIBLE_GLUE:
                out.append("%s:%d imports %s (Ansible, outside runner/)" % (rel, line, names[0]))
            continue
        # ``from .. import contract``, ``from ..engine import plans``: the
        # imported names say more than the package
        for name in (names if "." not in target else [target]):
            pkg = name.split(".")[0]
            if pkg == own:
                continue
            assert pkg in RANK, "%s:%d imports %s: in no layer of LAYERS" % (rel, line, name)
            if RANK[pkg] < RANK[own] or (rel, ".".join(name.split(".")[:2])) in KNOWN_UNTIL_MANIFEST:
                continue
            why = "a higher layer" if RANK[pkg] > RANK[own] else "another package of its layer"
            out.append("%s:%d imports %s (%s)" % (rel, line, name, why))
    return out


def _violations():
    out = []
    for rel, base, path in _files():
        out.extend(_problems(rel, base, path))
    return out


def test_the_check_finds_an_upward_import(tmp_path):
    """The check itself: a made-up kind that imports a task, the engine and
    Ansible, and one that imports Ansible only if it is there."""
    bad = tmp_path / "made_up.py"
    bad.write_text("from .. import contract\nfrom ..engine import plans\n"
                   "def f():\n    from ..tasks.validate import validate_ifname\n"
                   "import ansible.module_utils.basic\n")
    assert _problems(os.path.join("objects", "made_up.py"), "", str(bad)) == [
        "objects/made_up.py:2 imports engine.plans (a higher layer)",
        "objects/made_up.py:4 imports tasks.validate (a higher layer)",
        "objects/made_up.py:5 imports ansible.module_utils.basic (Ansible, outside runner/)",
    ]
    assert _problems(os.path.join("host_cli", "made_up.py"), "", str(bad)) == [
        "host_cli/made_up.py:5 imports ansible.module_utils.basic (Ansible, outside runner/)",
    ]
    guarded = tmp_path / "guarded.py"
    guarded.write_text("try:\n    import ansible\nexcept ImportError:\n    ansible = None\n"
                       "from ..runner import module_runner\n")
    assert _problems(os.path.join("host_cli", "guarded.py"), "", str(guarded)) == [
        "host_cli/guarded.py:5 imports runner.module_runner (another package of its layer)",
    ]


def test_no_file_imports_a_higher_layer():
    assert _violations() == []


def test_known_upward_imports_are_still_there():
    """KNOWN_UNTIL_MANIFEST shrinks: an entry whose import is gone goes."""
    seen = set()
    for rel, base, path in _files():
        for _line, target, names in _imports(path, rel, base):
            for name in ([target] if target else names):
                if name:
                    seen.add((rel, ".".join(name.split(".")[:2])))
    assert KNOWN_UNTIL_MANIFEST <= seen


def test_no_loose_file_at_the_root():
    """module_utils' root holds only __init__.py: every file says by its
    folder which layer it belongs to."""
    assert sorted(n for n in os.listdir(UTILS) if n.endswith(".py")) == ["__init__.py"]
