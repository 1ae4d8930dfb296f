"""The host program as a user runs it: installed by host_cli.package under
a temporary prefix (the same copy nl_persist installs), run as a process.

``netlink_host``  call ``netlink_host(*args, netns=NS)``: run the
                  installed program (``--netns NS`` added after the
                  command), returns the CompletedProcess (text).
``state_file``    call ``state_file(doc, name="s.json", mode=0o644)``: write
                  a state document into a fresh directory; returns its path.
"""
import json
import os
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils.host_cli import package


@pytest.fixture(scope="session")
def installed(tmp_path_factory):
    prefix = str(tmp_path_factory.mktemp("prefix"))
    _changed, program = package.install(prefix)
    return program


@pytest.fixture
def netlink_host(installed):
    def run(*args, **kw):
        args = [str(a) for a in args]
        if kw.get("netns"):
            args[1:1] = ["--netns", kw["netns"]]
        return subprocess.run([installed] + args, check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120)
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
