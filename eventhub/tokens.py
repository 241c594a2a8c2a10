"""Random secrets handed out as links or bearer tokens, and the digest that is all the database keeps of them."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token(prefix: str = "") -> tuple[str, str]:
    """A fresh random token (``prefix`` + 43 URL-safe characters) and its SHA-256 digest (hex)."""
    token = prefix + secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """SHA-256 (hex) of ``token``; lone surrogates from a malformed URL hash instead of raising."""
    return hashlib.sha256(token.encode("utf-8", errors="surrogatepass")).hexdigest()
