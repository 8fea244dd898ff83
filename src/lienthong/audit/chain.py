"""The chain's arithmetic: canonical entries, hashes and checkpoint signatures."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

GENESIS = "0" * 64

# entries are joined with the unit separator; append() refuses control
# characters in the text fields and `details` is JSON (which escapes them),
# so the joined form is unambiguous. It is ~4x cheaper than a JSON array.
SEP = "\x1f"


def canonical_entry(
    seq: int, ts: str, actor: str, member_id: int | None, action: str, target: str, details: str
) -> str:
    member = "" if member_id is None else str(member_id)
    return f"{seq}{SEP}{ts}{SEP}{actor}{SEP}{member}{SEP}{action}{SEP}{target}{SEP}{details}"


def entry_hash(
    prev_hash: str,
    seq: int,
    ts: str,
    actor: str,
    member_id: int | None,
    action: str,
    target: str,
    details: str,
) -> str:
    """SHA-256 of the previous hash followed by the canonical entry.

    >>> ts = "2025-07-01T00:00:00.000000Z"
    >>> len(entry_hash(GENESIS, 1, ts, "local:root", None, "a", "t", "{}"))
    64
    """
    body = canonical_entry(seq, ts, actor, member_id, action, target, details)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


CONTROL = re.compile("[\x00-\x1f\x7f]")


def has_control_chars(text: str) -> bool:
    """C0 controls and DEL (one regex scan: this runs for every entry appended).

    >>> has_control_chars("VN/GOV/G12.31"), has_control_chars("a\\nb"), has_control_chars("\\x7f")
    (False, True, True)
    """
    return CONTROL.search(text) is not None


def checkpoint_message(seq: int, chain_hash: str, ts: str) -> bytes:
    return f"lienthong-audit-checkpoint\n{seq}\n{chain_hash}\n{ts}".encode()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Signer:
    """An Ed25519 key that signs checkpoints."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self.private = private
        self.public = private.public_key()
        self.key_id = key_id(self.public)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode()

    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def load_or_create_signer(path: Path) -> Signer:
    """Read the signing key, creating it (mode 0600) on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} does not hold an Ed25519 private key")
        return Signer(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return Signer(private)


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A public key from a PEM file holding either half of the key pair."""
    data = path.read_bytes()
    key: Any
    if b"PRIVATE KEY" in data:
        key = serialization.load_pem_private_key(data, password=None).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


def signature_valid(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    try:
        public.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
