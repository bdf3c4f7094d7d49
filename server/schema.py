"""The city server's tables (SQLAlchemy Core), one definition for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "audit_log",
    "changes",
    "devices",
    "documents",
    "dossier_figures",
    "dossier_units",
    "dossiers",
    "enrolment_codes",
    "events",
    "handoffs",
    "idempotency",
    "metadata",
    "nonces",
    "page_refs",
    "publications",
    "rate_hits",
    "schema_migrations",
    "staff",
    "staff_tokens",
]

metadata = MetaData()

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT identity columns.
Serial = BigInteger().with_variant(Integer(), "sqlite")

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("applied_at", Float, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("unit_code", String(10), nullable=False, index=True),
    Column("public_key", LargeBinary, nullable=False),
    Column("slot", Integer, nullable=False),
    Column("status", String(10), nullable=False),  # active | wiping | revoked
    Column("label", String(200), nullable=False, default=""),
    Column("enrolled_at", Float, nullable=False),
    Column("revoked_at", Float),
)

enrolment_codes = Table(
    "enrolment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("unit_code", String(10), nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("used_at", Float),
    Column("device_id", String(36)),
)

nonces = Table(
    "nonces",
    metadata,
    Column("device_id", String(36), primary_key=True),
    Column("nonce", String(100), primary_key=True),
    Column("expires_at", Float, nullable=False, index=True),
)

# Citizen lookups counted per limiter and key (a client digest, a dossier code), here rather than
# in memory so that every server process behind one database shares the limits (migration 3).
rate_hits = Table(
    "rate_hits",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("limiter", String(20), nullable=False),
    Column("key", String(100), nullable=False),
    Column("at", Float, nullable=False),  # seconds since the epoch
    Index("ix_rate_hits_limiter_key_at", "limiter", "key", "at"),
)

staff = Table(
    "staff",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("password_hash", String(300), nullable=False),
    Column("role", String(30), nullable=False),
    Column("unit_code", String(10)),
    Column("active", Boolean, nullable=False, default=True),
)

staff_tokens = Table(
    "staff_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=False),
    Column("expires_at", Float, nullable=False),
)

idempotency = Table(
    "idempotency",
    metadata,
    Column("device_id", String(36), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", Float, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("dossier_id", String(36), nullable=False, index=True),
    Column("type", String(40), nullable=False),
    Column("hlc", String(60), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("unit_code", String(10), nullable=False),
    Column("body", Text, nullable=False),
    Column("stored_at", Float, nullable=False),
)

dossiers = Table(
    "dossiers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(60), nullable=False, index=True),
    Column("procedure_code", String(60), nullable=False),
    Column("status", String(30), nullable=False),
    Column("receiving_unit", String(10), nullable=False),
    Column("competent_unit", String(10), nullable=False),
    Column("current_unit", String(10), nullable=False),
    Column("applicant_cccd", String(20), index=True),
    Column("received_at", String(40)),
    Column("due_at", String(40)),
    Column("updated_at", Float, nullable=False),
)

# What core.figures.index766 needs of each dossier, kept current at ingest so figures never fold
# histories (added by migration 2). Instants are microseconds since the epoch: exact, and they
# compare in SQL as the aware datetimes they stand for.
dossier_figures = Table(
    "dossier_figures",
    metadata,
    Column("dossier_id", String(36), primary_key=True),
    Column("competent_unit", String(10), nullable=False),
    Column("status", String(30), nullable=False),
    Column("received_us", BigInteger, nullable=False),
    Column("original_due_us", BigInteger, nullable=False),
    Column("finished_us", BigInteger),
    Column("closed_us", BigInteger),
    Column("online", Boolean, nullable=False),
    Column("digitised_dossier", Boolean, nullable=False),
    Column("components", Integer, nullable=False),
    Column("reused_components", Integer, nullable=False),
    Column("fee_bearing", Boolean, nullable=False),
    Column("paid_online", Boolean, nullable=False),
    # Outcome of a finished dossier, fixed once finished_at is (rating as last known).
    Column("finished_on_time", Boolean, nullable=False),
    Column("digitised_result", Boolean, nullable=False),
    Column("unsatisfied_or_late", Boolean, nullable=False),
    Index("ix_dossier_figures_unit_received", "competent_unit", "received_us"),
    Index("ix_dossier_figures_received", "received_us"),
)

dossier_units = Table(
    "dossier_units",
    metadata,
    Column("dossier_id", String(36), primary_key=True),
    Column("unit_code", String(10), primary_key=True),
    Index("ix_dossier_units_unit", "unit_code"),
)

handoffs = Table(
    "handoffs",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("dossier_id", String(36), nullable=False, index=True),
    Column("event_id", String(36), nullable=False),
    Column("from_unit", String(10), nullable=False),
    Column("to_unit", String(10), nullable=False),
    Column("kind", String(20), nullable=False),  # routed | handed_over
    Column("note", Text, nullable=False, default=""),
    Column("at", Float, nullable=False),
)

changes = Table(
    "changes",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("unit_code", String(10)),  # NULL with NULL device: a publication for every unit
    Column("device_id", String(36)),  # a command for one device
    Column("kind", String(20), nullable=False),  # event | catalogue | calendar | command
    Column("body", Text, nullable=False),
    Index("ix_changes_unit_seq", "unit_code", "seq"),
    Index("ix_changes_device_seq", "device_id", "seq"),
)

publications = Table(
    "publications",
    metadata,
    Column("kind", String(20), primary_key=True),
    Column("version", String(60), primary_key=True),
    Column("body", Text, nullable=False),
    Column("published_at", Float, nullable=False),
)

page_refs = Table(
    "page_refs",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, index=True),
    Column("dossier_id", String(36), nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("cccd", String(20), nullable=False),
    Column("document_type", String(100), nullable=False),
    Column("dossier_id", String(36), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("pages", Text, nullable=False),
    Column("is_result", Boolean, nullable=False),
    Column("stored_at", Float, nullable=False),
    UniqueConstraint("event_id", "document_type", name="uq_documents_event_type"),
    Index("ix_documents_cccd_type", "cccd", "document_type"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Serial, primary_key=True, autoincrement=True),
    Column("at", Float, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
