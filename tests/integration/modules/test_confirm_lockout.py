"""The real lock-out: a playbook over Ansible's ssh connection moves the
address the controller reaches the host on, with confirm_timeout.

Two throwaway namespaces joined by a veth: ``ctl`` (the controller,
192.0.2.1, where ansible-playbook runs) and ``host`` (192.0.2.2, where
Debian's sshd runs, so modules run inside it with no ``netns`` option).
The play moves the host's address, points ``ansible_host`` at the new one
and ends with nl_confirm.  Moved out of the controller's reach
(198.51.100.2), the play loses the host, nl_confirm never runs, and after
the timeout the old address is back and a new SSH connection succeeds.
Moved within reach (192.0.2.3), the play confirms and the change stays.
"""
import os
import shutil
import subprocess
import sys
import time

import pytest

from ansible_collections.netlink.host.plugins.module_utils.confirm import store
from ansible_collections.netlink.host.tests.integration.confirm_wait import addresses, wait_final, watchdog_gone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".build", "collections")
PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
pytestmark = pytest.mark.slow(50)  # the lost host waits out a watchdog timeout

TIMEOUT = 45  # long enough for the good play to reach nl_confirm on a busy machine


# scripts/setup.sh installs openssh-server, so a missing sshd is a broken
# set-up: the tests fail saying so, never skip.
@pytest.fixture(autouse=True)
def _sshd_installed():
    assert os.path.exists(SSHD), "no sshd at %s: scripts/setup.sh installs openssh-server" % SSHD


PLAY = """
- hosts: target
  gather_facts: false
  tasks:
    # In the background: this task's own result would travel over the
    # connection whose address it removes, and never arrive.
    - name: Move the management address
      netlink.host.nl_addr:
        dev: eth0
        addresses: ["{{ new_ip }}/24"]
        state: replaced
        confirm_timeout: %d
      async: 60
      poll: 0
      register: job
    - name: Reach the host on its new address from now on
      ansible.builtin.set_fact:
        ansible_host: "{{ new_ip }}"
    - name: Wait until the host answers there
      ansible.builtin.wait_for_connection:
        timeout: 20
    - name: The change's result
      ansible.builtin.async_status:
        jid: "{{ job.ansible_job_id }}"
      register: moved
      until: moved.finished
      retries: 20
      delay: 1
    - name: Still reachable, so keep the change
      netlink.host.nl_confirm:
        ids: ["{{ moved.confirm_id }}"]
      register: kept
    - name: Report
      ansible.builtin.debug:
        msg: "CONFIRMED {{ kept.confirmed | join(',') }}"
""" % TIMEOUT


