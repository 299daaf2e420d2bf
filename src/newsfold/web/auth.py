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

Failed logins are limited per account name and per client address (:class:`LoginThrottle`):
each attempt costs the server an scrypt hash of 16 MiB, and a password is only as good as the
number of guesses it has to survive.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
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


def same_origin_fetch(request: Request) -> bool:
    """Whether a GET may change what the reader has read: a browser says where a request comes from
    in ``Sec-Fetch-Site``, and only one typed, bookmarked (``none``) or made by this site's own pages
    (``same-origin``) may; another site's ``<img src>`` or link may not.  Without the header (a
    script, an old browser) the request is taken as the reader's own."""
    return request.headers.get("Sec-Fetch-Site", "none").strip().lower() in ("none", "same-origin")


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
                raise HTTPException(
                    401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"}
                )
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
            raise HTTPException(
                403, "the form's security token is missing or stale: reload the page and try again"
            )
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


LOGIN_FAILURES = 5
"""Failed logins allowed per account name, and per client address, in :data:`LOGIN_WINDOW`."""
LOGIN_WINDOW = 15 * 60.0
"""Seconds a failed login counts against its name and address."""
_TRACKED_KEYS = 10_000  # names and addresses remembered at most; the oldest are forgotten first


class LoginThrottle:
    """Failed logins per account name and per client address, in memory (one server process).

    After :data:`LOGIN_FAILURES` failures within :data:`LOGIN_WINDOW` seconds, further attempts
    with that name or from that address are refused *before* any password is hashed, until the
    oldest failure is out of the window.  A success clears its name's failures, not its address's:
    logging into one's own account must not reset the count of guesses at someone else's.
    """

    def __init__(
        self,
        failures: int = LOGIN_FAILURES,
        window: float = LOGIN_WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failures = failures
        self.window = window
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        return f"name:{name.casefold()}", f"addr:{address}"

    def retry_after(self, name: str, address: str) -> int:
        """Seconds until ``name`` may try again from ``address`` (0: now)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in self._keys(name, address):
                times = self._recent(key, now)
                if len(times) >= self.failures:
                    wait = max(wait, times[0] + self.window - now)
        return max(1, int(wait) + 1) if wait > 0 else 0

    def failed(self, name: str, address: str) -> None:
        """Count a failed login against the name and the address."""
        now = self.clock()
        with self._lock:
            for key in self._keys(name, address):
                times = self._recent(key, now)
                times.append(now)
                self._seen[key] = times
                self._seen.move_to_end(key)
            while len(self._seen) > _TRACKED_KEYS:
                self._seen.popitem(last=False)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._seen.pop(self._keys(name, "")[0], None)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._seen.get(key) or deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        return times
