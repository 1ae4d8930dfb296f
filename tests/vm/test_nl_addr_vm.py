"""nl_addr on the stock kernels of the matrix (Debian 12's 6.1 and the
current one).  What differs between them: IFA_PROTO (the kernel's mark on
addresses it made itself) exists only from 6.3, so on 6.1 ``replaced``
must recognise the kernel's IPv6 link-local address by its shape, and on
6.3+ by the mark.  Either way it stays; a user-added fe80 address goes
where the kernel marks addresses (6.3+)."""
import platform


def kernel_at_least(major, minor):
    parts = platform.release().split(".")
    return (int(parts[0]), int(parts[1].split("-")[0])) >= (major, minor)


def addrs(ns, dev):
    out = []
    for link in ns.ip_json("addr", "show", "dev", dev):
        out += ["%s/%s" % (a["local"], a["prefixlen"]) for a in link.get("addr_info", [])]
    return sorted(out)


def wait_link_local(ns, dev):
    """The kernel adds the EUI-64 link-local when the link comes up."""
    for _round in range(100):
        if [a for a in addrs(ns, dev) if a.startswith("fe80")]:
            return
        ns.ip("link", "show", dev)  # a cheap pause that also proves the ns is alive
    raise AssertionError("no link-local address on %s: %s" % (dev, addrs(ns, dev)))


def test_replaced_keeps_kernel_link_local_on_every_kernel(netns, run_module):
    netns.ip("link", "add", "d0", "type", "dummy")
    netns.ip("link", "set", "d0", "up")
    wait_link_local(netns, "d0")
    kernel_ll = [a for a in addrs(netns, "d0") if a.startswith("fe80")]
    netns.ip("addr", "add", "198.51.100.7/24", "dev", "d0")
    args = {"dev": "d0", "state": "replaced",
            "addresses": ["192.0.2.10/24", {"address": "2001:db8::10/64", "nodad": True}]}
    r = run_module("nl_addr", args, check=True, netns=netns.name)
    assert r["changed"] and r["write_requests"] == 0
    assert "198.51.100.7/24" in addrs(netns, "d0")
    r = run_module("nl_addr", args, netns=netns.name)
    assert r.get("failed") is not True, r
    got = addrs(netns, "d0")
    assert "198.51.100.7/24" not in got
    assert "192.0.2.10/24" in got and "2001:db8::10/64" in got
    assert set(kernel_ll) <= set(got), "the kernel's own link-local must stay (%s)" % platform.release()
    again = run_module("nl_addr", args, netns=netns.name)
    assert again["changed"] is False and again["write_requests"] == 0


def test_user_link_local_under_replaced_follows_the_kernel_mark(netns, run_module):
    netns.ip("link", "add", "d1", "type", "dummy")
    netns.ip("link", "set", "d1", "up")
    wait_link_local(netns, "d1")
    netns.ip("addr", "add", "fe80::1234/64", "dev", "d1", "nodad")
    r = run_module("nl_addr", {"dev": "d1", "state": "replaced", "addresses": ["192.0.2.20/24"]},
                   netns=netns.name)
    assert r.get("failed") is not True, r
    got = addrs(netns, "d1")
    if kernel_at_least(6, 3):
        # IFA_PROTO tells the user's fe80::1234 from the kernel's own.
        assert "fe80::1234/64" not in got
    else:
        # No IFA_PROTO: every fe80::/64 address is taken for the kernel's.
        assert "fe80::1234/64" in got
    assert [a for a in got if a.startswith("fe80") and a != "fe80::1234/64"], got


def test_addresses_on_vlan_and_gathered_round_trip(netns, run_module):
    run_module("nl_link", {"links": [{"name": "d2", "kind": "dummy", "state": "up"},
                                     {"name": "d2.7", "kind": "vlan", "link": "d2", "vlan": {"id": 7},
                                      "state": "up"}]}, netns=netns.name)
    timed = {"address": "192.0.2.31/24", "valid_lft": 600, "preferred_lft": 300}
    args = {"dev": "d2.7", "addresses": ["192.0.2.30/24", timed]}
    r = run_module("nl_addr", args, netns=netns.name)
    assert r["changed"] and "192.0.2.31/24" in addrs(netns, "d2.7")
    g = run_module("nl_addr", {"dev": "d2.7", "state": "gathered"}, netns=netns.name)
    back = run_module("nl_addr", {"dev": "d2.7", "state": "replaced", "addresses": g["gathered"]},
                      netns=netns.name)
    assert back.get("failed") is not True, back
    assert back["changed"] is False and back["write_requests"] == 0
