"""`lienthong exchange ...` commands, driven in process on both stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
from typer.testing import CliRunner

from lienthong.core.console import CliContext
from lienthong.core.errors import Conflict
from lienthong.core.platform import Platform
from lienthong.exchange.cli import exchange_app
from tests.exchange_peers import harness as h
from tests.test_exchange_services import YAML
from tests.utils import CUSTOMS, HAIPHONG, PORT_TAX_CODE, make_member, make_subsystem


def _cli(platform: Platform) -> Any:
    root = typer.Typer()

    @root.callback()
    def _ctx(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        ctx.obj = CliContext(factory=lambda: platform, as_json=as_json)

    root.add_typer(exchange_app, name="exchange")
    runner = CliRunner()

    def run(*args: str) -> Any:
        result = runner.invoke(root, ["--json", "exchange", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run


def test_exchange_commands(platform: Platform, admin_token: str, tmp_path: Path) -> None:
    api = h.api(platform)
    make_member(api, admin_token, HAIPHONG)
    make_member(api, admin_token, CUSTOMS)
    port = {"member_class": "COM", "member_code": PORT_TAX_CODE, "name": "Cảng Hải Phòng"}
    make_member(api, admin_token, port)
    make_subsystem(api, admin_token, f"COM/{PORT_TAX_CODE}", "TOS")
    make_subsystem(api, admin_token, "GOV/G12.31", "ECUS")
    spec = tmp_path / "vessels.yaml"
    spec.write_text(YAML, encoding="utf-8")
    run = _cli(platform)

    svc = run(
        "service",
        "add",
        h.TOS,
        "vessels",
        "--upstream",
        "http://127.0.0.1:9",
        "--openapi",
        str(spec),
        "--subject-key",
        "tax_code",
    )
    assert svc["id"] == f"VN/{h.TOS}/vessels"
    assert len(svc["endpoints"]) == 3
    run(
        "service",
        "add",
        h.TOS,
        "berths",
        "--upstream",
        "http://127.0.0.1:9",
        "--endpoint",
        "GET /berths",
        "--endpoint",
        "/berths/**",
    )
    assert [s["code"] for s in run("service", "list")] == ["vessels", "berths"]
    assert run("service", "show", f"{h.TOS}/berths")["endpoints"][1]["method"] == "*"

    run("group", "create", f"COM/{PORT_TAX_CODE}", "agencies")
    group = run("group", "add", f"COM/{PORT_TAX_CODE}/agencies", h.CUSTOMS_SYS)
    assert group["members"] == [f"VN/{h.CUSTOMS_SYS}"]
    one = run(
        "right",
        "grant",
        f"{h.TOS}/vessels",
        "--client",
        h.CUSTOMS_SYS,
        "--purpose",
        "giám sát",
        "--endpoint",
        "GET /vessels",
        "--expires",
        "2099-01-01",
    )
    assert one["endpoint"]["path"] == "/vessels"
    run(
        "right",
        "grant",
        f"{h.TOS}/berths",
        "--group",
        f"COM/{PORT_TAX_CODE}/agencies",
        "--purpose",
        "điều độ",
    )
    assert len(run("right", "list", "--active")) == 2
    assert run("right", "revoke", str(one["id"]))["active"] is False

    asked = run(
        "request", "file", f"{h.TOS}/vessels", "--client", h.CUSTOMS_SYS, "--purpose", "thông quan"
    )
    assert asked["state"] == "pending"
    assert [r["id"] for r in run("request", "list", "--pending")] == [asked["id"]]
    assert run("request", "approve", str(asked["id"]))["state"] == "approved"
    again = run("request", "file", f"{h.TOS}/berths", "--client", h.CUSTOMS_SYS, "--purpose", "xem")
    assert (
        run("request", "refuse", str(again["id"]), "--reason", "đã có quyền qua nhóm")["state"]
        == "refused"
    )
    with pytest.raises(Conflict, match="already refused"):  # `lienthong` exits 4 on it
        run("request", "refuse", str(again["id"]), "--reason", "lần nữa")

    limits = run("limits", h.CUSTOMS_SYS, "--rate", "50", "--burst", "100", "--quota", "5000")
    assert limits["daily_quota"] == 5000
    assert limits["default"] is False
    assert run("stats")["services"] == []
    looked = run("once-only", PORT_TAX_CODE)
    assert [s["id"] for s in looked["services"]] == [f"VN/{h.TOS}/vessels"]
    run("service", "remove", f"{h.TOS}/berths")
    assert [s["code"] for s in run("service", "list")] == ["vessels"]
