"""The registry's life cycle through the real `lienthong` command, on both stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lienthong.core.db import Store
from tests.utils import PORT_TAX_CODE


class Cli:
    def __init__(self, store: Store, data_dir: Path) -> None:
        self.env = {
            "LIENTHONG_DATABASE_URL": store.url,
            "LIENTHONG_DATA_DIR": str(data_dir),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "COLUMNS": "200",
        }

    def run(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "lienthong.cli", *args]
        done = subprocess.run(cmd, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == code, f"{args}: {done.stdout}\n{done.stderr}"
        return done

    def json(self, *args: str) -> Any:
        return json.loads(self.run("--json", *args).stdout)


@pytest.fixture
def cli(store: Store, tmp_path: Path) -> Cli:
    return Cli(store, tmp_path / "data")


def test_cli_life_cycle(cli: Cli) -> None:
    init = cli.json("init", "--admin", "root-admin")
    assert init["key"]["token"].startswith("lt_")
    assert cli.run("init", "--if-needed").returncode == 0
    assert "already initialised" in cli.run("init", code=4).stderr

    cli.run("member", "create", "GOV", "H31", "--name", "UBND thành phố Hải Phòng")
    cli.run("member", "create", "COM", PORT_TAX_CODE, "--name", "Cảng Hải Phòng")
    members = cli.json("member", "list")
    assert [m["id"] for m in members] == ["VN/GOV/H31", f"VN/COM/{PORT_TAX_CODE}"]
    cli.run("member", "update", f"COM/{PORT_TAX_CODE}", "--name-en", "Hai Phong Port")
    assert cli.json("member", "show", f"COM/{PORT_TAX_CODE}")["name_en"] == "Hai Phong Port"

    cli.run("member", "add-subsystem", f"COM/{PORT_TAX_CODE}", "TOS", "--name", "TOS")
    assert cli.json("member", "subsystems", f"COM/{PORT_TAX_CODE}")[0]["code"] == "TOS"

    cli.run("user", "create", "lan", "--name", "Nguyễn Thị Lan")
    roles = cli.json("user", "grant", "lan", "org_admin", "--member", f"COM/{PORT_TAX_CODE}")
    assert roles["roles"] == [{"role": "org_admin", "member": f"VN/COM/{PORT_TAX_CODE}"}]

    key = cli.json(
        "key",
        "create",
        "--name",
        "tos",
        "--subsystem",
        f"COM/{PORT_TAX_CODE}/TOS",
        "--role",
        "publisher",
        "--role",
        "consumer",
    )
    assert sorted(key["roles"]) == ["consumer", "publisher"]
    plain = cli.run("key", "create", "--name", "lan", "--user", "lan").stdout
    assert "shown once" in plain
    assert any(len(line) == 46 and line.startswith("lt_") for line in plain.splitlines())

    listed = cli.json("key", "list")
    assert len(listed) == 3
    revoked = cli.json("key", "revoke", str(key["id"]))
    assert revoked["revoked_at"] is not None
    cli.run("key", "revoke", str(key["id"]), code=4)

    cli.run("user", "revoke", "lan", "org_admin", "--member", f"COM/{PORT_TAX_CODE}")
    assert cli.json("user", "deactivate", "lan")["active"] is False
    cli.run("member", "remove-subsystem", f"COM/{PORT_TAX_CODE}", "TOS")
    cli.run("member", "delete", f"COM/{PORT_TAX_CODE}")
    cli.run("member", "show", f"COM/{PORT_TAX_CODE}", code=3)

    actions = [e["action"] for e in cli.json("audit", "list", "--limit", "100")]
    assert actions[:4] == ["user.create", "role.grant", "key.create", "platform.init"]
    assert {"member.delete", "subsystem.delete", "key.revoke", "user.deactivate"} <= set(actions)
    assert "chain intact" in cli.run("audit", "verify").stdout


def test_cli_bad_input_exits_with_clear_errors(cli: Cli) -> None:
    cli.run("init")
    bad_tax = cli.run("member", "create", "COM", "0100107519", "--name", "x", code=2)
    assert "not a valid tax code" in bad_tax.stderr
    bad_class = cli.run("member", "create", "XYZ", "H31", "--name", "x", code=2)
    assert "XYZ" in bad_class.stderr
    long_name = cli.run("member", "create", "GOV", "H31", "--name", "x" * 400, code=2)
    assert "at most 300 characters" in long_name.stderr
    cli.run("member", "create", "GOV", "H31", "--name", "x")
    dup = cli.run("member", "create", "GOV", "H31", "--name", "x", code=4)
    assert "already exists" in dup.stderr
    missing = cli.run("user", "grant", "nobody", "viewer", "--member", "GOV/H31", code=3)
    assert "does not exist" in missing.stderr
    assert cli.json("member", "list")[0]["name"] == "x"
