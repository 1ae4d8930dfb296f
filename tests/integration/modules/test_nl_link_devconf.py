"""nl_link ``ipv4:``/``ipv6:``: a device's IP settings, against the host
kernel in throwaway namespaces, read back with ``ip netns exec NS sysctl``
(an independent client): check mode changes nothing, a run sets them, the
next sends nothing, the diff shows them, a refusal later in the task puts
them back, gathered output fed back changes nothing, ``commands`` replayed
in a second namespace give the same values, bad input changes nothing;
and the table's indexes are the kernel's (each setting read from
RTM_GETLINK equals the sysctl file of its name)."""
import subprocess

import pytest

from ansible_collections.netlink.host.plugins.module_utils.engine.context import KernelContext
from ansible_collections.netlink.host.plugins.module_utils.objects import devconf, registry
from ansible_collections.netlink.host.tests.integration.faults import inject

SETTINGS = {"ipv4": {"forwarding": True, "rp_filter": "loose", "arp_ignore": 1, "send_redirects": False,
                     "proxy_arp": True},
            "ipv6": {"forwarding": True, "accept_ra": 2, "hop_limit": 32, "addr_gen_mode": "none"}}
NAMES = ["net.ipv4.conf.v0.%s" % n for n in sorted(SETTINGS["ipv4"])] + \
        ["net.ipv6.conf.v0.%s" % n for n in sorted(SETTINGS["ipv6"])]


def sysctl(ns, *names):
    """name -> int, read by the sysctl program inside ``ns``."""
    out = subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-e"] + list(names), check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    return dict((k.strip(), int(v)) for k, v in (line.split("=", 1) for line in out.splitlines()))


def kernel_value(block, name, value):
    return devconf.row(block, name).to_kernel(value)


EXPECTED = dict(("net.%s.conf.v0.%s" % (b, n), kernel_value(b, n, v)) for b, s in SETTINGS.items() for n, v in s.items())


@pytest.fixture
def lab(netns, ip_batch):
    ip_batch(netns, ["link add v0 type veth peer name v1", "link set v0 up", "link set v1 up"])
    return netns


def args(**kw):
    out = {"name": "v0", "ipv4": dict(SETTINGS["ipv4"]), "ipv6": dict(SETTINGS["ipv6"])}
    out.update(kw)
    return out


def test_check_mode_set_rerun_and_diff(run_module, lab):
    before = sysctl(lab, *NAMES)
    assert before != EXPECTED
    r = run_module("nl_link", args(), check=True, diff=True, netns=lab)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] == 0
    assert sysctl(lab, *NAMES) == before
    r = run_module("nl_link", args(), diff=True, netns=lab)
    assert r.get("failed") is not True, r
    assert r["changed"] is True and r["write_requests"] > 0
    assert sysctl(lab, *NAMES) == EXPECTED
    # netlink (IFLA_INET_CONF) for what the kernel only stores; sysctl files for
    # the rest; every command is what a user would type
    cmds = r["commands"]
    ns = "ip netns exec %s sysctl -w " % lab
    assert "%snet.ipv4.conf.v0.send_redirects=0 net.ipv4.conf.v0.arp_ignore=1 && ip -n %s link set dev v0 " \
           "addrgenmode none" % (ns, lab) in cmds, cmds
    for name in ("net.ipv4.conf.v0.forwarding=1", "net.ipv4.conf.v0.rp_filter=2", "net.ipv4.conf.v0.proxy_arp=1",
                 "net.ipv6.conf.v0.forwarding=1", "net.ipv6.conf.v0.accept_ra=2", "net.ipv6.conf.v0.hop_limit=32"):
        assert ns + name in cmds, (name, cmds)
    shown = "".join(d["after"] for d in r["diff"])
    assert '"rp_filter": "loose"' in shown and '"arp_ignore": 1' in shown and '"accept_ra": 2' in shown
    headers = [d["before_header"] for d in r["diff"]]
    assert "sysctl net.ipv6.conf.v0.forwarding (before)" in headers, headers
    assert r["links"][0]["ipv4"]["rp_filter"] == "loose" and r["links"][0]["ipv6"]["forwarding"] is True
    r = run_module("nl_link", args(), netns=lab)
    assert r.get("failed") is not True, r
    assert r["changed"] is False and r["write_requests"] == 0 and r["commands"] == []


def test_commands_replayed_elsewhere_give_the_same_values(run_module, lab, netns_factory, ip_batch):
    other = netns_factory()
    ip_batch(other, ["link add v0 type veth peer name v1", "link set v0 up", "link set v1 up"])
    r = run_module("nl_link", args(), netns=lab)
    assert r.get("failed") is not True, r
    for cmd in r["commands"]:
        subprocess.run(cmd.replace(lab, other), shell=True, check=True)
    assert sysctl(other, *NAMES) == sysctl(lab, *NAMES) == EXPECTED


