"""What every request handler shares: settings, database, keys, catalogue, clock and blob store."""

from __future__ import annotations

from dataclasses import dataclass

from core.catalogue import Catalogue
from core.clock import HybridClock
from server.blobstores import BlobStore
from server.db import Database
from server.feed import CatalogueVersions, catalogue_history
from server.keys import ServerKeys
from server.settings import ServerSettings

__all__ = ["SERVER_NODE", "ServerContext"]

# The node name the server stamps its own events with (workflow actions of city staff).
SERVER_NODE = "city-server"


@dataclass(frozen=True)
class ServerContext:
    """The long-lived objects of one running server, built once by ``create_app``."""

    settings: ServerSettings
    db: Database
    keys: ServerKeys
    clock: HybridClock
    blobs: BlobStore

    @property
    def catalogue(self) -> Catalogue:
        """The catalogue in force today: shipped, or a newer version the city published."""
        with self.db.read() as conn:
            return catalogue_history(conn).today()

    def catalogue_version(self, version: str) -> Catalogue:
        """Return the catalogue of one version id, shipped or published by the city.

        :raises UnknownProcedure: (core) no publication has this version id.
        """
        with self.db.read() as conn:
            return CatalogueVersions(conn).version(version)
