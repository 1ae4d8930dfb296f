"""The module runner masks hex no_log values itself (no_log_mask.py) and
hands Ansible only the others: wherever a key's value turns up in what a
module returns (an error message, a warning, a returned string, the
invocation), it is masked, and Ansible's remove_values no longer gets the
hex keys (that is what made it O(N^2) with many SAs).

Each test records the no_log values remove_values is called with at exit,
so a test passes only if the runner, not Ansible, masked the key."""
import contextlib
import inspect
import io
import json

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as _warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.runner import module_runner
from ansible_collections.netlink.host.plugins.module_utils.specs.common import common_options
from ansible_collections.netlink.host.plugins.modules import nl_xfrm

# ansible-core 2.21 returns the invocation only when the controller asks
INJECT = ({"_ansible_inject_invocation": True} if "_ansible_inject_invocation" in inspect.getsource(basic)
          else {})
KEY = "0x0123456789abcdef0123456789abcdef01234567"
SLOW = "not-a-hex-secret"
SA = {"src": "10.0.0.1", "dst": "10.0.0.2", "spi": "0x1000", "reqid": 1,
      "aead": {"name": "rfc4106(gcm(aes))", "key": KEY}}
# A 40-bit cast5 key is short enough to be a link's name (15 characters at
# most): a selector naming that link echoes the key in returned strings.
SHORT_KEY = "0xfedcba9876"
SA_SHORT = {"src": "10.0.0.1", "dst": "10.0.0.2", "spi": "0x3000", "reqid": 1,
            "enc": {"name": "cbc(cast5)", "key": SHORT_KEY}}


@pytest.fixture(name="scrubbed_with")
def scrubbed_with_fixture(monkeypatch):
    """The no_log values of each remove_values call AnsibleModule makes
    when it returns (not those of its invocation logging)."""
    calls = []
    real = basic.remove_values

    def spy(value, no_log_strings):
        if isinstance(value, dict) and ("changed" in value or "failed" in value):
            calls.append(set(no_log_strings))
        return real(value, no_log_strings)

    monkeypatch.setattr(basic, "remove_values", spy)
    return calls


def run_main(main, args):
    for store in ("_global_warnings", "_global_deprecations"):
        getattr(_warnings, store, {}).clear()
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit):
            main()
    text = out.getvalue()
    return json.loads(text[text.rfind("\n{") + 1:]), text


def assert_masked(text):
    assert KEY not in text and KEY[2:18] not in text and KEY[-16:] not in text, text


def test_key_in_an_error_message(netns, scrubbed_with):
    bad = dict(SA, spi="0x2000", encap={"type": "espinudp", "sport": 4500, "dport": 4500, "oa": KEY})
    result, text = run_main(nl_xfrm.main, dict(INJECT, states=[SA, bad], netns=netns, _ansible_check_mode=True))
    assert result["failed"] and result["msg"] == "states[1].encap.oa=********: not an IP address", result
    assert result["invocation"]["module_args"]["states"][0]["aead"]["key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert_masked(text)
    assert scrubbed_with == [set()], "the runner left the key to Ansible"


def test_key_in_returned_strings_in_check_mode(netns, scrubbed_with, ip):
    # a selector dev named like a key (the link exists: a dev that does not
    # fails the task): the command and the result echo it
    ip(netns, "link", "add", SHORT_KEY, "type", "veth", "peer", "name", "nlmask-p")
    odd = dict(SA, spi="0x2000", selector={"src": "10.1.0.0/16", "dev": SHORT_KEY})
    result, text = run_main(nl_xfrm.main, {"states": [SA, SA_SHORT, odd], "netns": netns,
                                           "_ansible_check_mode": True, "_ansible_diff": True})
    assert result["changed"] and not result.get("failed"), result
    assert result["commands"][2].endswith(" dev ********"), result["commands"]
    assert result["states"][2]["selector"]["dev"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", result["states"]
    assert "********" in result["diff"][2]["after"], result["diff"]
    assert_masked(text)
    assert SHORT_KEY not in text and SHORT_KEY[2:] not in text, text
    assert scrubbed_with == [set()]
    assert ip(netns, "xfrm", "state", "list") == ""


class EchoTask:
    """A task that echoes its inputs in a warning and in the result, or
    fails with them in the message: what a careless task could do."""

    def __init__(self, fail):
        self.fail = fail

    def desired(self, params):
        if self.fail:
            raise contract.ValidationError("key=%s secret=%s: refused" % (params["key"], params["secret"]))
        return {}

    def current(self, ctx, desired, params, mode):
        return {}

    def check(self, ctx, desired, current, params, mode):
        return ["warned about key %s and %s" % (module_runner_params["key"], module_runner_params["secret"])]

    def plan(self, ctx, desired, current, params, mode):
        return []

    def planned(self, plan, current):
        return {"echo": [module_runner_params["key"], "in " + module_runner_params["key"] + " text",
                         (module_runner_params["secret"],), True, None, 5]}


module_runner_params = {}


def echo_main(fail):
    def main():
        module = basic.AnsibleModule(argument_spec=dict(key=dict(type="str", no_log=True),
                                                        secret=dict(type="str", no_log=True),
                                                        **common_options()),
                                     supports_check_mode=True)
        module_runner_params.update(module.params)
        module_runner.run(module, EchoTask(fail))
    return main


@pytest.mark.parametrize("fail", [False, True], ids=["success", "failure"])
def test_warnings_result_and_failures_of_any_task(netns, scrubbed_with, fail):
    args = {"key": KEY, "secret": SLOW, "netns": netns, "_ansible_check_mode": True}
    result, text = run_main(echo_main(fail), args)
    assert_masked(text)
    assert SLOW not in text, text
    # the hex key was masked by the runner; the other value is still Ansible's
    assert scrubbed_with == [{SLOW}], scrubbed_with
    if fail:
        assert result["msg"] == "key=******** secret=********: refused", result
    else:
        assert result["echo"] == ["VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "in ******** text",
                                  ["VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"], True, None, 5], result
        warned = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
        assert warned == ["warned about key ******** and ********"], warned


def test_invocation_log_line_masks_keys_without_ansible_scanning_them(netns, monkeypatch):
    """nl_xfrm's module (FastNoLogModule) logs its invocation with the hex
    keys masked first: Ansible's log scrubbing gets no hex value."""
    lines, given = [], []
    real_log, real_remove = basic.AnsibleModule.log, basic.remove_values

    def log(self, msg, log_args=None):
        lines.append(msg)
        return real_log(self, msg, log_args=log_args)

    def remove(value, no_log_strings):
        given.append(set(no_log_strings))
        return real_remove(value, no_log_strings)

    monkeypatch.setattr(basic.AnsibleModule, "log", log)
    monkeypatch.setattr(basic, "remove_values", remove)
    result, _text = run_main(nl_xfrm.main, {"states": [SA, dict(SA, spi="0x2000", selector={
        "src": "10.1.0.0/16", "dev": KEY})], "netns": netns})
    # no link has that name: the task fails, after logging its invocation
    assert result["failed"] and result["msg"].endswith("no such link"), result
    assert len(lines) == 1 and lines[0].startswith("Invoked with"), lines
    assert KEY not in lines[0] and KEY[2:18] not in lines[0], lines[0]
    assert lines[0].count("VALUE_SPECIFIED_IN_NO_LOG_PARAMETER") == 3, lines[0]
    assert given and all(not values for values in given), given
