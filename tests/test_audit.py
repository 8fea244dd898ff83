"""The audit chain: same-transaction entries, tamper detection, append-only guards."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from lienthong.audit.chain import load_public_key
from lienthong.audit.service import Auditor, Entry
from lienthong.audit.verify import verify
from lienthong.core.db import Store
from lienthong.core.platform import Platform
from tests.utils import CUSTOMS, audit_count, auth, grant, make_member, make_user, ok, user_key


def _fill(platform: Platform, n: int = 30) -> None:
    assert isinstance(platform.audit, Auditor)
    with platform.store.write() as conn:
        for i in range(n):
            platform.audit.record(conn, "user:test", "test.event", f"t{i}", {"i": i, "v": "Hải"})


def _report(platform: Platform, workers: int | None = None) -> list[str]:
    key = load_public_key(platform.settings.signing_key_file)
    return verify(platform.store, key, workers=workers).problems


def _unguard(store: Store) -> None:
    """What an attacker with database access does first: lift the append-only guards."""
    with store.write() as conn:
        if store.is_sqlite:
            for t in ("audit_log", "audit_checkpoints"):
                for v in ("UPDATE", "DELETE"):
                    conn.execute(text(f"DROP TRIGGER {t}_no_{v}"))
        else:
            conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            conn.execute(text("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER"))


def _sql(store: Store, *statements: str) -> None:
    with store.write() as conn:
        for s in statements:
            conn.execute(text(s))


def test_intact_chain_verifies(platform: Platform) -> None:
    _fill(platform)
    assert _report(platform) == []


def test_edited_entry_is_found(platform: Platform) -> None:
    _fill(platform)
    _unguard(platform.store)
    _sql(platform.store, "UPDATE audit_log SET target = 'forged' WHERE seq = 12")
    assert _report(platform)[0] == "entry 12: content does not match its hash (edited)"


def test_edited_and_rehashed_entry_breaks_the_next_link(platform: Platform) -> None:
    from lienthong.audit.chain import entry_hash

    _fill(platform)
    _unguard(platform.store)
    with platform.store.write() as conn:
        r = conn.execute(text("SELECT * FROM audit_log WHERE seq = 7")).mappings().one()
        forged = entry_hash(
            r["prev_hash"],
            7,
            r["ts"],
            "user:mallory",
            r["member_id"],
            r["action"],
            r["target"],
            r["details"],
        )
        conn.execute(
            text("UPDATE audit_log SET actor = 'user:mallory', hash = :h WHERE seq = 7"),
            {"h": forged},
        )
    assert _report(platform)[0] == "entry 8: its previous hash does not match entry 7"


def test_deleted_entry_is_found(platform: Platform) -> None:
    _fill(platform)
    _unguard(platform.store)
    _sql(platform.store, "DELETE FROM audit_log WHERE seq = 5")
    problems = _report(platform)
    assert problems[0] == "entries 5–5 are missing (deleted) before entry 6"


def test_reordered_entries_are_found(platform: Platform) -> None:
    _fill(platform)
    _unguard(platform.store)
    # swap two entries' contents, keeping their positions
    _sql(
        platform.store,
        "UPDATE audit_log SET seq = -1 WHERE seq = 10",
        "UPDATE audit_log SET seq = 10 WHERE seq = 11",
        "UPDATE audit_log SET seq = 11 WHERE seq = -1",
    )
    problems = _report(platform)
    assert problems[0].startswith("entry 10:")


def test_inserted_entry_is_found(platform: Platform) -> None:
    _fill(platform)
    _unguard(platform.store)
    _sql(
        platform.store,
        "UPDATE audit_log SET seq = seq + 1000 WHERE seq > 15",
        "UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000",
        "INSERT INTO audit_log"
        " (seq, ts, actor, member_id, action, target, details, prev_hash, hash)"
        " SELECT 16, ts, 'user:mallory', NULL, 'key.create', 'x', '{}', hash, hash"
        " FROM audit_log WHERE seq = 15",
    )
    problems = _report(platform)
    assert problems[0] == "entry 16: content does not match its hash (edited)"
    # renumbering the entries after it changes what their hashes cover too
    assert any(p.startswith("entry 17:") for p in problems)


def test_truncated_tail_and_forged_checkpoint_are_found(platform: Platform) -> None:
    assert isinstance(platform.audit, Auditor)
    _fill(platform, 10)
    with platform.store.write() as conn:
        assert platform.audit.checkpoint(conn, force=True) == 10
    _fill(platform, 5)
    _unguard(platform.store)
    _sql(platform.store, "DELETE FROM audit_log WHERE seq > 8")
    problems = _report(platform)
    assert "checkpoint 10: signs entries past the end of the log (truncated)" in problems

    # the first hex digit changed, whatever it was (a fixed 'f' left 1 hash in 16 as it was)
    _sql(
        platform.store,
        "UPDATE audit_checkpoints SET hash ="
        " CASE WHEN substr(hash, 1, 1) = '0' THEN '1' ELSE '0' END || substr(hash, 2)",
    )
    assert "checkpoint 10: signature is not valid (forged or altered)" in _report(platform)


def test_checkpoint_signed_with_another_key_is_forged(platform: Platform, tmp_path: Path) -> None:
    from lienthong.audit.chain import load_or_create_signer

    _fill(platform, 3)
    mallory = Auditor(load_or_create_signer(tmp_path / "mallory.pem"))
    with platform.store.write() as conn:
        mallory.checkpoint(conn, force=True)
    assert _report(platform) == ["checkpoint 3: signature is not valid (forged or altered)"]


def test_checkpoints_every_n_entries(platform: Platform) -> None:
    auditor = Auditor(platform.audit.signer, every=10)  # type: ignore[attr-defined]
    with platform.store.write() as conn:
        auditor.record_many(conn, [Entry("user:t", "bulk", str(i)) for i in range(25)])
        auditor.record(conn, "user:t", "one", "x")
    with platform.store.read() as conn:
        seqs = [r[0] for r in conn.execute(text("SELECT seq FROM audit_checkpoints"))]
    assert seqs == [25]
    assert _report(platform) == []


def test_append_only_guards_refuse_update_and_delete(platform: Platform) -> None:
    _fill(platform, 3)
    with platform.store.write() as conn:
        platform.audit.checkpoint(conn, force=True)  # type: ignore[attr-defined]
    for statement in (
        "UPDATE audit_log SET actor = 'x'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_checkpoints",
    ):
        with pytest.raises(Exception, match="append-only"), platform.store.write() as conn:
            conn.execute(text(statement))
    assert audit_count(platform.store) == 3


def test_api_refuses_to_change_entries(client: TestClient, admin_token: str) -> None:
    for method in ("PUT", "PATCH", "DELETE"):
        resp = client.request(method, "/api/v1/audit/1", headers=auth(admin_token), json={})
        assert resp.status_code == 405
        assert "append-only" in resp.json()["detail"]


def _doomed_change(platform: Platform) -> None:
    with platform.store.write() as conn:
        platform.audit.record(conn, "user:t", "doomed", "x")
        raise RuntimeError("the change failed")


def test_entry_rolls_back_with_its_change(platform: Platform) -> None:
    _fill(platform, 2)
    with pytest.raises(RuntimeError):
        _doomed_change(platform)
    assert audit_count(platform.store) == 2
    assert _report(platform) == []


def test_concurrent_writers_keep_one_chain(platform: Platform) -> None:
    def work() -> None:
        for i in range(20):
            with platform.store.write() as conn:
                platform.audit.record(conn, "user:t", "parallel", str(i))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert audit_count(platform.store) == 120
    assert _report(platform) == []


def test_org_admin_reads_only_own_entries(client: TestClient, admin_token: str) -> None:
    make_member(client, admin_token)
    make_member(client, admin_token, CUSTOMS)
    make_user(client, admin_token, "thu")
    grant(client, admin_token, "thu", "org_admin", "GOV/H31")
    thu = user_key(client, admin_token, "thu")
    client.patch(
        "/api/v1/members/GOV/G12.31", json={"name_en": "Customs"}, headers=auth(admin_token)
    )
    seen = ok(client.get("/api/v1/audit", headers=auth(thu)))["entries"]
    assert seen
    assert all(e["member_id"] == seen[0]["member_id"] for e in seen)
    assert "member.update" not in {e["action"] for e in seen}
    everything = ok(client.get("/api/v1/audit?limit=1000", headers=auth(admin_token)))["entries"]
    assert len(everything) > len(seen)
    page = ok(client.get("/api/v1/audit?limit=2", headers=auth(admin_token)))
    nxt = ok(
        client.get(f"/api/v1/audit?limit=2&after={page['next_after']}", headers=auth(admin_token))
    )
    assert nxt["entries"][0]["seq"] == page["entries"][-1]["seq"] + 1


def test_cli_verify_exits_non_zero_on_tampering(platform: Platform) -> None:
    _fill(platform, 5)
    env = {
        "LIENTHONG_DATABASE_URL": platform.store.url,
        "LIENTHONG_DATA_DIR": str(platform.settings.data_dir),
        "PATH": "/usr/bin:/bin",
    }
    cmd = [sys.executable, "-m", "lienthong.cli", "audit", "verify"]
    good = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stderr
    assert "5 entries" in good.stdout
    _unguard(platform.store)
    _sql(platform.store, "UPDATE audit_log SET details = '{}' WHERE seq = 3")
    bad = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "entry 3: content does not match its hash (edited)" in bad.stderr


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_ranges_join_and_find_tampering(platform: Platform, workers: int) -> None:
    _fill(platform, 60)
    assert _report(platform, workers) == []
    _unguard(platform.store)
    # the entries at and around the ranges' edges: deleted, edited
    _sql(
        platform.store,
        "DELETE FROM audit_log WHERE seq = 31",
        "UPDATE audit_log SET target = 'x' WHERE seq = 21",
    )
    problems = _report(platform, workers)
    assert problems[0] == "entry 21: content does not match its hash (edited)"
    assert "entries 31–31 are missing (deleted) before entry 32" in problems
    assert "entry 32: its previous hash does not match entry 31" in problems


def test_control_characters_are_refused(platform: Platform) -> None:
    with pytest.raises(ValueError, match="control characters"), platform.store.write() as conn:
        platform.audit.record(conn, "user:x", "a\x1fb", "t")
