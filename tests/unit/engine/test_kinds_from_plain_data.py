"""Every object kind builds its request and its iproute2 command from a
change alone (plain data, as a stored plan holds it) and a context that
only maps link names to indexes: no kernel, no root, no state in the kind.

For each kind: create, update (where the kind has one) and delete, and the
undo of each, go through JSON and back, then ``request()`` must encode
(the same bytes twice, from two fresh copies of the change) and
``command()`` must start with the kind's ``ip`` words.
"""
import copy
import json

import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.engine import applier
from ansible_collections.netlink.host.plugins.module_utils.netlink import const as C
from ansible_collections.netlink.host.plugins.module_utils.netlink import procsys, rtnl, xfrm
from ansible_collections.netlink.host.plugins.module_utils.netlink.socket import encode_message
from ansible_collections.netlink.host.plugins.module_utils.objects import manifest, registry
from ansible_collections.netlink.host.tests.unit.objects.xfrm_builders import policy, sa, tmpl

LINKS = {"br0": 3, "v0": 4, "v1": 5, "eth0": 2}


class NamesOnly:
    """The context a request may use: names <-> indexes, nothing else."""
    netns = "lab"

    def ifindex(self, name, required=True):
        if name in LINKS:
            return LINKS[name]
        if required:
            raise KeyError(name)
        return None

    def ifname(self, index):
        return dict((v, k) for k, v in LINKS.items()).get(index)

    def forget_links(self):
        pass

    def links(self, refresh=False):
        return {}


LINK = {"name": "br0", "kind": "bridge", "state": "up", "mtu": 1500, "address": "02:00:00:00:00:03",
        "txqueuelen": 1000, "master": "", "alias": "uplink", "link": None, "bridge": {"stp": True},
        "kernel": {"ifindex": 3, "addr_gen_mode": 0},
        "ipv4": {"arp_ignore": 0, "forwarding": False}, "ipv6": {"token": "::", "forwarding": False}}
VETH = {"name": "v0", "kind": "veth", "state": "up", "mtu": 1500, "address": "02:00:00:00:00:04",
        "txqueuelen": 1000, "master": "br0", "alias": "", "link": None, "veth": {"peer": "v1"},
        "kernel": {"ifindex": 4, "peer_ifindex": 5}}
ADDRESS = {"dev": "br0", "address": "2001:db8::5/64", "peer": None, "broadcast": None, "label": None,
           "scope": None, "valid_lft": 300, "preferred_lft": 200, "noprefixroute": True, "nodad": True,
           "metric": 0, "kernel": {"ifindex": 3, "flags": 0x100 | 0x200 | 0x02 | 0x80, "proto": 7,
                                   "secondary": False, "remaining": [290, 190], "age": 10.0, "read_at": 1000.0}}
ROUTE = {"family": 4, "dst": "198.51.100.0/24", "table": "main", "tos": 0, "metric": 10, "type": "unicast",
         "protocol": "static", "scope": "global", "gateway": "192.0.2.254", "dev": "br0", "src": None,
         "onlink": False, "pref": None, "src_prefix": None, "nhid": None, "nexthops": None,
         "metrics": {"mtu": 1400, "lock": ["mtu"]}}
RULE = {"family": 4, "priority": 100, "from": "10.8.0.0/16", "to": None, "tos": 0, "iif": "br0", "oif": None,
        "fwmark": "0x10/0xff", "uidrange": None, "ipproto": None, "sport": None, "dport": None,
        "l3mdev": False, "invert": False, "action": "lookup", "table": 100, "goto": None, "protocol": None,
        "suppress_prefixlength": None, "suppress_ifgroup": None}
NEIGH = {"dev": "v0", "dst": "2001:db8::9", "proxy": False, "lladdr": "02:00:00:00:00:09", "nud": "permanent",
         "router": True, "extern_learn": False, "protocol": "static", "kernel": {"ifindex": 4, "flags_ext": 1}}
FDB = {"dev": "v0", "mac": "00:00:00:00:00:00", "master": False, "vlan": None, "src_vni": None, "dst": "192.0.2.2",
       "vni": 7, "port": 4790, "entry_state": "permanent", "sticky": False, "kernel": {"ifindex": 4}}
NEXTHOP = {"id": 1, "family": 4, "gateway": "192.0.2.1", "dev": "v0", "onlink": True, "blackhole": False,
           "fdb": False, "group": None, "type": None, "buckets": None, "idle_timer": None, "unbalanced_timer": None,
           "protocol": "static", "encap": None, "kernel": {"ifindex": 4}}
GROUP = dict(NEXTHOP, id=10, family=None, gateway=None, dev=None, onlink=False, kernel=None,
             group=[{"id": 1, "weight": 1}, {"id": 2, "weight": 256}], type="resilient", buckets=8, idle_timer=60,
             unbalanced_timer=0.5)