def test_a_link_created_with_its_settings(run_module, netns):
    item = {"name": "n0", "kind": "veth", "veth": {"peer": "n1"}, "state": "up",
            "ipv4": {"forwarding": True, "arp_announce": 2}, "ipv6": {"accept_ra": 0, "forwarding": True}}
    r = run_module("nl_link", {"links": [item]}, check=True, netns=netns)
    assert r.get("failed") is not True and r["changed"] is True and r["write_requests"] == 0, r
    r = run_module("nl_link", {"links": [item]}, netns=netns)
    assert r.get("failed") is not True, r
    assert sysctl(netns, "net.ipv4.conf.n0.forwarding", "net.ipv4.conf.n0.arp_announce",
                  "net.ipv6.conf.n0.accept_ra", "net.ipv6.conf.n0.forwarding") == {
        "net.ipv4.conf.n0.forwarding": 1, "net.ipv4.conf.n0.arp_announce": 2,
        "net.ipv6.conf.n0.accept_ra": 0, "net.ipv6.conf.n0.forwarding": 1}
    r = run_module("nl_link", {"links": [item]}, netns=netns)
    assert r["changed"] is False and r["write_requests"] == 0, r


def test_a_refusal_later_in_the_task_puts_the_settings_back(run_module, lab, monkeypatch):
    before = sysctl(lab, *NAMES)
    task = {"links": [args(), {"name": "late0", "kind": "bridge"}]}

    def fail(n, req):
        return " link add late0 " in (req.label or "")

    inject(monkeypatch, fail)
    r = run_module("nl_link", task, netns=lab)
    monkeypatch.undo()
    assert r.get("failed") is True and r["undone"] is True, r
    assert "kernel refused" in r["msg"] and r["changed"] is False
    assert sysctl(lab, *NAMES) == before


def test_a_setting_the_kernel_refuses_undoes_the_rest(run_module, lab):
    """The kernel refuses an IPv6 MTU above the link's (addrconf_sysctl_mtu):
    the settings written before it are put back."""
    before = sysctl(lab, *NAMES)
    r = run_module("nl_link", args(ipv6=dict(SETTINGS["ipv6"], mtu=9000)), netns=lab)
    assert r.get("failed") is True and r["undone"] is True, r
    assert "net.ipv6.conf.v0.mtu=9000" in r["msg"] and "Invalid argument" in r["msg"], r["msg"]
    assert sysctl(lab, *NAMES) == before


def test_gathered_shows_what_differs_from_the_defaults_and_is_input(run_module, lab):
    r = run_module("nl_link", {"state": "gathered", "name": "v0"}, netns=lab)
    assert "ipv4" not in r["gathered"][0] and "ipv6" not in r["gathered"][0], r["gathered"]
    assert run_module("nl_link", args(), netns=lab)["changed"] is True
    r = run_module("nl_link", {"state": "gathered"}, netns=lab)
    v0 = [l for l in r["gathered"] if l["name"] == "v0"][0]
    assert v0["ipv4"] == dict(SETTINGS["ipv4"], send_redirects=False)
    assert v0["ipv6"] == SETTINGS["ipv6"]
    back = run_module("nl_link", {"links": r["gathered"]}, netns=lab)
    assert back.get("failed") is not True, back
    assert back["changed"] is False and back["write_requests"] == 0


@pytest.mark.parametrize("block,option,value,says", [
    ("ipv4", "rp_filter", "medium", "links[0].ipv4.rp_filter='medium' is not one of off, strict, loose"),
    ("ipv4", "arp_ignore", 9, "links[0].ipv4.arp_ignore=9 is out of range (0-8)"),
    ("ipv4", "forwarding", "maybe", "links[0].ipv4"),
    ("ipv6", "token", "2001:db8::1", "links[0].ipv6.token=2001:db8::1: a token is the low 64 bits only"),
    ("ipv6", "hop_limit", 0, "links[0].ipv6.hop_limit=0 is out of range (1-255)"),
    ("ipv6", "accept_rx", 1, "links[0].ipv6.accept_rx: unknown option"),
])
def test_bad_input_names_option_and_value_and_changes_nothing(run_module, lab, block, option, value, says):
    before = sysctl(lab, *NAMES)
    item = args()
    item[block] = dict(item[block], **{option: value})
    r = run_module("nl_link", {"links": [item]}, netns=lab)
    assert r.get("failed") is True and says in r["msg"], r["msg"]
    assert sysctl(lab, *NAMES) == before


