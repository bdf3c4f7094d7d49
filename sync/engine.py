"""One sync run: page blobs up (only those the server lacks), events up, the change feed down,
then the pages the feed named that the vault lacks (dossiers routed in from other units).

Every step is safe to repeat. Blobs are content-addressed and resumable; an event batch's
Idempotency-Key is the hash of its body, so a batch re-sent after a lost answer gets the same
answer; each feed page is applied before its cursor is saved, and applying it twice changes
nothing; a downloaded page counts as held only once its vault row is committed. Kill the
process anywhere and the next run simply goes on.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from core.clock import Timestamp
from core.events import Event
from storage.errors import NotFound
from sync.chunking import KIB, ChunkPolicy
from sync.client import SyncClient
from sync.device import DeviceIdentity
from sync.errors import Offline, ServerRefused, SyncError
from sync.plan import (
    FeedPage,
    event_batches,
    page_hashes,
    page_sizes,
    read_feed_page,
    sort_outcomes,
    verify_command,
)
from sync.progress import Progress
from sync.state import SyncState
from sync.tus import TusUploader

__all__ = ["FEED_CURSOR", "HLC_LAST", "PAGES_WANTED", "RunReport", "SyncEngine"]

FEED_CURSOR = "feed.cursor"
HLC_LAST = "clock.hlc_last"
PAGES_WANTED = "pages.wanted"
# Pages fetched per run, by their declared sizes: at 2G's ~40 kbit/s about seven minutes, so a
# run ends and the next one (events first) goes on with the rest. One page always goes.
PAGE_BUDGET = 2 * 1024 * 1024
# Cuts one page may survive within a run, each resumed from the last byte that arrived.
PAGE_RESUMES = 3
# A few uploads in flight fill a high-latency link: while one waits for its answer, the others
# send. More than this only splits the same bandwidth further.
UPLOAD_WORKERS = 3
PLAN_LOOKAHEAD = 10_000
FEED_PAGE_MAX = 200
FEED_PAGE_MIN = 5
MALFORMED_RETRIES = 3


@dataclass
class RunReport:
    """What one run did."""

    blobs_uploaded: int = 0
    blobs_already_there: int = 0
    events_confirmed: int = 0
    events_quarantined: int = 0
    feed_events: int = 0
    unanswered: int = 0
    pages_fetched: int = 0
    pages_damaged: int = 0
    pages_unavailable: int = 0
    wiped: bool = False


class SyncEngine:
    """Runs sync against an unlocked vault session and an injected SyncClient.

    ::

        engine = SyncEngine(session, client, state, identity, on_wipe=vault.wipe)
        report = engine.run_once()     # raises Offline etc.; run again later, nothing is lost
    """

    def __init__(
        self,
        session: Any,
        client: SyncClient,
        state: SyncState,
        identity: DeviceIdentity,
        *,
        on_wipe: Callable[[], None],
        on_publication: Callable[[dict[str, Any]], None] | None = None,
        progress: Progress | None = None,
        policy: ChunkPolicy | None = None,
        workers: int = UPLOAD_WORKERS,
        page_budget: int = PAGE_BUDGET,
    ):
        self.session = session
        self.client = client
        self.state = state
        self.identity = identity
        self.progress = progress or Progress()
        self.uploader = TusUploader(client, state, policy=policy, progress=self.progress)
        self.workers = workers
        self.page_budget = page_budget
        self.batch_policy = ChunkPolicy(initial=64 * KIB, minimum=2 * KIB, maximum=256 * KIB)
        self.feed_limit = FEED_PAGE_MAX
        self._malformed_tries: dict[int, int] = {}
        self._on_wipe = on_wipe
        self._on_publication = on_publication

    def run_once(self) -> RunReport:
        """Push blobs, push events, pull the feed and its missing pages; raise the first error."""
        report = RunReport()
        pending_events = self.session.outbox.pending_events(limit=PLAN_LOOKAHEAD)
        pending_blobs = self.session.outbox.pending_blobs()
        sizes = page_sizes(pending_events)
        self.progress.plan(
            items=len(pending_events) + len(pending_blobs),
            nbytes=sum(sizes.get(sha, 0) for sha in pending_blobs),
        )
        try:
            self.push_blobs(report)
            self.push_events(report)
            self.pull_feed(report)
            if not report.wiped:
                self.pull_pages(report)
        except SyncError as error:
            self.progress.failed(error)
            raise
        return report

    def push_blobs(self, report: RunReport) -> None:
        """Upload every pending page the server lacks, a few at a time, each resumably."""
        pending = self.session.outbox.pending_blobs()
        if not pending:
            return
        missing = set(self.client.missing_blobs(pending))
        present = [sha for sha in pending if sha not in missing]
        if present:
            self.session.outbox.mark_blobs_confirmed(present)
            report.blobs_already_there += len(present)
            for sha in present:
                # An upload that finished just before a crash leaves its resume point behind.
                self.uploader.forget(sha)
        sizes, failure = self._upload([sha for sha in pending if sha in missing])
        # A page counts as sent only when the server itself says it holds it: a reply garbled
        # on the way must not mark a page the server never finished.
        still_missing = set(self.client.missing_blobs(list(sizes)))
        held = [sha for sha in sizes if sha not in still_missing]
        self.session.outbox.mark_blobs_confirmed(held)
        self.progress.confirmed(items=len(held), nbytes=sum(sizes[sha] for sha in held))
        report.blobs_uploaded += len(held)
        if failure is not None:
            raise failure

    def _upload(self, todo: list[str]) -> tuple[dict[str, int], SyncError | None]:
        """Stream uploads through the worker threads; return each tried page's size, 1st error.

        Pages are read from the vault on this thread (its connection is not shared) just before
        a worker is free, so the link never idles between windows and memory stays bounded.
        After the first failure no new upload starts; those in flight finish.
        """
        sizes: dict[str, int] = {}
        failure: SyncError | None = None
        queue = iter(todo)
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running: set[Future] = set()
            while True:
                while failure is None and len(running) < 2 * self.workers:
                    sha = next(queue, None)
                    if sha is None:
                        break
                    data = self.session.blobs.read(sha)
                    sizes[sha] = len(data)
                    running.add(pool.submit(self.uploader.upload, sha, data))
                if not running:
                    return sizes, failure
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    error = future.exception()
                    if isinstance(error, SyncError):
                        failure = failure or error
                    elif error is not None and not isinstance(error, SyncError):
                        raise error

    def push_events(self, report: RunReport) -> None:
        """Send pending events in batches; record each answer; rejected ones go to quarantine."""
        skipped: set[str] = set()
        while True:
            pending = [
                e for e in self.session.outbox.pending_events(limit=500) if e.id not in skipped
            ]
            if not pending:
                return
            for batch in event_batches(pending, max_bytes=self.batch_policy.size):
                try:
                    self._push_batch(batch, report, skipped)
                except SyncError:
                    # On a link that keeps cutting or garbling, smaller batches get through.
                    self.batch_policy.timed_out()
                    raise
                self.batch_policy.succeeded(self.batch_policy.size, seconds=0.0)

    def _push_batch(self, batch: list[Event], report: RunReport, skipped: set[str]) -> None:
        wire = [event.to_wire() for event in batch]
        key = hashlib.sha256(b"\n".join(event.to_json() for event in batch)).hexdigest()
        self.session.outbox.mark_sent([event.id for event in batch])
        outcomes = sort_outcomes(batch, self.client.push_events(wire, key))
        self.session.outbox.mark_confirmed(outcomes.confirmed)
        for event_id, reason in outcomes.quarantined:
            self.session.outbox.quarantine(event_id, reason)
        # An event the answer leaves out waits for the next run instead of looping in this one.
        skipped.update(outcomes.unanswered)
        report.unanswered += len(outcomes.unanswered)
        self.progress.sent(items=len(batch))
        self.progress.confirmed(
            items=len(outcomes.confirmed) + len(outcomes.quarantined),
            quarantined=len(outcomes.quarantined),
        )
        report.events_confirmed += len(outcomes.confirmed)
        report.events_quarantined += len(outcomes.quarantined)

    def pull_feed(self, report: RunReport) -> None:
        """Apply the change feed page by page, saving the cursor after each applied page."""
        cursor = self.state.get(FEED_CURSOR, 0)
        while True:
            try:
                reply = self.client.feed(cursor, self.feed_limit)
            except SyncError:
                self.feed_limit = max(FEED_PAGE_MIN, self.feed_limit // 2)
                raise
            self.feed_limit = min(FEED_PAGE_MAX, self.feed_limit * 2)
            page = read_feed_page(reply, cursor)
            self._check_feed_page(page, cursor)
            for command in page.commands:
                if command.get("command") == "wipe" and verify_command(
                    command, self.identity.signing_key(), self.identity.device_id
                ):
                    self._on_wipe()
                    report.wiped = True
                    return
            self._apply_events(page.events)
            self._want_pages(page.events)
            for publication in page.publications:
                if self._on_publication is not None:
                    self._on_publication(publication)
            report.feed_events += len(page.events)
            self.state.set(FEED_CURSOR, page.cursor)
            if not page.more or page.cursor == cursor:
                return
            cursor = page.cursor

    def pull_pages(self, report: RunReport) -> None:
        """Download the pages the feed named that the vault lacks, up to the run's byte budget.

        Each page is checked against its SHA-256 before it is stored (encrypted, like a scanned
        one, and never queued for upload); a damaged page or one the city does not hold yet
        stays wanted for the next run.
        """
        wanted: dict[str, int] = self.state.get(PAGES_WANTED, {})
        # A page stored just before a kill is held; only the wanted list was behind.
        held = {sha for sha in wanted if self.session.blobs.has(sha)}
        self._forget_wanted(held)
        todo: dict[str, int] = {}
        for sha, size in wanted.items():
            if sha in held:
                continue
            if todo and sum(todo.values()) + size > self.page_budget:
                break
            todo[sha] = size
        self.progress.queue(items=len(todo), nbytes=sum(todo.values()))
        for sha in todo:
            try:
                data = self._fetch_page(sha)
            except ServerRefused as error:
                if error.status != 404:
                    raise
                report.pages_unavailable += 1
                continue
            if hashlib.sha256(data).hexdigest() != sha:
                report.pages_damaged += 1
                continue
            self.session.blobs.put(data)
            self._forget_wanted({sha})
            self.progress.confirmed(items=1, nbytes=len(data))
            report.pages_fetched += 1

    def _fetch_page(self, sha: str) -> bytes:
        """Return a page's bytes as they arrived, resuming after a cut that brought some bytes."""
        data, resumes = bytearray(), 0
        while True:
            before = len(data)
            try:
                self.client.read_page(sha, data, lambda n: self.progress.sent(nbytes=n))
                return bytes(data)
            except Offline:
                resumes += 1
                if resumes > PAGE_RESUMES or len(data) <= before:
                    raise

    def _want_pages(self, events: list[Event]) -> None:
        """Note the pages `events` name that the vault lacks, before the feed cursor moves on."""
        wanted: dict[str, int] = self.state.get(PAGES_WANTED, {})
        lacking = {
            sha: size
            for sha, size in page_sizes(events).items()
            if sha not in wanted and not self.session.blobs.has(sha)
        }
        if lacking:
            self.state.set(PAGES_WANTED, wanted | lacking)

    def _forget_wanted(self, hashes: set[str]) -> None:
        if hashes:
            wanted = self.state.get(PAGES_WANTED, {})
            self.state.set(PAGES_WANTED, {k: v for k, v in wanted.items() if k not in hashes})

    def _check_feed_page(self, page: FeedPage, cursor: int) -> None:
        """Refuse a feed page that cannot be what the server sent; it is fetched again.

        :raises Offline: the cursor does not match the items, an item is malformed (a few
            times at most for one cursor), or an event claims to be this device's but is not.
        """
        mine = [e for e in page.events if e.device_id == self.identity.device_id]
        known: dict[str, set[str]] = {}
        for event in mine:
            if event.dossier_id not in known:
                known[event.dossier_id] = self._event_ids(event.dossier_id)
        unknown = [e for e in mine if e.id not in known[e.dossier_id]]
        if page.malformed:
            self._malformed_tries[cursor] = self._malformed_tries.get(cursor, 0) + 1
        retry_malformed = page.malformed and self._malformed_tries[cursor] <= MALFORMED_RETRIES
        if page.garbled or unknown or retry_malformed:
            self.feed_limit = max(FEED_PAGE_MIN, self.feed_limit // 2)
            raise Offline("GET /v1/feed: garbled reply")

    def _event_ids(self, dossier_id: str) -> set[str]:
        try:
            return {event.id for event in self.session.dossiers.events(dossier_id)}
        except NotFound:
            return set()

    def _apply_events(self, events: list[Event]) -> None:
        by_dossier: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            by_dossier[event.dossier_id].append(event)
        for dossier_events in by_dossier.values():
            self.session.dossiers.append(dossier_events, local=False)
        # The device's next events must sort after everything it has seen, whatever its clock.
        latest = max((event.timestamp for event in events), default=None)
        saved = self.state.get(HLC_LAST)
        if latest is not None and (saved is None or Timestamp.decode(saved) < latest):
            self.state.set(HLC_LAST, latest.encode())
        # Our own events coming back through the feed are on the server, whichever way they
        # travelled (online or in an offline bundle).
        mine = [e for e in events if e.device_id == self.identity.device_id]
        if mine:
            self.session.outbox.mark_confirmed([e.id for e in mine])
            self.session.outbox.mark_blobs_confirmed(sorted(page_hashes(mine)))
