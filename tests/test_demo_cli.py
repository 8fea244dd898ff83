"""`lienthong demo`: the whole chain from an empty database, through the real command, on
both stores (tiny scale; `make demo` runs the same command at the default scale)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lienthong.core.db import Store
from lienthong.demo.packs import TABLES
from tests.test_cli import Cli


@pytest.fixture
def cli(store: Store, tmp_path: Path) -> Cli:
    return Cli(store, tmp_path / "data")


def test_demo_from_nothing_then_again(cli: Cli) -> None:
    first = cli.run("demo", "--scale", "0.01", "--no-serve").stdout
    assert "platform admin admin created" in first
    assert f"synthetic and reported rows in {len(TABLES)} datasets" in first
    assert "action plans: 3 created" in first
    assert "figures from the articles reported to the indicators: 4 new" in first
    assert "VN/GOV/G12.31/VNACCS may call VN/COM/0299900011/TOS/ports" in first
    assert "web login: user demo" in first
    assert "indicators:" in first
    assert "unit codes not found" not in first
    # again: nothing is duplicated, every dataset's rows are replaced, keys are fresh
    again = cli.run("demo", "--scale", "0.01", "--no-serve").stdout
    assert "already initialised" in again
    assert "action plans: 0 created" in again
    assert "4 unchanged" in again
    keys = [line for line in again.splitlines() if "subsystem VN/COM/0299900011/TOS:" in line]
    assert len(keys) == 1
    assert keys[0].split(": ")[1] not in first
    datasets = cli.json("dataset", "list")
    assert len(datasets) == len(TABLES)


def test_demo_refuses_a_scale_out_of_range(cli: Cli) -> None:
    done = cli.run("demo", "--scale", "50", "--no-serve", code=2)
    assert "--scale" in done.stderr
    assert "less than or equal to 10" in done.stderr
