"""Random tokens and how we keep them: only a hash is stored for anything that
grants access (sessions, API tokens, invitations)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_TOKEN_PREFIX = "sl_"


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
