"""The append-only, hash-chained audit log, its signed checkpoints and verification."""
