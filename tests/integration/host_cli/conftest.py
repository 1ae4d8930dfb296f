"""The host program as a user runs it: installed by host_cli.package under
a temporary prefix (the same copy nl_persist installs), run as a process
by a Python that cannot import Ansible (``-S``: no site-packages), as on a
managed host where nothing but Python is installed.

``netlink_host``  call ``netlink_host(*args, netns=NS)``: run the
                  installed program (``--netns NS`` added after the
                  command), returns the CompletedProcess (text).
``state_file``    call ``state_file(doc, name="s.json", mode=0o644)``: write
                  a state document into a fresh directory; returns its path.
"""
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.netlink.host.plugins.module_utils.host_cli import package


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    prefix = str(tmp_path_factory.mktemp("prefix"))
    _changed, program = package.install(prefix)
    return program


# The interpreter without its site-packages: the standard library only.
BARE_PYTHON = [sys.executable, "-S"]


@pytest.fixture(scope="session")
def bare_python():
    probe = subprocess.run(BARE_PYTHON + ["-c", "import ansible"], check=False, stderr=subprocess.PIPE)
    assert probe.returncode != 0, "%s imports ansible: the host program would not be tested without it" % BARE_PYTHON
    return BARE_PYTHON


@pytest.fixture
def netlink_host(installed, bare_python):
    def run(*args, **kw):
        args = [str(a) for a in args]
        if kw.get("netns"):
            args[1:1] = ["--netns", kw["netns"]]
        return subprocess.run(bare_python + [installed] + args, check=False, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    return run


@pytest.fixture
def state_file(tmp_path):
    def write(doc, name="s.json", mode=0o644, directory=None):
        d = directory or str(tmp_path / "state")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(json.dumps(doc) if not isinstance(doc, str) else doc)
        os.chmod(path, mode)
        return path
    return write
