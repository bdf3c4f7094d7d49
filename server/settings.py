"""The city server's settings: where the database, blobs and keys live, and the protocol limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from server.errors import BadRequest

__all__ = ["ServerSettings", "normalise_db_url"]

DEFAULT_VAR = Path("var")


def normalise_db_url(url: str) -> str:
    """Return `url` in the form SQLAlchemy wants: plain ``postgresql://`` means psycopg 3.

    :param url: ``sqlite:///path``, ``postgresql://...`` or ``postgresql+psycopg://...``
    :raises BadRequest: the scheme is neither SQLite nor PostgreSQL
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("postgresql+psycopg://", "sqlite://")):
        return url
    raise BadRequest(
        f"Địa chỉ cơ sở dữ liệu không hỗ trợ: {url}",
        f"Unsupported database URL: {url} (use sqlite:/// or postgresql://)",
        code="bad_db_url",
    )


@dataclass(frozen=True)
class ServerSettings:
    """What one city server runs with; every path defaults to a place under ``./var``.

    ``ServerSettings(db_url="sqlite:///var/city.db")`` is the embedded default;
    ``db_schema`` puts every table in one PostgreSQL schema (tests use a fresh one each).
    """

    db_url: str = f"sqlite:///{DEFAULT_VAR / 'city.db'}"
    db_schema: str | None = None
    blobs_dir: Path = DEFAULT_VAR / "blobs"
    keys_dir: Path = DEFAULT_VAR / "keys"
    uploads_dir: Path = DEFAULT_VAR / "uploads"
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 8 * 1024 * 1024
    max_bundle_bytes: int = 512 * 1024 * 1024
    max_blob_bytes: int = 64 * 1024 * 1024
    upload_ttl_seconds: int = 7 * 24 * 3600
    max_batch_events: int = 1000
    clock_skew_seconds: int = 300
    enrolment_ttl_seconds: int = 7 * 24 * 3600
    token_ttl_seconds: int = 12 * 3600
    feed_page_max: int = 500

    def __post_init__(self) -> None:
        object.__setattr__(self, "db_url", normalise_db_url(self.db_url))
        object.__setattr__(self, "blobs_dir", Path(self.blobs_dir))
        object.__setattr__(self, "keys_dir", Path(self.keys_dir))
        object.__setattr__(self, "uploads_dir", Path(self.uploads_dir))

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.db_url.startswith("sqlite")
