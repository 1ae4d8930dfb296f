"""The kernel-feature table: a row for everything a task can ask the kernel
for, and only the refusals that mean "missing" get a hint (the real
kernel's words are in tests/integration/modules/test_kernel_features.py)."""
import errno
import importlib.util
import os

import pytest

from ansible_collections.netlink.host.plugins.module_utils.objects import kernel_features as F
from ansible_collections.netlink.host.plugins.module_utils.objects import link_types
from ansible_collections.netlink.host.plugins.module_utils.tasks import xfrm, xfrm_keys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_every_creatable_link_kind_has_a_row():
    missing = [t.name for t in link_types.TYPES if t.creatable and (F.LINK, t.name) not in F.FEATURES]
    assert missing == []


def test_every_algorithm_and_managed_protocol_has_a_row():
    names = list(xfrm_keys.AEAD) + list(xfrm_keys.ENC) + list(xfrm_keys.AUTH) + list(xfrm_keys.COMP)
    assert [n for n in names if (F.XFRM_ALG, n) not in F.FEATURES] == []
    types = [(p, v) for p in xfrm.MANAGED_PROTOS for v in (4, 6)]
    assert [t for t in types if (F.XFRM_TYPE, t) not in F.FEATURES] == []


def test_every_row_names_options_and_as_many_modules():
    for key, (options, modules) in F.FEATURES.items():
        assert all(o.startswith("CONFIG_") for o in options), key
        assert bool(options) == bool(modules), key
        assert key[0] in F.SHOWN, key


def create(kind):
    return {"kind": "link", "op": "create", "before": None, "after": {"name": "t0", "kind": kind}}


def test_an_unknown_device_type_on_a_create_names_option_and_module():
    text = F.missing("link", create("vrf"), errno.EOPNOTSUPP, "Unknown device type")
    assert text == "this kernel lacks vrf links: CONFIG_NET_VRF, built in or as module vrf (modprobe vrf)"


@pytest.mark.parametrize("kind_name, change, errnum, extack", [
    # the same errno meaning something else: no hint
    ("link", create("vlan"), errno.EOPNOTSUPP, "VLANs not supported on device"),
    # an update of an existing link: its kind is there
    ("link", dict(create("vrf"), op="update", before={"name": "t0", "kind": "vrf"}), errno.EOPNOTSUPP,
     "Unknown device type"),
    ("link", create("vrf"), errno.EINVAL, "Unknown device type"),
    ("route", create("vrf"), errno.EOPNOTSUPP, "Unknown device type"),
    # a kind the table does not list (a made-up one)
    ("link", create("nosuchkind"), errno.EOPNOTSUPP, "Unknown device type"),
])
def test_other_refusals_get_no_hint(kind_name, change, errnum, extack):
    assert F.missing(kind_name, change, errnum, extack) is None


def test_without_extended_ack_every_candidate_is_named_as_possible():
    """Older kernels say only ENOSYS: any of the SA's algorithms may be the one."""
    change = {"kind": "xfrm_state", "before": None,
              "after": {"proto": "esp", "dst": "192.0.2.2", "aead": None, "enc": {"name": "cbc(aes)"},
                        "auth": {"name": "hmac(sha256)"}, "comp": None}}
    text = F.missing("xfrm_state", change, errno.ENOSYS, None)
    assert text.startswith("this kernel may lack the cbc(aes) algorithm: CONFIG_CRYPTO_CBC and CONFIG_CRYPTO_AES")
    assert "; or the hmac(sha256) algorithm: CONFIG_CRYPTO_HMAC and CONFIG_CRYPTO_SHA256" in text
    assert F.missing("xfrm_state", change, errno.EPROTONOSUPPORT, None) == (
        "this kernel may lack IPv4 esp SAs: CONFIG_INET_ESP, built in or as module esp4 (modprobe esp4)")


def _page_generator():
    path = os.path.join(ROOT, "scripts", "gen_kernel_features.py")
    spec = importlib.util.spec_from_file_location("gen_kernel_features", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_kernel_features_page_is_the_table():
    """docs/kernel-features.md lists what the messages name: run
    scripts/gen_kernel_features.py when this fails."""
    gen = _page_generator()
    with open(gen.PAGE, encoding="utf-8") as fh:
        page = fh.read()
    assert page == gen.page_with(page, gen.render())
    # and the generated part is there, naming a row of each topic
    generated = page.partition(gen.BEGIN)[2].partition(gen.END)[0]
    for needle in ("| `vrf` | `CONFIG_NET_VRF` | `vrf` |", "`CONFIG_INET6_ESP` (module `esp6`)",
                   "| `aead` | `rfc4106(gcm(aes))` | `CONFIG_CRYPTO_GCM` | `gcm` |"):
        assert needle in generated