def test_bad_top_level_value_is_refused(run_module, lab):
    r = run_module("nl_link", args(ipv4={"rp_filter": 3}), netns=lab)
    assert r.get("failed") is True and "ipv4.rp_filter=3 is not one of off, strict, loose" in r["msg"], r["msg"]


def _distinct(c, now):
    """A value of row ``c`` that differs from the kernel's ``now``."""
    if c.type == "bool" or c.name in ("disable_ipv6",):
        return 0 if now else 1
    if c.type == "choice":
        return [v for v in c.choices.values() if v != now][0]
    if c.name == "mtu":
        return 1400
    hi = min(c.hi, 200)
    return [v for v in range(max(c.lo, 0), hi + 1) if v != now and v != 8][0]


@pytest.mark.parametrize("block", sorted(devconf.BLOCKS))
def test_every_index_of_the_table_is_the_sysctl_file_of_its_name(lab, block):
    """Set each setting to another value through its file, then read the
    link over netlink: the table decodes the value the file holds."""
    family = devconf.BLOCKS[block]
    rows = [c for c in devconf.rows(block) if c.index is not None]
    names = ["net.ipv%d.conf.v0.%s" % (family, c.name) for c in rows]
    now = sysctl(lab, *names)
    for c, name in zip(rows, names):
        subprocess.run(["ip", "netns", "exec", lab, "sysctl", "-qw", "%s=%d" % (name, _distinct(c, now[name]))],
                       check=True)
    files = sysctl(lab, *names)
    assert files != now
    with KernelContext(lab) as ctx:
        msg = [m for m in ctx.links().values() if m.attrs["ifname"] == "v0"][0]
        obj = registry.kind("link").from_msg(msg, ctx)
    for c, name in zip(rows, names):
        assert c.to_kernel(obj[block][c.name]) == files[name], (c.name, obj[block][c.name], files[name])


def test_undoing_a_delete_brings_a_link_back_with_its_settings(run_module, netns, ip_batch, monkeypatch):
    ip_batch(netns, ["link add br0 type bridge", "link add br1 type bridge"])
    assert run_module("nl_link", {"name": "br0", "ipv4": {"rp_filter": "strict", "arp_ignore": 2},
                                  "ipv6": {"accept_ra": 0, "forwarding": True}}, netns=netns)["changed"]
    names = ["net.ipv4.conf.br0.rp_filter", "net.ipv4.conf.br0.arp_ignore", "net.ipv6.conf.br0.accept_ra",
             "net.ipv6.conf.br0.forwarding"]
    before = sysctl(netns, *names)
    assert before == dict(zip(names, [1, 2, 0, 1]))

    def fail(n, req):
        return (req.label or "").endswith("link del dev br1")

    inject(monkeypatch, fail)
    r = run_module("nl_link", {"links": [{"name": "br0", "state": "absent"}, {"name": "br1", "state": "absent"}]},
                   netns=netns)
    monkeypatch.undo()
    assert r.get("failed") is True and r["undone"] is True, r
    assert sysctl(netns, *names) == before


def test_a_link_without_ipv6_is_refused_before_anything_changes(run_module, lab, ip):
    ip(lab, "link", "set", "v0", "mtu", "1000")  # below IPv6's 1280: the kernel drops v0's IPv6
    before = sysctl(lab, "net.ipv4.conf.v0.forwarding")
    r = run_module("nl_link", args(), netns=lab)
    assert r.get("failed") is True, r
    assert "ipv6: link v0 has no IPv6 (its MTU is too small for it" in r["msg"], r["msg"]
    assert sysctl(lab, "net.ipv4.conf.v0.forwarding") == before


def test_an_ipv6_token_over_netlink(run_module, lab):
    r = run_module("nl_link", {"name": "v0", "ipv6": {"token": "::1:2:3:4"}}, netns=lab)
    assert r.get("failed") is not True and r["commands"] == ["ip -n %s token set ::1:2:3:4 dev v0" % lab], r
    shown = subprocess.run(["ip", "-n", lab, "token", "get", "dev", "v0"], check=True, stdout=subprocess.PIPE,
                           universal_newlines=True).stdout
    assert shown.split()[1] == "::1:2:3:4", shown
    r = run_module("nl_link", {"name": "v0", "ipv6": {"token": "::1:2:3:4"}}, netns=lab)
    assert r["changed"] is False and r["write_requests"] == 0
    r = run_module("nl_link", {"state": "gathered", "name": "v0"}, netns=lab)
    assert r["gathered"][0]["ipv6"] == {"token": "::1:2:3:4"}
