"""Open the city database (SQLite or PostgreSQL, one code path) and bring its schema up to date."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url

from server import schema
from server.figures import backfill_summaries
from server.settings import ServerSettings

__all__ = ["MIGRATIONS", "Database", "open_database"]

# One PostgreSQL advisory lock serialises writers that append to the change feed, so feed
# sequence numbers become visible in order and a cursor never skips a row committed late.
FEED_LOCK_ID = 0x50_48_0A


# Tables a later migration creates; the initial schema is every other table.
_ADDED_LATER = {schema.dossier_figures, schema.rate_hits}


def _create_initial_schema(conn: Connection) -> None:
    initial = [table for table in schema.metadata.sorted_tables if table not in _ADDED_LATER]
    schema.metadata.create_all(conn, tables=initial, checkfirst=True)


def _add_dossier_figures(conn: Connection) -> None:
    schema.dossier_figures.create(conn, checkfirst=True)
    # Rebuilt from the events, so running the step again (rows already there) is harmless.
    conn.execute(schema.dossier_figures.delete())
    backfill_summaries(conn)


def _add_rate_hits(conn: Connection) -> None:
    schema.rate_hits.create(conn, checkfirst=True)


# (version, name, step); a step only ever adds to what the steps before it built.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial schema", _create_initial_schema),
    (2, "per-dossier figures summary", _add_dossier_figures),
    (3, "portal rate limits shared by server processes", _add_rate_hits),
)


class Database:
    """The server's connection to its database.

    ``db = open_database(settings)``; ``with db.read() as conn: ...``; ``with db.write() as conn:``
    runs one serialised write transaction (SQLite ``BEGIN IMMEDIATE``, PostgreSQL advisory lock).
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """Yield a connection for reading, in a transaction that is rolled back after."""
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self, serialised: bool = True) -> Iterator[Connection]:
        """Yield a connection in one transaction, committed when the block ends.

        :param serialised: take the writers' lock (needed by anything that appends to the feed
            or the audit chain); SQLite always has a single writer
        """
        with self.engine.connect().execution_options(sohoa_immediate=True) as conn, conn.begin():
            if serialised and not self.is_sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": FEED_LOCK_ID})
            yield conn

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied and return their versions."""
        with self.write() as conn:
            schema.schema_migrations.create(conn, checkfirst=True)
            done = set(conn.scalars(select(schema.schema_migrations.c.version)))
            applied = []
            for version, name, step in MIGRATIONS:
                if version in done:
                    continue
                step(conn)
                conn.execute(
                    schema.schema_migrations.insert().values(
                        version=version, name=name, applied_at=time.time()
                    )
                )
                applied.append(version)
        return applied

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (SQLAlchemy docs recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sohoa_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgres_engine(url: str, db_schema: str | None) -> Engine:
    connect_args = {"options": f"-csearch_path={db_schema}"} if db_schema else {}
    engine = create_engine(url, connect_args=connect_args, pool_size=10, max_overflow=20)
    if db_schema:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{db_schema}"'))
    return engine


def open_database(settings: ServerSettings) -> Database:
    """Open the database `settings` names and apply any pending migrations."""
    if settings.is_sqlite:
        engine = _sqlite_engine(settings.db_url)
    else:
        engine = _postgres_engine(settings.db_url, settings.db_schema)
    database = Database(engine)
    database.migrate()
    return database
