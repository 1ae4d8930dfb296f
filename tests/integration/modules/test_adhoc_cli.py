"""The modules through the real ``ansible`` command line, ad hoc, as a user
types them: proves AnsiballZ packs the collection's module_utils (relative
imports included) and that key=value arguments reach the engine."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
ANSIBLE = os.path.join(os.path.dirname(sys.executable), "ansible")


def adhoc(module, args):
    env = dict(os.environ,
               ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    # -o: one line per host, "localhost | CHANGED => {json result}"
    proc = subprocess.run([ANSIBLE, "localhost", "-o", "-c", "local", "-m", "netlink.host." + module, "-a", args],
                          check=False, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, env=env, timeout=120)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("localhost | ")]
    try:
        return json.loads(line[0].split(" => ", 1)[1]), proc.returncode
    except (IndexError, ValueError):
        pytest.fail("ansible printed no result (rc %d): %s %s" % (proc.returncode, proc.stdout, proc.stderr))


def test_adhoc_link_and_address(netns, ip_json):
    r, rc = adhoc("nl_link", "name=br0 kind=bridge state=up mtu=1400 netns=%s" % netns)
    assert rc == 0 and r["changed"] is True, r
    link = ip_json(netns, "link", "show", "br0")[0]
    assert link["mtu"] == 1400 and "UP" in link["flags"]
    r, rc = adhoc("nl_addr", "dev=br0 address=192.0.2.10/24 netns=%s" % netns)
    assert rc == 0 and r["changed"] is True, r
    assert r["commands"] == ["ip -n %s addr add 192.0.2.10/24 dev br0" % netns]
    addrs = [a["local"] for a in ip_json(netns, "addr", "show", "dev", "br0")[0]["addr_info"]]
    assert "192.0.2.10" in addrs
    r, rc = adhoc("nl_addr", "dev=br0 address=192.0.2.10/24 netns=%s" % netns)
    assert rc == 0 and r["changed"] is False and r["write_requests"] == 0, r


def test_adhoc_bad_input_fails_naming_option(netns, ip_json):
    before = ip_json(netns, "link", "show")
    r, rc = adhoc("nl_link", "name=br0 kind=bridge mtu=99999 netns=%s" % netns)
    # -o prints a failure as "localhost | FAILED! => {...}", its rc says it
    assert rc == 2 and r["changed"] is False
    assert "mtu=99999" in r["msg"]
    assert ip_json(netns, "link", "show") == before


def test_adhoc_route(netns, ip):
    """The issue's own example: ``-a 'dst=10.0.0.0/8 gateway=192.0.2.1'``."""
    ip(netns, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
    ip(netns, "link", "set", "veth0", "up")
    ip(netns, "addr", "add", "192.0.2.10/24", "dev", "veth0")
    r, rc = adhoc("nl_route", "dst=10.0.0.0/8 gateway=192.0.2.1 netns=%s" % netns)
    assert rc == 0 and r["changed"] is True, r
    assert r["commands"] == ["ip -n %s route add 10.0.0.0/8 proto static via 192.0.2.1" % netns]
    assert "10.0.0.0/8 via 192.0.2.1 dev veth0 proto static" in ip(netns, "route", "show")
    r, rc = adhoc("nl_route", "dst=10.0.0.0/8 gateway=192.0.2.1 netns=%s" % netns)
    assert rc == 0 and r["changed"] is False and r["write_requests"] == 0, r