SYSCTL = {"family": 6, "dev": "v0", "name": "forwarding", "value": False}
AEAD = {"name": "rfc4106(gcm(aes))", "key": "0x" + "11" * 20, "icv_len": 128}

OBJECTS = [
    ("link", LINK, dict(LINK, mtu=9000, alias="x", kernel=dict(LINK["kernel"], addr_gen_mode=1),
                        ipv4={"arp_ignore": 1, "forwarding": True}, ipv6={"token": "::1:2", "forwarding": True})),
    ("link", VETH, None),
    ("address", ADDRESS, dict(ADDRESS, metric=5)),
    ("route", ROUTE, dict(ROUTE, gateway="192.0.2.253")),
    ("rule", RULE, None),
    ("neigh", NEIGH, dict(NEIGH, lladdr="02:00:00:00:00:0a", nud="stale", router=False)),
    ("neigh", dict(NEIGH, dst="192.0.2.9", proxy=True, lladdr=None, nud=None, kernel={"ifindex": 4}), None),
    ("fdb", FDB, dict(FDB, entry_state="static")),
    ("fdb", dict(FDB, mac="02:00:00:00:00:09", master=True, dst=None, vni=None, port=None, vlan=10, sticky=True), None),
    ("nexthop", NEXTHOP, dict(NEXTHOP, gateway="192.0.2.2", onlink=False, protocol="zebra")),
    ("nexthop", dict(NEXTHOP, id=2, family=6, gateway=None, blackhole=True, dev=None, onlink=False), None),
    ("nexthop", GROUP, dict(GROUP, group=[{"id": 1, "weight": 3}], idle_timer=30)),
    ("xfrm_state", sa(aead=AEAD, replay_window=64), None),
    ("xfrm_policy", policy(templates=[tmpl("10.0.0.1", "10.0.0.2", reqid=7)]), None),
    ("xfrm_default", {"in": "allow", "fwd": "allow", "out": "allow"}, {"in": "block", "fwd": "allow", "out": "block"}),
    ("sysctl", SYSCTL, dict(SYSCTL, value=True)),
]
SCHEMAS = {C.NETLINK_ROUTE: rtnl.SCHEMAS, C.NETLINK_XFRM: xfrm.SCHEMAS}


def changes_of(name, obj, changed):
    kind = registry.kind(name)
    if name == "sysctl":  # a setting is there while its device is: updates only
        out = [contract.change(kind, contract.UPDATE, copy.deepcopy(obj), copy.deepcopy(changed))]
        return out + applier.undo_plan(out)
    out = [contract.change(kind, contract.CREATE, None, copy.deepcopy(obj)),
           contract.change(kind, contract.DELETE, copy.deepcopy(obj), None)]
    if changed is not None:
        out.append(contract.change(kind, contract.UPDATE, copy.deepcopy(obj), copy.deepcopy(changed)))
    return out + applier.undo_plan(out)


def encoded(ch, ctx):
    kind = registry.kind(ch["kind"])
    if kind.protocol() == procsys.PROTOCOL:
        req = kind.request(ch, ctx)
        return (req.path, req.value)
    return encode_message(SCHEMAS[kind.protocol()], kind.request(ch, ctx), 1)


def test_every_kind_is_covered():
    assert set(name for name, _obj, _changed in OBJECTS) == set(manifest.kind_names())


@pytest.mark.parametrize("name,obj,changed", OBJECTS, ids=["%s-%d" % (o[0], i) for i, o in enumerate(OBJECTS)])
def test_request_and_command_from_plain_data(name, obj, changed, monkeypatch):
    from ansible_collections.netlink.host.plugins.module_utils.objects import address
    monkeypatch.setattr(address, "boottime", lambda: 1005.0)  # requests count lifetimes down from read_at
    ctx = NamesOnly()
    for ch in changes_of(name, obj, changed):
        if ch.get("implied"):
            continue  # sends nothing
        stored = json.loads(json.dumps(ch))
        first = encoded(stored, ctx)
        assert first == encoded(json.loads(json.dumps(ch)), ctx), (name, ch["op"])
        assert stored == json.loads(json.dumps(ch)), "request() changed the change"
        kind = registry.kind(ch["kind"])  # a link's undo may hold sysctl changes
        words = kind.command(contract.mask_change(kind, stored), ctx)
        prefix = {"sysctl": "ip netns exec lab sysctl -w ", "fdb": "bridge -n lab "}.get(kind.name, "ip -n lab ")
        assert words.startswith(prefix), words
        assert "11111111" not in words, "a key leaked into a command"


def test_a_stateless_kind_keeps_nothing_between_requests():
    ctx = NamesOnly()
    for name, obj, changed in OBJECTS:
        kind = registry.kind(name)
        before = dict(vars(kind))
        for ch in changes_of(name, obj, changed):
            if not ch.get("implied"):
                registry.kind(ch["kind"]).request(json.loads(json.dumps(ch)), ctx)
        assert dict(vars(kind)) == before, name
