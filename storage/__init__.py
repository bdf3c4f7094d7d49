"""The device vault: encrypted SQLite and blob storage."""
