"""rt_names: the host's iproute2 name files, merged as iproute2 merges them."""
import pytest

from ansible_collections.netlink.host.plugins.module_utils import contract
from ansible_collections.netlink.host.plugins.module_utils.netlink.rtnl.route import RT_TABLE
from ansible_collections.netlink.host.plugins.module_utils.objects import rt_names


@pytest.fixture
def dirs(tmp_path):
    etc, usr = tmp_path / "etc", tmp_path / "usr"
    etc.mkdir()
    usr.mkdir()
    (usr / "rt_tables").write_text("255 local\n254 main\n# 200 commented\n")
    (usr / "rt_tables.d").mkdir()
    (usr / "rt_tables.d" / "vendor.conf").write_text("300 vendor\n301 both\n")
    return {"etc_dir": str(etc), "usr_dirs": (str(usr),)}


def test_distribution_file_is_read_when_etc_has_none(dirs):
    assert rt_names.names("rt_tables", **dirs) == {"local": 255, "main": 254, "vendor": 300, "both": 301}


def test_etc_file_replaces_the_distribution_file_and_etc_d_wins(dirs, tmp_path):
    etc = tmp_path / "etc"
    (etc / "rt_tables").write_text("0x64 vpn  # hex, with a comment\nbad line here\n")
    (etc / "rt_tables.d").mkdir()
    (etc / "rt_tables.d" / "site.conf").write_text("401 both\n")
    (etc / "rt_tables.d" / "ignored.txt").write_text("500 ignored\n")
    assert rt_names.names("rt_tables", **dirs) == {"vpn": 100, "vendor": 300, "both": 401}


@pytest.mark.parametrize("value, expected", [(7, 7), ("7", 7), ("0x10", 16), ("main", 254), ("vendor", 300)])
def test_number_takes_numbers_builtin_names_and_host_names(dirs, value, expected):
    assert rt_names.number("rt_tables", value, "table", builtin=RT_TABLE, **dirs) == expected


@pytest.mark.parametrize("value, words", [("nosuch", "table=nosuch: unknown name"), (-1, "table=-1: out of range"),
                                          (True, "table=True: not a number"), ("0xzz", "table=0xzz: not a number")])
def test_number_refuses_naming_option_and_value(dirs, value, words):
    with pytest.raises(contract.ValidationError, match=words.replace("(", r"\(")):
        rt_names.number("rt_tables", value, "table", builtin=RT_TABLE, **dirs)
