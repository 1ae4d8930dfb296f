"""Run a play with the real ``ansible-playbook`` against one throwaway
namespace: the collection from this checkout (``.build/collections``),
``connection: local`` and the ``netlink`` group's ``netns`` defaulted to
the namespace, so every task of the play works there.

Plain functions (no fixtures), for test files that need a whole play:
check mode across tasks, what Ansible prints.
"""
import os
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")


def write_play(path, netns, tasks):
    """``tasks`` as one play on localhost whose netlink.host tasks default
    to ``netns``."""
    path.write_text(yaml.safe_dump([{"name": "play in %s" % netns, "hosts": "localhost", "gather_facts": False,
                                     "connection": "local",
                                     "module_defaults": {"group/netlink.host.netlink": {"netns": netns}},
                                     "tasks": tasks}]))
    return path


def run_play(tmp_path, netns, tasks, *args):
    """(returncode, stdout + stderr) of ``ansible-playbook ARGS`` on the
    play of ``tasks``."""
    path = write_play(tmp_path / "play.yml", netns, tasks)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1")
    proc = subprocess.run([PLAYBOOK, "-i", "localhost,"] + list(args) + [str(path)], check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, env=env,
                          timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def recap(out):
    """The PLAY RECAP counters of localhost: {"ok": 3, "changed": 1, ...}."""
    for line in out.splitlines():
        words = line.split()
        if words[:2] == ["localhost", ":"]:
            return dict((k, int(v)) for k, v in (w.split("=") for w in words[2:]))
    raise AssertionError("no PLAY RECAP in:\n" + out)
