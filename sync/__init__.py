"""The device sync engine: outbox, resumable uploads, change feed, offline bundles."""
