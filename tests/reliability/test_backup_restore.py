"""`make backup` then `make restore` give back every row and every media file.

Runs the real scripts against a scratch PostgreSQL database of its own (not pytest's test
database, which the scripts would wipe), filled by `manage.py seed_demo`.
"""

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import environ
import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

needs_postgresql = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="backup and restore need PostgreSQL (CI's second run sets DATABASE_URL)",
)

# Tables whose whole content is compared, not only counted: the registers and the accounts.
CHECKSUMMED_TABLES = [
    "accounts_user",
    "communes_commune",
    "casefiles_person",
    "assessments_assessment",
    "django_migrations",
]


def _connect(url: str):
    config = environ.Env.db_url_config(url)
    connection = psycopg2.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname=config["NAME"],
    )
    connection.autocommit = True
    return connection


@pytest.fixture
def scratch_database_url():
    name = f"bk_backup_{secrets.token_hex(4)}"
    server_url = DATABASE_URL.rsplit("/", 1)[0]
    admin = _connect(f"{server_url}/postgres")
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _run(args, env, *, check=True, answer=None):
    return subprocess.run(  # noqa: S603 — fixed commands of this repository, our own arguments
        args, cwd=ROOT, env=env, check=check, input=answer, capture_output=True, text=True
    )


def _make(*args, env, **kwargs):
    return _run([shutil.which("make"), "--no-print-directory", *args], env, **kwargs)


def _row_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 — names from the catalog
        counts[table] = cursor.fetchone()[0]
    return counts


def _tables(url: str) -> dict[str, int]:
    with closing(_connect(url)) as connection, connection.cursor() as cursor:
        return _row_counts(cursor)


def _snapshot(url: str) -> dict:
    """Exact row counts of every table, sequence positions, and checksums of key tables."""
    with closing(_connect(url)) as connection, connection.cursor() as cursor:
        counts = _row_counts(cursor)
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
        sequences = dict(cursor.fetchall())
        checksums = {}
        for table in CHECKSUMMED_TABLES:
            cursor.execute(f'SELECT t::text FROM "{table}" t ORDER BY 1')  # noqa: S608 — ours
            rows = "\n".join(row for (row,) in cursor.fetchall())
            checksums[table] = hashlib.sha256(rows.encode()).hexdigest()
    return {"counts": counts, "sequences": sequences, "checksums": checksums}


@needs_postgresql
def test_backup_wipe_restore_gives_back_every_row(scratch_database_url, tmp_path):
    media = tmp_path / "media"
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},  # seeding runs no worker
        "DATABASE_URL": scratch_database_url,
        "MEDIA_ROOT": str(media),
    }
    manage = [sys.executable, "manage.py"]
    _run([*manage, "migrate", "--noinput", "-v", "0"], env)
    _run([*manage, "seed_demo", "--password", "demo-only-password"], env)
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "annual-20.pdf").write_bytes(b"%PDF- synthetic report")
    before = _snapshot(scratch_database_url)
    assert before["counts"]["communes_commune"] == 65  # the demo province was seeded
    assert before["counts"]["casefiles_person"] > 0

    dump = tmp_path / "backups" / "test.dump"
    _make("backup", f"BACKUP_FILE={dump}", env=env)
    assert dump.stat().st_size > 0
    assert (tmp_path / "backups" / "test.media.tar.gz").exists()

    with closing(_connect(scratch_database_url)) as connection, connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    (media / "reports" / "annual-20.pdf").unlink()
    assert _tables(scratch_database_url) == {}

    refused = _make("restore", f"BACKUP_FILE={dump}", env=env, check=False, answer="no\n")
    assert refused.returncode != 0
    assert _tables(scratch_database_url) == {}  # no "yes", nothing restored

    _make("restore", f"BACKUP_FILE={dump}", "CONFIRM=yes", env=env)
    assert _snapshot(scratch_database_url) == before
    assert (media / "reports" / "annual-20.pdf").read_bytes() == b"%PDF- synthetic report"


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = _run(
        [shutil.which("bash"), "scripts/backup.sh", str(tmp_path / "x.dump")], env, check=False
    )
    assert result.returncode == 2
    assert "PostgreSQL only" in result.stderr
    assert not (tmp_path / "x.dump").exists()
