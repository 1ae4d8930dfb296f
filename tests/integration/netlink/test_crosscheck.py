"""The library's dumps agree, field by field, with two independent clients
(iproute2's ``ip -j`` and pyroute2) on a namespace populated by ``ip`` with
the golden-capture scenario (bridges with options, veth, macvlan in every
mode, vxlan v4/v6, ifb, tun/tap; v4/v6 addresses with flags, lifetimes,
labels, peers; unicast/multipath/blackhole/unreachable/prohibit/throw routes
in several tables with metrics, src, protocols, v6 pref)."""
import importlib.util
import os
import socket

import pytest

from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import rtnl
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import addr as A
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import link as L
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl import route as R
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import NetlinkSocket
from ansible_collections.netlink.host.tests.integration.snapshots import settle


CAPTURE = os.path.join(os.path.dirname(__file__), "..", "..", "unit", "netlink", "golden", "capture.py")


def _load_capture():
    spec = importlib.util.spec_from_file_location("golden_capture", CAPTURE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def world(module_netns):
    """One populated namespace for the whole module (read-only tests), and
    one library dump of links, addresses and routes taken from it."""
    ns = module_netns
    _load_capture().populate(ns)
    # Link-locals and their routes come by themselves, tentative first:
    # every client must read the namespace once it has stopped changing.
    settle(ns)
    with NetlinkSocket(C.NETLINK_ROUTE, rtnl.SCHEMAS, netns=ns) as nl:
        links = nl.dump(C.RTM_GETLINK, {"family": C.AF_UNSPEC})
        addrs = nl.dump(C.RTM_GETADDR, {"family": C.AF_UNSPEC})
        routes = {fam: nl.dump(C.RTM_GETROUTE, {"family": fam}) for fam in (C.AF_INET, C.AF_INET6)}
    return {"ns": ns, "links": links, "addrs": addrs, "routes": routes,
            "names": {m.header["index"]: m.attrs["ifname"] for m in links}}


# -- links ---------------------------------------------------------------------------

def lib_link_view(m, names):
    a = m.attrs
    info = a.get("linkinfo") or {}
    view = {
        "ifindex": m.header["index"], "ifname": a["ifname"], "mtu": a["mtu"],
        "master": names.get(a.get("master")), "kind": info.get("kind"),
        "slave_kind": info.get("slave_kind"), "address": a.get("address"),
        "operstate": L.OPERSTATES[a["operstate"]], "txqlen": a.get("txqlen"),
        "ifalias": a.get("ifalias"), "up": bool(m.header["flags"] & L.IFF_UP),
        "altnames": (a.get("prop_list") or {}).get("alt_ifname"),
        "link": names.get(a["link"]) if a.get("link") not in (None, m.header["index"]) else None,
    }
    data = info.get("data") if isinstance(info.get("data"), dict) else {}
    if info.get("kind") in ("macvlan", "macvtap"):
        view["mode"] = {v: k for k, v in L.MACVLAN_MODES.items()}[data["mode"]]
    if info.get("kind") == "vxlan":
        view.update(id=data["id"], port=data["port"], ttl=data.get("ttl"),
                    learning=bool(data["learning"]),
                    remote=data.get("group") or data.get("group6"),
                    local=data.get("local") or data.get("local6"))
    if info.get("kind") == "bridge":
        view.update(stp_state=data["stp_state"], priority=data["priority"],
                    forward_delay=data["forward_delay"], hello_time=data["hello_time"],
                    ageing_time=data["ageing_time"])
    return view


def ip_link_view(j):
    info = j.get("linkinfo") or {}
    data = info.get("info_data") or {}
    view = {
        "ifindex": j["ifindex"], "ifname": j["ifname"], "mtu": j["mtu"],
        "master": j.get("master"), "kind": info.get("info_kind"),
        "slave_kind": info.get("info_slave_kind"), "address": j.get("address"),
        "operstate": j["operstate"], "txqlen": j.get("txqlen"), "ifalias": j.get("ifalias"),
        "up": "UP" in j["flags"], "altnames": j.get("altnames"), "link": j.get("link"),
    }
    kind = info.get("info_kind")
    if kind in ("macvlan", "macvtap"):
        view["mode"] = data["mode"]
    if kind == "vxlan":
        view.update(id=data["id"], port=data["port"], ttl=data.get("ttl"),
                    learning=data["learning"], remote=data.get("remote") or data.get("group") or data.get("remote6")
                    or data.get("group6"), local=data.get("local") or data.get("local6"))
    if kind == "bridge":
        view.update(stp_state=data["stp_state"], priority=data["priority"],
                    forward_delay=data["forward_delay"], hello_time=data["hello_time"],
                    ageing_time=data["ageing_time"])
    return view


def test_links_agree_with_ip(world, ip_json):
    ip_links = {j["ifindex"]: ip_link_view(j) for j in ip_json(world["ns"], "-d", "link", "show")}
    lib_links = {m.header["index"]: lib_link_view(m, world["names"]) for m in world["links"]}
    assert sorted(lib_links) == sorted(ip_links)
    kinds = {v["kind"] for v in lib_links.values()}
    assert {"bridge", "veth", "macvlan", "macvtap", "vxlan", "ifb", "tun"} <= kinds
    for idx in ip_links:
        assert lib_links[idx] == ip_links[idx]


# -- addresses ---------------------------------------------------------------------------

SCOPES = {0: "global", 200: "site", 253: "link", 254: "host"}
FLAG_NAMES = {A.IFA_F_SECONDARY: "secondary", A.IFA_F_NODAD: "nodad", A.IFA_F_HOMEADDRESS: "home",
              A.IFA_F_NOPREFIXROUTE: "noprefixroute", A.IFA_F_TENTATIVE: "tentative",
              A.IFA_F_DEPRECATED: "deprecated", A.IFA_F_MANAGETEMPADDR: "mngtmpaddr"}


def lib_addr_view(m):
    a = m.attrs
    flags = a.get("flags", m.header["flags"])
    local = a.get("local") or a.get("address")
    view = {
        "family": "inet" if m.header["family"] == socket.AF_INET else "inet6",
        "local": local, "prefixlen": m.header["prefixlen"],
        "scope": SCOPES[m.header["scope"]], "label": a.get("label"),
        "broadcast": a.get("broadcast"),
        "peer": a["address"] if a.get("local") and a.get("address") != a["local"] else None,
        "flags": sorted(n for bit, n in FLAG_NAMES.items() if flags & bit)
        + (["dynamic"] if not flags & A.IFA_F_PERMANENT else []),
        "valid": a["cacheinfo"]["valid"], "preferred": a["cacheinfo"]["preferred"],
    }
    return (m.header["index"], view["family"], local), view


def ip_addr_view(link, j):
    view = {
        "family": j["family"], "local": j["local"], "prefixlen": j["prefixlen"],
        "scope": j["scope"], "label": j.get("label"), "broadcast": j.get("broadcast"),
        "peer": j.get("address"),
        "flags": sorted(n for n in list(FLAG_NAMES.values()) if j.get(n))
        + (["dynamic"] if j.get("dynamic") else []),
        "valid": j["valid_life_time"], "preferred": j["preferred_life_time"],
    }
    return (link["ifindex"], j["family"], j["local"]), view


def _close_lifetimes(a, b):
    """Lifetimes count down: equal when forever, within 3 s otherwise."""
    for key in ("valid", "preferred"):
        x, y = a.pop(key), b.pop(key)
        if 0xFFFFFFFF in (x, y):
            assert x == y, (key, x, y)
        else:
            assert abs(x - y) <= 3, (key, x, y)


def test_addresses_agree_with_ip(world, ip_json):
    ip_addrs = dict(ip_addr_view(link, j) for link in ip_json(world["ns"], "addr", "show")
                    for j in link["addr_info"])
    lib_addrs = dict(lib_addr_view(m) for m in world["addrs"])
    assert sorted(lib_addrs) == sorted(ip_addrs)
    assert len(lib_addrs) >= 12
    for key in ip_addrs:
        mine, theirs = lib_addrs[key], ip_addrs[key]
        if key[1] == "inet6":
            mine["label"] = theirs["label"] = None  # ip prints no label for v6
        _close_lifetimes(mine, theirs)
        assert mine == theirs, key


# -- routes ----------------------------------------------------------------------

TABLE_NAMES = {254: "main", 255: "local", 253: "default"}
TYPES = R.RTN_TYPE.names
PROTOS = {2: "kernel", 3: "boot", 4: "static", 12: "bird", 16: "dhcp", 9: "ra"}
PREFS = {0: "medium", 1: "high", 3: "low"}


def route_table(m):
    return m.attrs.get("table", m.header["table"])


def route_dst(m):
    h = m.header
    if not h["dst_len"]:
        return "default"
    dst = m.attrs["dst"]
    full = 32 if h["family"] == socket.AF_INET else 128
    return dst if h["dst_len"] == full else "%s/%d" % (dst, h["dst_len"])


def lib_route_view(m, names):
    h, a = m.header, m.attrs
    view = {
        "type": TYPES[h["type"]], "dst": route_dst(m), "gateway": a.get("gateway"),
        "dev": names.get(a.get("oif")), "table": TABLE_NAMES.get(route_table(m), str(route_table(m))),
        "protocol": PROTOS.get(h["protocol"], str(h["protocol"])),
        "scope": R.RT_SCOPE.names[h["scope"]], "prefsrc": a.get("prefsrc"),
        "metric": a.get("priority"), "tos": h["tos"],
        "onlink": bool(h["flags"] & R.RTNH_F_ONLINK),
        "pref": PREFS[a["pref"]] if "pref" in a else None,
        "metrics": {k: v for k, v in (a.get("metrics") or {}).items() if k != "lock"} or None,
        "nexthops": [(hop["attrs"].get("gateway"), names.get(hop["ifindex"]), hop["hops"] + 1)
                     for hop in a["multipath"]] if "multipath" in a else None,
    }
    return (view["dst"], view["table"], view["metric"] or 0, view["tos"], view["type"]), view


def ip_route_view(j):
    view = {
        "type": j["type"], "dst": j["dst"], "gateway": j.get("gateway"), "dev": j.get("dev"),
        "table": j["table"], "protocol": j["protocol"], "scope": j["scope"],
        "prefsrc": j.get("prefsrc"), "metric": j.get("metric"),
        "tos": int(j.get("tos", "0"), 16), "onlink": "onlink" in j.get("flags", []),
        "pref": j.get("pref"),
        "metrics": dict(kv for d in j.get("metrics", []) for kv in d.items()) or None,
        "nexthops": [(n.get("gateway"), n.get("dev"), n["weight"]) for n in j["nexthops"]]
        if "nexthops" in j else None,
    }
    return (view["dst"], view["table"], view["metric"] or 0, view["tos"], view["type"]), view


@pytest.mark.parametrize("family", [4, 6])
def test_routes_agree_with_ip(world, family, ip_json):
    fam = socket.AF_INET if family == 4 else socket.AF_INET6
    ip_routes = dict(ip_route_view(j) for j in
                     ip_json(world["ns"], "-%d" % family, "-d", "route", "show", "table", "all"))
    lib_routes = dict(lib_route_view(m, world["names"]) for m in world["routes"][fam])
    assert sorted(lib_routes) == sorted(ip_routes)
    for key in ip_routes:
        mine, theirs = lib_routes[key], ip_routes[key]
        assert mine == theirs, key
    got = {v["type"] for v in lib_routes.values()}
    if family == 4:
        assert {"unicast", "local", "broadcast", "blackhole", "unreachable", "prohibit", "throw"} <= got
        assert any(v["nexthops"] for v in lib_routes.values())
        assert {"main", "local", "100", "200", "1000"} <= {v["table"] for v in lib_routes.values()}
    else:
        assert {"unicast", "blackhole", "unreachable"} <= got
        assert {"high", "low", "medium"} <= {v["pref"] for v in lib_routes.values()}


# -- pyroute2 ----------------------------------------------------------------------------

pyroute2 = pytest.importorskip("pyroute2")


def _pr_attrs(msg):
    return dict(msg["attrs"]) if isinstance(msg["attrs"], list) else msg["attrs"]


def _pr_nest(value):
    if value is None:
        return None
    return dict(value["attrs"])


@pytest.fixture(scope="module")
def pyr(world):
    with pyroute2.IPRoute(netns=world["ns"]) as ipr:
        yield {"links": list(ipr.get_links()), "addrs": list(ipr.get_addr()),
               "routes": list(ipr.get_routes())}


def test_links_agree_with_pyroute2(world, pyr):
    theirs = {}
    for m in pyr["links"]:
        at = _pr_attrs(m)
        info = _pr_nest(at.get("IFLA_LINKINFO")) or {}
        theirs[m["index"]] = {
            "ifname": at["IFLA_IFNAME"], "mtu": at["IFLA_MTU"], "master": at.get("IFLA_MASTER"),
            "kind": info.get("IFLA_INFO_KIND"), "address": at.get("IFLA_ADDRESS"),
            "operstate": at.get("IFLA_OPERSTATE"), "txqlen": at.get("IFLA_TXQLEN"),
            "flags": m["flags"], "type": m["ifi_type"], "link": at.get("IFLA_LINK"),
            "carrier": at.get("IFLA_CARRIER"), "group": at.get("IFLA_GROUP"),
        }
    mine = {}
    for m in world["links"]:
        a = m.attrs
        mine[m.header["index"]] = {
            "ifname": a["ifname"], "mtu": a["mtu"], "master": a.get("master"),
            "kind": (a.get("linkinfo") or {}).get("kind"), "address": a.get("address"),
            "operstate": L.OPERSTATES[a["operstate"]], "txqlen": a.get("txqlen"),
            "flags": m.header["flags"], "type": m.header["type"], "link": a.get("link"),
            "carrier": a.get("carrier"), "group": a.get("group"),
        }
    assert mine == theirs


def test_addresses_agree_with_pyroute2(world, pyr):
    def key(index, family, prefixlen, local):
        return (index, family, prefixlen, local)

    theirs = {}
    for m in pyr["addrs"]:
        at = _pr_attrs(m)
        ci = at["IFA_CACHEINFO"]
        theirs[key(m["index"], m["family"], m["prefixlen"], at.get("IFA_LOCAL") or at["IFA_ADDRESS"])] = {
            "address": at.get("IFA_ADDRESS"), "label": at.get("IFA_LABEL"),
            "broadcast": at.get("IFA_BROADCAST"), "flags": at.get("IFA_FLAGS"),
            "hflags": m["flags"], "scope": m["scope"],
            "valid": ci["ifa_valid"], "preferred": ci["ifa_preferred"],
        }
    mine = {}
    for m in world["addrs"]:
        h, a = m.header, m.attrs
        mine[key(h["index"], h["family"], h["prefixlen"], a.get("local") or a["address"])] = {
            "address": a.get("address"), "label": a.get("label"), "broadcast": a.get("broadcast"),
            "flags": a.get("flags"), "hflags": h["flags"], "scope": h["scope"],
            "valid": a["cacheinfo"]["valid"], "preferred": a["cacheinfo"]["preferred"],
        }
    assert sorted(mine) == sorted(theirs)
    for k in mine:
        _close_lifetimes(mine[k], theirs[k])
        assert mine[k] == theirs[k], k


def test_routes_agree_with_pyroute2(world, pyr):
    def metrics_of(nest):
        if not nest:
            return None
        return {name[len("RTAX_"):].lower(): v for name, v in nest["attrs"]}

    theirs = {}
    for m in pyr["routes"]:
        at = _pr_attrs(m)
        k = (m["family"], at.get("RTA_DST"), m["dst_len"], at.get("RTA_TABLE", m["table"]),
             at.get("RTA_PRIORITY"), m["tos"], m["type"])
        theirs[k] = {
            "proto": m["proto"], "scope": m["scope"], "flags": m["flags"],
            "gateway": at.get("RTA_GATEWAY"), "oif": at.get("RTA_OIF"),
            "prefsrc": at.get("RTA_PREFSRC"), "pref": at.get("RTA_PREF"),
            "metrics": metrics_of(at.get("RTA_METRICS")),
            "multipath": [(h["hops"], h["oif"], dict(h["attrs"]).get("RTA_GATEWAY"))
                          for h in at["RTA_MULTIPATH"]] if at.get("RTA_MULTIPATH") else None,
        }
    mine = {}
    for fam, msgs in world["routes"].items():
        for m in msgs:
            h, a = m.header, m.attrs
            k = (h["family"], a.get("dst"), h["dst_len"], route_table(m), a.get("priority"),
                 h["tos"], h["type"])
            mine[k] = {
                "proto": h["protocol"], "scope": h["scope"], "flags": h["flags"],
                "gateway": a.get("gateway"), "oif": a.get("oif"), "prefsrc": a.get("prefsrc"),
                "pref": a.get("pref"), "metrics": a.get("metrics"),
                "multipath": [(hop["hops"], hop["ifindex"], hop["attrs"].get("gateway"))
                              for hop in a["multipath"]] if "multipath" in a else None,
            }
    assert len(mine) >= 40
    assert sorted(mine, key=repr) == sorted(theirs, key=repr)
    for k in mine:
        assert mine[k] == theirs[k], k
