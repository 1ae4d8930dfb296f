"""Running the real ``ansible`` and ``ansible-playbook`` of the venv under
test against namespaces as inventory hosts (the netns connection): the
tests of the connection plugin and of the role share these."""
import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)


def ansible_env(tmp_path, **extra):
    env = dict(os.environ,
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_HOST_KEY_CHECKING="0", ANSIBLE_RETRY_FILES_ENABLED="0",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "local-tmp"), ANSIBLE_NOCOLOR="1")
    env.update(extra)
    return env


def inventory(tmp_path, hosts):
    """An INI inventory: ``hosts`` maps inventory name -> namespace name
    (None: the inventory name is the namespace)."""
    lines = ["[nets]"]
    for name, ns in hosts.items():
        lines.append(name if ns is None else "%s ansible_host=%s" % (name, ns))
    lines += ["[nets:vars]", "ansible_connection=netlink.host.netns",
              "ansible_python_interpreter=%s" % sys.executable]
    path = tmp_path / "inventory.ini"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def adhoc(tmp_path, inv, pattern, module, args, **env):
    proc = subprocess.run([os.path.join(BIN, "ansible"), pattern, "-i", inv, "-o", "-m", module, "-a", args],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          env=ansible_env(tmp_path, **env), timeout=180, check=False)
    results = {}
    for line in proc.stdout.splitlines():
        host, rest = (line.split(" | ", 1) + [""])[:2]
        if " => " in rest:
            results[host] = json.loads(rest.split(" => ", 1)[1])
        elif rest:
            results[host] = {"raw": rest}
    return proc, results


def playbook(tmp_path, inv, text, options=(), **env):
    """ansible-playbook on ``text``; stdout and stderr together, warnings
    included.  ``options`` go on the command line (``-vvv``)."""
    path = tmp_path / "play.yml"
    path.write_text(text)
    return subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", inv] + list(options) + [str(path)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                          env=ansible_env(tmp_path, **env), timeout=300, check=False)
