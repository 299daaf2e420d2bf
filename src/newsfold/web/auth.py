"""Who is asking: the implicit reader, a logged-in account, or an API token; and CSRF checks.

A single-user install (the default) has one implicit account and no login: every browser on
the machine reads as that account.  With accounts enabled, readers log in with a name and a
password (hashed with scrypt, a memory-hard function from the standard library), and get a
session cookie (HttpOnly, SameSite=Lax; only its SHA-256 is stored).  Scripts use API tokens
(``Authorization: Bearer …``); the write endpoints need one in both modes, since a page on
another site can make a browser send requests to localhost.

Every form that changes something carries a CSRF token: the session's own for a logged-in
account, otherwise a random value also set as a cookie (double submit), which a page on
another origin can neither read nor set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException, Request
from fastapi.responses import Response

from newsfold.model import Account
from newsfold.store import Store

SESSION_COOKIE = "newsfold_session"
CSRF_COOKIE = "newsfold_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PREFIX = "nf_"

# scrypt parameters (RFC 7914): 16 MiB of memory per hash, about 50 ms on one core
_N, _R, _P = 2**14, 8, 1
_MAX_PASSWORD = 1024  # longer input is refused rather than hashed: it only costs the server


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash``, salt and hash in base64: the parameters travel with the hash,
    so raising them later leaves old hashes verifiable."""
    if not password or len(password) > _MAX_PASSWORD:
        raise ValueError(f"a password must have 1 to {_MAX_PASSWORD} characters")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 1024 * 1024)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or len(password) > _MAX_PASSWORD:
            return False
        expected = base64.b64decode(digest)
        computed = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 1024 * 1024,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, expected)


MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@+-]{1,64}$")


def account_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an account, or None."""
    if not _NAME.match(name):
        return "A name has 1 to 64 letters, digits or . @ + - _ (no spaces)."
    return None


def password_problem(password: str) -> str | None:
    """Why ``password`` is not accepted for a new account, or None."""
    if len(password) < MIN_PASSWORD:
        return f"A password needs at least {MIN_PASSWORD} characters."
    if len(password) > _MAX_PASSWORD:
        return f"A password has at most {_MAX_PASSWORD} characters."
    return None


def new_api_token() -> str:
    """A token to hand to a script once; only :func:`token_hash` of it is stored."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(slots=True)
class Visitor:
    """Who a request comes from, as the pages and API see it."""

    account: Account | None
    """None: nobody is logged in (accounts enabled)."""
    csrf: str
    """The token this visitor's forms must send back."""
    session: str | None = None
    """The hash of the session cookie, when logged in."""
    new_csrf_cookie: bool = False
    """The CSRF cookie must be set on the response (a first visit)."""


class Gate:
    """Resolves visitors and checks their requests, the same way for every route."""

    def __init__(self, store: Store, *, accounts: bool, session_days: float = 30.0) -> None:
        self.store = store
        self.accounts = accounts
        self.session_days = session_days
        self._reader: Account | None = None  # the single-user reader, looked up once

    def visitor(self, request: Request) -> Visitor:
        """The visitor behind a page request (cached on the request)."""
        cached = getattr(request.state, "visitor", None)
        if isinstance(cached, Visitor):
            return cached
        visitor = self._resolve(request)
        request.state.visitor = visitor
        return visitor

    def _resolve(self, request: Request) -> Visitor:
        cookie_csrf = request.cookies.get(CSRF_COOKIE, "")
        fresh = len(cookie_csrf) < 32
        csrf = secrets.token_urlsafe(32) if fresh else cookie_csrf
        if not self.accounts:
            if self._reader is None:
                self._reader = self.store.default_account()
            return Visitor(self._reader, csrf, None, fresh)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            hashed = token_hash(cookie)
            found = self.store.session(hashed, datetime.now(UTC))
            if found is not None:
                account, session_csrf = found
                return Visitor(account, session_csrf, hashed, False)
        return Visitor(None, csrf, None, fresh)

    def api_account(self, request: Request, *, required: bool) -> Account | None:
        """The account an API call acts for: its bearer token's, else (reading only) the page
        visitor's.  ``required``: a write needs a valid token, whatever the mode."""
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            account = self.store.api_token_account(token_hash(token.strip()))
            if account is None:
                raise HTTPException(401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"})
            return account
        if required:
            raise HTTPException(
                401,
                "this endpoint needs an API token: `newsfold tokens create LABEL`, then "
                "send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return self.visitor(request).account

    def check_csrf(self, request: Request, submitted: str | None) -> Visitor:
        """The visitor, if the form or ``X-CSRF-Token`` header carries their token; 403 if not."""
        visitor = self.visitor(request)
        given = submitted or request.headers.get(CSRF_HEADER, "")
        if visitor.new_csrf_cookie or not given or not hmac.compare_digest(given, visitor.csrf):
            raise HTTPException(403, "the form's security token is missing or stale: reload the page and try again")
        return visitor

    def log_in(self, response: Response, account: Account) -> None:
        """Start a session for ``account`` and set its cookie (a new CSRF token comes with it)."""
        cookie = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + timedelta(days=self.session_days)
        self.store.start_session(token_hash(cookie), account.id, secrets.token_urlsafe(32), expires)
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=int(self.session_days * 86400),
            httponly=True,
            samesite="lax",
            path="/",
        )

    def log_out(self, request: Request, response: Response) -> None:
        visitor = self.visitor(request)
        if visitor.session:
            self.store.end_session(visitor.session)
        response.delete_cookie(SESSION_COOKIE, path="/")

    def finish(self, request: Request, response: Response) -> Response:
        """Set the CSRF cookie on a first visit's response."""
        visitor = getattr(request.state, "visitor", None)
        if isinstance(visitor, Visitor) and visitor.new_csrf_cookie:
            response.set_cookie(CSRF_COOKIE, visitor.csrf, httponly=True, samesite="strict", path="/")
        return response
