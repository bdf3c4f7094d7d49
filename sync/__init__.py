"""The device sync engine: outbox, resumable uploads, change feed, offline bundles.

::

    device = DeviceRuntime.open(data_dir, pin)           # unlocked vault + identity + state
    with device.http() as http:                          # signed httpx client (injected)
        report = device.engine(http).run_once()          # blobs up, events up, feed down
    device.close()

The parts: ``client`` (the only door to the server, translating httpx errors), ``tus``
(resumable checksummed uploads), ``plan`` (pure decisions), ``engine`` (one run), ``runner``
and ``scheduler`` (when to run), ``signing`` (Ed25519 request signatures), ``bundle`` (sealed
offline bundles), ``faultproxy`` (the bad link the tests and benchmarks run over).
"""

from __future__ import annotations

from sync.backoff import Backoff
from sync.bundle import MAGIC, seal_bundle
from sync.chunking import ChunkPolicy
from sync.client import SyncClient
from sync.device import DeviceIdentity, load_identity, request_enrolment, store_identity
from sync.engine import RunReport, SyncEngine
from sync.errors import (
    ChecksumMismatch,
    ClockSkewed,
    NotEnrolled,
    Offline,
    OffsetMismatch,
    ServerRefused,
    SyncError,
    TimedOut,
    UploadGone,
)
from sync.faultproxy import FaultPlan, FaultProxy
from sync.plan import FeedPage, Outcomes, event_batches, page_hashes, read_feed_page, sort_outcomes
from sync.progress import Progress, ProgressSnapshot
from sync.runner import run_scheduled, sync_until_done
from sync.runtime import DeviceRuntime
from sync.scheduler import Action, Step, SyncScheduler
from sync.signing import ServerClock, SigningAuth
from sync.state import SyncState
from sync.tus import TusUploader

__all__ = [
    "MAGIC",
    "Action",
    "Backoff",
    "ChecksumMismatch",
    "ChunkPolicy",
    "ClockSkewed",
    "DeviceIdentity",
    "DeviceRuntime",
    "FaultPlan",
    "FaultProxy",
    "FeedPage",
    "NotEnrolled",
    "Offline",
    "OffsetMismatch",
    "Outcomes",
    "Progress",
    "ProgressSnapshot",
    "RunReport",
    "ServerClock",
    "ServerRefused",
    "SigningAuth",
    "Step",
    "SyncClient",
    "SyncEngine",
    "SyncError",
    "SyncScheduler",
    "SyncState",
    "TimedOut",
    "TusUploader",
    "UploadGone",
    "event_batches",
    "load_identity",
    "page_hashes",
    "read_feed_page",
    "request_enrolment",
    "run_scheduled",
    "seal_bundle",
    "sort_outcomes",
    "store_identity",
    "sync_until_done",
]
