"""The real `ckanapi` client and command line against a real `lienthong serve` process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ckanapi
import httpx
import pytest

BIN = Path(sys.executable).parent
SCHEMA = {"fields": [{"name": "ma_xa", "type": "string"}, {"name": "dan_so", "type": "integer"}]}


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"lienthong serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"lienthong serve did not become ready:\n{log.read_text()}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`lienthong init` then `lienthong serve` on a fresh SQLite file and a free port."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "LIENTHONG_DATABASE_URL": f"sqlite:///{tmp_path / 'lienthong.db'}",
        "LIENTHONG_DATA_DIR": str(tmp_path / "data"),
        "LIENTHONG_SITE_URL": url,
        "LIENTHONG_LOG_JSON": "false",
        "HOME": str(tmp_path),
    }
    init = subprocess.run(
        [BIN / "lienthong", "--json", "init"], env=env, capture_output=True, text=True, timeout=120
    )
    assert init.returncode == 0, init.stderr
    token = json.loads(init.stdout)["key"]["token"]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [BIN / "lienthong", "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    try:
        _wait_ready(url, proc, log)
        yield Server(url, token, env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _ckanapi(server: Server, *args: str) -> list[dict[str, object]]:
    """Run the ckanapi command line; its output is one JSON document per line."""
    done = subprocess.run(
        [BIN / "ckanapi", *args, "-r", server.url],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_remote_ckan_and_the_command_line(server: Server) -> None:
    site = ckanapi.RemoteCKAN(server.url, apikey=server.token, user_agent="lienthong-tests")
    anonymous = ckanapi.RemoteCKAN(server.url, user_agent="lienthong-tests")

    org = site.action.organization_create(name="gov-h31", title="UBND thành phố Hải Phòng")
    assert org["name"] == "gov-h31"
    created = site.action.package_create(
        name="dan-so-xa",
        title="Dân số theo xã, phường Hải Phòng",
        owner_org="gov-h31",
        notes="Dân số 114 xã, phường, đặc khu",
        tags=[{"name": "dân cư"}],
        extras=[
            {"key": "schema", "value": json.dumps(SCHEMA)},
            {"key": "classification", "value": "public"},
        ],
    )
    site.action.package_create(
        name="ho-kinh-doanh", title="Hộ kinh doanh", owner_org="gov-h31", schema=SCHEMA
    )
    shown = site.action.package_show(id="dan-so-xa")
    assert shown["id"] == created["id"]
    assert shown["organization"]["name"] == "gov-h31"
    assert (
        shown["resources"][0]["url"] == f"{server.url}/api/v1/datasets/dan-so-xa/records?format=csv"
    )
    assert shown["resources"][0]["datastore_active"] is True
    download = httpx.get(shown["resources"][0]["url"], timeout=30)
    assert download.status_code == 200, download.text
    header = download.text.lstrip("\ufeff").splitlines()[0].split(",")
    assert {"ma_xa", "dan_so"} <= set(header)

    # ckanapi raises its own exceptions from our error envelopes
    with pytest.raises(ckanapi.ValidationError) as invalid:
        site.action.package_create(name="dan-so-xa", owner_org="gov-h31", schema=SCHEMA)
    assert invalid.value.error_dict["name"] == ["That URL is already in use."]
    with pytest.raises(ckanapi.NotFound):
        site.action.package_show(id="khong-co")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="trom", owner_org="gov-h31", schema=SCHEMA)
    with pytest.raises(ckanapi.SearchQueryError):
        site.action.package_search(fq="metadata_modified:[yesterday TO *]")

    found = site.action.package_search(q="hai phong", **{"facet.field": ["tags"]})
    assert [r["name"] for r in found["results"]] == ["dan-so-xa"]
    assert found["facets"] == {"tags": {"dân cư": 1}}
    assert anonymous.action.package_search()["count"] == 1  # the shared one is for members
    assert site.action.organization_list() == ["gov-h31"]
    assert site.action.organization_list(all_fields=True)[0]["package_count"] == 2

    dumped = _ckanapi(server, "dump", "datasets", "--all", "-a", server.token)
    assert sorted(str(d["name"]) for d in dumped) == ["dan-so-xa", "ho-kinh-doanh"]
    assert [d["name"] for d in _ckanapi(server, "dump", "datasets", "--all")] == ["dan-so-xa"]
    searched = _ckanapi(server, "search", "datasets", "q=hai phong")
    assert [(d["name"], d["title"]) for d in searched] == [
        ("dan-so-xa", "Dân số theo xã, phường Hải Phòng")
    ]
    by_org = _ckanapi(server, "search", "datasets", 'fq:"organization:gov-h31"', "-a", server.token)
    assert sorted(str(d["name"]) for d in by_org) == ["dan-so-xa", "ho-kinh-doanh"]
