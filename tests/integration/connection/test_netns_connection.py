"""The netns connection plugin through real ansible/ansible-playbook runs:
namespaces as inventory hosts, any module (not only ours), files in and
out, facts that are the namespace's own, pipelining on and off."""
import os
import subprocess

import pytest

from ansible_collections.netlink.host.tests.integration.ansible_cli import adhoc, inventory, playbook


@pytest.mark.parametrize("pipelining", ["0", "1"])
def test_any_module_runs_inside_the_namespace(tmp_path, netns_factory, ip, pipelining):
    a, b = netns_factory(), netns_factory()
    ip(a, "link", "add", "only-in-a", "type", "bridge")
    inv = inventory(tmp_path, {a: None, "bee": b})
    proc, res = adhoc(tmp_path, inv, "all", "ansible.builtin.command", "ip -o link show",
                      ANSIBLE_PIPELINING=pipelining)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    a_line, bee_line = res[a]["raw"], res["bee"]["raw"]
    assert a_line.startswith("CHANGED | rc=0") and "only-in-a" in a_line
    assert "only-in-a" not in bee_line and "lo" in bee_line
    # the machine's own interfaces are in neither
    host_links = subprocess.run(["ip", "-o", "link", "show"], stdout=subprocess.PIPE,
                                universal_newlines=True, check=True).stdout
    own = [ln.split(":")[1].strip().split("@")[0] for ln in host_links.splitlines()]
    for name in (n for n in own if n != "lo"):
        assert " %s:" % name not in bee_line, name


def test_facts_files_and_this_collections_modules(tmp_path, netns, ip_json):
    inv = inventory(tmp_path, {"h1": netns})
    src = tmp_path / "payload.txt"
    src.write_text("hello from the controller\n")
    proc = playbook(tmp_path, inv, """
- name: A namespace as a host
  hosts: h1
  gather_facts: true
  tasks:
    - name: Facts read /sys of the namespace
      ansible.builtin.assert:
        that:
          - ansible_facts.interfaces | sort == ['lo']
    - name: A bridge through this collection
      netlink.host.nl_link:
        name: br-conn
        kind: bridge
        state: up
    - name: Facts again see the new bridge
      ansible.builtin.setup:
        gather_subset: [network]
    - name: Assert it
      ansible.builtin.assert:
        that: "'br-conn' in ansible_facts.interfaces"
    - name: Copy a file in (put_file)
      ansible.builtin.copy:
        src: %(src)s
        dest: %(dst)s
        mode: "0600"
    - name: Fetch it back (fetch_file)
      ansible.builtin.fetch:
        src: %(dst)s
        dest: %(fetched)s
        flat: true
""" % {"src": src, "dst": tmp_path / "in-ns.txt", "fetched": tmp_path / "fetched.txt"})
    assert proc.returncode == 0, proc.stdout
    assert "failed=0" in proc.stdout
    assert (tmp_path / "fetched.txt").read_text() == "hello from the controller\n"
    assert ip_json(netns, "link", "show", "br-conn")[0]["operstate"] in ("UP", "UNKNOWN", "DOWN")
    assert [ln["ifname"] for ln in ip_json(None, "link", "show") if ln["ifname"] == "br-conn"] == []


def test_etc_netns_overrides_are_the_files_the_host_sees(tmp_path, netns):
    """ip netns exec puts /etc/netns/NAME/FILE over /etc/FILE: a fetch of
    /etc/hosts from the namespace returns the namespace's copy."""
    etc = "/etc/netns/" + netns
    os.makedirs(etc)
    try:
        with open(os.path.join(etc, "hosts"), "w") as handle:
            handle.write("192.0.2.1 only-in-%s\n" % netns)
        inv = inventory(tmp_path, {"h1": netns})
        proc = playbook(tmp_path, inv, """
- name: Fetch /etc/hosts
  hosts: h1
  gather_facts: false
  tasks:
    - name: Fetch
      ansible.builtin.fetch:
        src: /etc/hosts
        dest: %s
        flat: true
""" % (tmp_path / "hosts"))
        assert proc.returncode == 0, proc.stdout
        assert (tmp_path / "hosts").read_text() == "192.0.2.1 only-in-%s\n" % netns
    finally:
        subprocess.run(["rm", "-rf", etc], check=True)


def test_missing_namespace_is_unreachable_with_its_name(tmp_path):
    inv = inventory(tmp_path, {"ghost": "nltest-no-such-namespace"})
    proc, res = adhoc(tmp_path, inv, "all", "ansible.builtin.ping", "")
    assert proc.returncode != 0
    assert "UNREACHABLE" in proc.stdout
    assert "no network namespace 'nltest-no-such-namespace'" in proc.stdout, proc.stdout


def test_a_path_is_refused_as_a_name(tmp_path):
    inv = inventory(tmp_path, {"pathy": "/proc/1/ns/net"})
    proc, res = adhoc(tmp_path, inv, "all", "ansible.builtin.ping", "")
    assert proc.returncode != 0 and "UNREACHABLE" in proc.stdout
    assert "is not a network namespace name" in proc.stdout, proc.stdout


def test_reset_connection_is_a_truthful_no_op(tmp_path, netns, ip):
    """Each command is a fresh ``ip netns exec``, so there is nothing to tear
    down: meta reset_connection says so (-vvv) and warns of nothing, and the
    next task still runs inside the namespace."""
    ip(netns, "link", "add", "after-reset", "type", "bridge")
    inv = inventory(tmp_path, {"h1": netns})
    proc = playbook(tmp_path, inv, """
- name: Reset between two tasks
  hosts: h1
  gather_facts: false
  tasks:
    - name: Before
      ansible.builtin.command: ip -o link show
      changed_when: false
    - name: Reset
      ansible.builtin.meta: reset_connection
    - name: After
      ansible.builtin.command: ip -o link show after-reset
      changed_when: false
""", options=["-vvv"])
    assert proc.returncode == 0, proc.stdout
    assert "[WARNING]" not in proc.stdout, proc.stdout
    assert "RESET NETNS CONNECTION TO %s" % netns in proc.stdout, proc.stdout
    after = proc.stdout.split("TASK [After]", 1)[1]
    assert "after-reset" in after and "ok: [h1]" in after, after