@pytest.fixture
def lab(netns_factory, ip_batch, tmp_path):
    ctl, host = netns_factory(), netns_factory()
    ip_batch(ctl, ["link add eth0 type veth peer name eth0 netns %s" % host,
                   "addr add 192.0.2.1/24 dev eth0", "link set eth0 up"])
    ip_batch(host, ["addr add 192.0.2.2/24 dev eth0", "link set eth0 up"])
    for key in ("host_ed25519", "id_ed25519"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / key)], check=True)
    shutil.copy(str(tmp_path / "id_ed25519.pub"), str(tmp_path / "authorized_keys"))
    (tmp_path / "sshd_config").write_text(
        "Port 22\nListenAddress 0.0.0.0\nHostKey {d}/host_ed25519\nAuthorizedKeysFile {d}/authorized_keys\n"
        "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "UsePAM no\nStrictModes no\nPidFile {d}/sshd.pid\n".format(d=tmp_path))
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    sshd = subprocess.Popen(["ip", "netns", "exec", host, SSHD, "-D", "-e", "-f", str(tmp_path / "sshd_config")],
                            stdout=subprocess.DEVNULL, stderr=open(str(tmp_path / "sshd.log"), "w"))
    (tmp_path / "inventory").write_text(
        "target ansible_host=192.0.2.2 ansible_user=root ansible_ssh_private_key_file={d}/id_ed25519 "
        "ansible_python_interpreter={py}\n".format(d=tmp_path, py=sys.executable))
    (tmp_path / "play.yml").write_text(PLAY)
    try:
        assert ssh(ctl, tmp_path, "192.0.2.2", wait=15) == 0, (tmp_path / "sshd.log").read_text()
        yield ctl, host, tmp_path
    finally:
        sshd.terminate()
        sshd.wait(timeout=10)


def ssh(ctl, tmp_path, address, wait=0.0):
    """A new SSH connection from the controller; its exit status (retried
    for ``wait`` seconds)."""
    end = time.time() + wait
    while True:
        rc = subprocess.run(["ip", "netns", "exec", ctl, "ssh", "-i", str(tmp_path / "id_ed25519"),
                             "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                             "-o", "BatchMode=yes", "-o", "ConnectTimeout=2", "-o", "LogLevel=ERROR",
                             "root@" + address, "true"], check=False, timeout=30,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        if rc == 0 or time.time() >= end:
            return rc
        time.sleep(0.5)


def play(ctl, tmp_path, new_ip):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_HOST_KEY_CHECKING="False",
               ANSIBLE_PIPELINING="True", ANSIBLE_LOCAL_TEMP=str(tmp_path / "local"),
               ANSIBLE_TIMEOUT="3", ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
               # every task on a connection of its own, as after a real cut
               ANSIBLE_SSH_ARGS="-o ControlMaster=no -o ControlPersist=no -o UserKnownHostsFile=/dev/null")
    return subprocess.run(["ip", "netns", "exec", ctl, PLAYBOOK, "-i", str(tmp_path / "inventory"),
                           "-e", "new_ip=%s" % new_ip, str(tmp_path / "play.yml")],
                          check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, env=env, timeout=300)


def record_of(host):
    recs = [r for r in store.records() if r.get("netns") is None
            and store.same_netns(r.get("netns_id"), store.netns_identity(host))]
    assert len(recs) == 1, recs
    return recs[0]


def test_lost_host_rolls_back_and_is_reachable_again(lab, ip_json):
    ctl, host, tmp_path = lab
    out = play(ctl, tmp_path, "198.51.100.2")
    assert out.returncode != 0, out.stdout
    assert "timed out waiting for ping module test" in out.stdout, out.stdout
    assert "CONFIRMED" not in out.stdout
    rec = record_of(host)
    # The change went through and no one confirmed it.  (Whether the play
    # saw the first task's result or timed out waiting for it, and so
    # whether the deadline is past already, depends on TCP's timers.)
    assert rec["state"] in (store.APPLIED, store.ROLLED_BACK), rec
    if rec["state"] == store.APPLIED:
        assert ssh(ctl, tmp_path, "192.0.2.2") != 0  # locked out
    rec = wait_final(rec["id"], TIMEOUT + 20)
    assert rec["state"] == store.ROLLED_BACK, rec
    assert addresses(ip_json, host, "eth0") == ["192.0.2.2/24"]
    assert ssh(ctl, tmp_path, "192.0.2.2", wait=10) == 0  # a new connection succeeds


def test_reachable_host_confirms_and_keeps(lab, ip_json):
    ctl, host, tmp_path = lab
    out = play(ctl, tmp_path, "192.0.2.3")
    assert out.returncode == 0, out.stdout
    rec = record_of(host)
    assert rec["state"] == store.CONFIRMED, rec
    assert "CONFIRMED %s" % rec["id"] in out.stdout, out.stdout
    assert watchdog_gone(rec["id"]), "no watchdog is left to roll the confirmed change back"
    assert store.load(rec["id"])["state"] == store.CONFIRMED
    assert addresses(ip_json, host, "eth0") == ["192.0.2.3/24"]
    assert ssh(ctl, tmp_path, "192.0.2.3") == 0
