"""A thin HTTP client on the standard library, with an injectable transport.

Why our own and not a PxWeb or Kolada client package: the clients on the
package index are young one-person wrappers (some of them placeholders), each
brings its own HTTP stack and DataFrame conversion, and none lets the tests
replace the network or reports a 429 or a truncated body the way the command
line must. The APIs are small (one POST for PxWeb, paged GETs for Kolada), so a
transport function plus json-stat2 parsing is less code than adapting one.

``transport(Request) -> Response`` is the only place that touches the network;
tests pass a function that answers from fixture files, so no socket is opened.
Every failure becomes a :class:`FetchError` with a one-line message; the
command line turns it into exit code 3.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

USER_AGENT = "fyrbodal-analysis/0.1 (report toolkit)"


class FetchError(Exception):
    """A download failed; the message is one line for the user. Nothing was written."""


class NoNetwork(FetchError):
    pass


class RateLimited(FetchError):
    pass


class NotFound(FetchError):
    pass


class PartialDownload(FetchError):
    pass


class ShapeChanged(FetchError):
    """The response does not have the dimensions/variables the query expects."""


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)


Transport = Callable[[Request], Response]


def urllib_transport(req: Request, timeout: float = 60) -> Response:
    """The real network (used only outside the tests)."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **req.headers}
    r = urllib.request.Request(req.url, data=req.body, method=req.method, headers=headers)
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            body = resp.read()
            return Response(resp.status, body, {k.lower(): v for k, v in resp.headers.items()})
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.read() if exc.fp else b"", {k.lower(): v for k, v in (exc.headers or {}).items()})
    except http.client.IncompleteRead as exc:
        raise PartialDownload(f"{req.url}: the connection closed after {len(exc.partial)} bytes; "
                              "the download is incomplete") from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NoNetwork(f"cannot reach {_host(req.url)} ({reason}); check the internet connection") from None


def _host(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


class Http:
    """GET/POST with retry on HTTP 429/503 (honouring Retry-After), one-line errors."""

    def __init__(self, transport: Transport | None = None, sleep=None, retries: int = 4, backoff: float = 2.0,
                 say=None):
        self.transport = transport or urllib_transport
        self.sleep = sleep or time.sleep
        self.retries = retries
        self.backoff = backoff
        self.say = say or (lambda msg: None)

    def request(self, method: str, url: str, payload: dict | None = None) -> Response:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
        req = Request(method, url, body, headers)
        for attempt in range(self.retries + 1):
            resp = self.transport(req)
            if resp.status not in (429, 503):
                break
            if attempt == self.retries:
                raise RateLimited(f"{_host(url)} refused {self.retries + 1} times with HTTP {resp.status} (too many "
                                  "requests); wait a few minutes and run the command again")
            wait = _retry_after(resp, self.backoff * 2 ** attempt)
            self.say(f"{_host(url)}: HTTP {resp.status}, retrying in {wait:g} s ({attempt + 1}/{self.retries})")
            self.sleep(wait)
        if resp.status == 404:
            raise NotFound(f"{url}: HTTP 404, the table or measure no longer exists at this address")
        if resp.status >= 400:
            raise FetchError(f"{url}: HTTP {resp.status}: {_snippet(resp.body)}")
        length = resp.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) != len(resp.body):
            raise PartialDownload(f"{url}: received {len(resp.body)} of {length} bytes; the download is incomplete")
        return resp

    def json(self, method: str, url: str, payload: dict | None = None):
        resp = self.request(method, url, payload)
        try:
            return json.loads(resp.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PartialDownload(f"{url}: the response is not complete JSON ({exc.__class__.__name__} at byte "
                                  f"{getattr(exc, 'pos', getattr(exc, 'start', '?'))} of {len(resp.body)}); "
                                  "the download is incomplete or the service sent an error page") from None


def _retry_after(resp: Response, default: float) -> float:
    value = resp.headers.get("retry-after", "")
    try:
        return min(max(float(value), 0.0), 300.0)
    except ValueError:
        return default


def _snippet(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip().replace("\n", " ")
    return text[:160] or "(empty response)"
