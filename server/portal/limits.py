"""A sliding-window rate limiter for citizen lookups, counted in the city database.

Every server process behind one database shares the counts, so running more processes does not
multiply the guesses a client gets at a dossier code and its digits.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, delete, func, insert, select

from server.db import Database
from server.portal.errors import TooManyLookups
from server.schema import rate_hits

__all__ = ["RateLimiter"]


class RateLimiter:
    """Allow at most `limit` hits per key within any `window_seconds`.

    ``limiter = RateLimiter(context.db, "client", 10, 600); limiter.hit("ab12")`` raises
    :class:`TooManyLookups` on the eleventh hit within ten minutes. Limiters with different
    names count apart.

    Two processes hitting one key at the same instant may both get the last hit (PostgreSQL
    readers do not wait for each other); the overshoot is one hit per process at most.
    """

    def __init__(
        self,
        db: Database,
        name: str,
        limit: int,
        window_seconds: float,
        now: Callable[[], float] = time.time,
    ):
        self.db = db
        self.name = name
        self.limit = limit
        self.window_seconds = window_seconds
        self._now = now

    def _refuse_when_full(self, conn: Connection, key: str, now: float) -> None:
        since = now - self.window_seconds
        count, oldest = conn.execute(
            select(func.count(), func.min(rate_hits.c.at)).where(
                rate_hits.c.limiter == self.name, rate_hits.c.key == key, rate_hits.c.at > since
            )
        ).one()
        if count >= self.limit:
            raise TooManyLookups(int(oldest + self.window_seconds - now) + 1)

    def check(self, key: str) -> None:
        """Raise if `key` has no hit left now, without spending one.

        :raises TooManyLookups: the window is full; the error says when to retry
        """
        with self.db.read() as conn:
            self._refuse_when_full(conn, key, self._now())

    def hit(self, key: str) -> None:
        """Spend one hit for `key`, forgetting this limiter's hits that left the window.

        :raises TooManyLookups: the window was already full (the hit is not counted)
        """
        now = self._now()
        with self.db.write(serialised=False) as conn:
            conn.execute(
                delete(rate_hits).where(
                    rate_hits.c.limiter == self.name, rate_hits.c.at <= now - self.window_seconds
                )
            )
            self._refuse_when_full(conn, key, now)
            conn.execute(insert(rate_hits).values(limiter=self.name, key=key, at=now))
