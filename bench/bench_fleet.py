# -*- coding: utf-8 -*-
# Copyright: netlink.host contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fleet of network namespaces as Ansible hosts: the network role (one
nl_state task per host) against the same objects written as one ``ip
-batch`` task per host, and as ``ansible.builtin.command: ip ...`` tasks.

    sudo .venv-2.19/bin/python bench/bench_fleet.py [--hosts 50] [--forks 10] [--plays role,ip-batch] [--json OUT]

Plays (all by default): ``role``; ``nl_state``, one bare nl_state task per
host with the same data (the role minus its own tasks); ``ip-batch``;
``ping``, ``ansible.builtin.ping`` per host (Ansible's own floor); ``ip
commands``.  The summary prints role / ip-batch per run against the goals.

Each host (namespace ``nlfleet-PID-NN``, reached with the netns connection)
gets a bridge, a veth pair with one end in the bridge, and two addresses
(IPv4 and IPv6).  Both plays converge the fleet from scratch (first run)
and then run again on the converged fleet (second run); every figure is
the wall time of one ``ansible-playbook`` process, fleet rebuilt between
contenders.  The ``ip -batch`` play is the same number of tasks as the role
(one per host): the floor of what Ansible costs per host, and the goal's
reference (issue 22: the role's re-run within 1.5x of it, its first
converge within 2x).  ``ip -batch`` has no idempotent ``link add``: it runs
with ``-force`` and a re-run's "File exists" is not a failure.  The command
play is written the way such plays usually are
(``ip link show X || ip link add ...``, ``ip addr replace``): it reports
``changed`` on every run unless told otherwise, which is the point of
comparison for the second run.

tests/integration/role/test_role_fleet.py runs ``converge()`` with the
role and asserts the second run changes nothing on any host.
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The process id in the names: two runs at once (engineers sharing a machine,
# test_role_fleet beside a bench run) would otherwise delete each other's hosts.
PREFIX = "nlfleet-%d-" % os.getpid()

HOST_VARS = """network_links:
  - name: br0
    kind: bridge
    state: up
  - name: v0
    kind: veth
    veth: {peer: v1}
    master: br0
    state: up
  - name: v1
    state: up
network_addresses:
  - dev: br0
    addresses: [10.%(a)d.%(b)d.1/24, "2001:db8:%(n)x::1/64"]
"""

ROLE_PLAY = """- name: Fleet through the network role
  hosts: all
  gather_facts: false
  roles:
    - role: netlink.host.network
"""

COMMAND_PLAY = """- name: Fleet through ip commands
  hosts: all
  gather_facts: false
  tasks:
    - name: Bridge
      ansible.builtin.shell: ip link show br0 >/dev/null 2>&1 || ip link add br0 type bridge
      changed_when: true
    - name: Veth pair
      ansible.builtin.shell: ip link show v0 >/dev/null 2>&1 || ip link add v0 type veth peer name v1
      changed_when: true
    - name: Port in the bridge
      ansible.builtin.command: ip link set v0 master br0
      changed_when: true
    - name: Links up
      ansible.builtin.command: ip link set {{ item }} up
      loop: [br0, v0, v1]
      changed_when: true
    - name: Addresses
      ansible.builtin.command: ip addr replace {{ item }} dev br0
      loop: "{{ network_addresses[0].addresses }}"
      changed_when: true
"""

BATCH_PLAY = """- name: Fleet through one ip -batch task per host
  hosts: all
  gather_facts: false
  vars:
    batch: |
      link add br0 up type bridge
      link add v0 master br0 up type veth peer name v1
      link set v1 up
      {% for a in network_addresses[0].addresses %}
      addr replace {{ a }} dev br0
      {% endfor %}
  tasks:
    - name: The host's links and addresses in one ip -batch
      ansible.builtin.command: ip -force -batch -
      args:
        stdin: "{{ batch }}"
      register: batch_run
      changed_when: true
      failed_when: batch_run.rc != 0 and batch_run.stderr_lines | reject('search', 'File exists|^Command failed') | list | length > 0
"""

# The role's start-up without the role: one bare nl_state task of the same
# host data, so role - nl_state is what the role's own tasks cost.
STATE_PLAY = """- name: Fleet through one bare nl_state task per host
  hosts: all
  gather_facts: false
  tasks:
    - name: The host's links and addresses in one nl_state task
      netlink.host.nl_state:
        links: "{{ network_links }}"
        addresses: "{{ network_addresses }}"
"""

# Ansible's own floor: one task per host of the smallest Python module.
PING_PLAY = """- name: Fleet through ansible.builtin.ping
  hosts: all
  gather_facts: false
  tasks:
    - name: Ping
      ansible.builtin.ping:
"""

# label -> (play file, text), in the order they run
PLAYS = {"role": ("role.yml", ROLE_PLAY), "nl_state": ("state.yml", STATE_PLAY),
         "ip-batch": ("batch.yml", BATCH_PLAY), "ping": ("ping.yml", PING_PLAY),
         "ip commands": ("command.yml", COMMAND_PLAY)}
# issue 22's goals: the role against the ip-batch play, per run
GOALS = {"first": 2.0, "second": 1.5}


def hosts(n, prefix=PREFIX):
    return ["%s%02d" % (prefix, i) for i in range(n)]


def make_fleet(names):
    for name in names:
        subprocess.run(["ip", "netns", "add", name], check=True)
        subprocess.run(["ip", "-n", name, "link", "set", "lo", "up"], check=True)


def delete_fleet(names):
    for name in names:
        subprocess.run(["ip", "netns", "del", name], check=False, stderr=subprocess.DEVNULL)


def write_inventory(tmp, names, python):
    os.makedirs(os.path.join(tmp, "host_vars"), exist_ok=True)
    with open(os.path.join(tmp, "inventory.ini"), "w") as handle:
        handle.write("[fleet]\n%s\n[fleet:vars]\nansible_connection=netlink.host.netns\n"
                     "ansible_python_interpreter=%s\n" % ("\n".join(names), python))
    for i, name in enumerate(names):
        with open(os.path.join(tmp, "host_vars", name + ".yml"), "w") as handle:
            handle.write(HOST_VARS % {"a": i // 250, "b": i % 250, "n": i + 1})
    for fname, text in PLAYS.values():
        with open(os.path.join(tmp, fname), "w") as handle:
            handle.write(text)


def playbook(tmp, play, forks, python):
    """(wall seconds, {host: changed count}, rc, output) of one run."""
    exe = os.path.join(os.path.dirname(python), "ansible-playbook")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".build", "collections"),
               ANSIBLE_PIPELINING="true", ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="0",
               ANSIBLE_LOCAL_TEMP=os.path.join(tmp, "local-tmp"))
    start = time.time()
    proc = subprocess.run([exe, "-i", os.path.join(tmp, "inventory.ini"), "-f", str(forks), os.path.join(tmp, play)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, env=env,
                          check=False)
    wall = time.time() - start
    recap = dict((m.group(1), (int(m.group(2)), int(m.group(3))))
                 for m in re.finditer(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)",
                                      proc.stdout, re.M))
    return wall, recap, proc.returncode, proc.stdout


def converge(names, play, forks, python, tmp, check=None):
    """First and second run of ``play`` on a fresh fleet ``names``:
    [(wall, recap, rc, output), (...)]; ``check()`` runs after them,
    before the fleet is deleted."""
    delete_fleet(names)
    make_fleet(names)
    try:
        write_inventory(tmp, names, python)
        runs = [playbook(tmp, play, forks, python) for _run in (1, 2)]
        if check is not None:
            check()
        return runs
    finally:
        delete_fleet(names)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--forks", type=int, default=10)
    ap.add_argument("--plays", default=",".join(PLAYS), help="comma-separated, of: %s" % ", ".join(PLAYS))
    ap.add_argument("--json", metavar="OUT")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (creates network namespaces)")
    names = hosts(args.hosts)
    results = {}
    plays = [label for label in PLAYS if label in args.plays.split(",")]
    for label in plays:
        play = PLAYS[label][0]
        with tempfile.TemporaryDirectory() as tmp:
            runs = converge(names, play, args.forks, sys.executable, tmp)
        for which, (wall, recap, rc, out) in zip(("first", "second"), runs):
            if rc != 0 or len(recap) != len(names):
                fatal = [line for line in out.splitlines() if line.startswith("fatal:")][:2]
                sys.exit("%s, %s run failed (rc %d):\n%s\n%s" % (label, which, rc, "\n".join(fatal), out[-1500:]))
            results["%s %s" % (label, which)] = {"seconds": round(wall, 2),
                                                 "hosts changed": sum(1 for c, _f in recap.values() if c)}
    print("%d namespaces as hosts, forks %d, one ansible-playbook run each:" % (args.hosts, args.forks))
    others = [label for label in plays if label != "role"] if "role" in plays else []
    print("| run | %s |%s" % (" | ".join(plays), "".join(" role / %s |" % o for o in others)))
    print("|---|%s" % ("---|" * (len(plays) + len(others))))
    for which in ("first", "second"):
        cells = ["%.1f s (%d hosts changed)" % (results["%s %s" % (p, which)]["seconds"], results["%s %s" % (p, which)]["hosts changed"])
                 for p in plays]
        ratios = ["%.2fx" % (results["role " + which]["seconds"] / results["%s %s" % (o, which)]["seconds"])
                  for o in others if "role" in plays]
        print("| %s | %s |%s" % (which, " | ".join(cells), "".join(" %s |" % r for r in ratios)))
    goals = {}
    if "role" in plays and "ip-batch" in plays:
        print()
        for which, goal in GOALS.items():
            ratio = results["role " + which]["seconds"] / results["ip-batch " + which]["seconds"]
            goals[which] = {"ratio": round(ratio, 2), "goal": goal, "ok": ratio <= goal}
            print("role / ip-batch, %s run: %.2fx (goal <= %.1fx): %s" % (which, ratio, goal, "ok" if ratio <= goal else "MISS"))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"hosts": args.hosts, "forks": args.forks, "results": results, "goals": goals}, handle, indent=2)


if __name__ == "__main__":
    main()
