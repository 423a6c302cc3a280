"""Editions printed to PDF by one headless Chromium that stays open for the whole build.

Starting Chromium costs about 1,4 s of CPU, as much as half of printing a 66-page edition; a build of 15
editions used to start it 15 times. :class:`Printer` starts it once and prints page after page over the
DevTools protocol on a pipe (``--remote-debugging-pipe``: commands on the browser's fd 3, replies on its fd 4,
one JSON message per NUL-terminated frame), so no port is opened and nothing but the standard library is
needed. Each page gets a fresh tab that is closed after printing; after ``pages_per_browser`` pages the browser
itself is replaced, which bounds its memory however many editions a region has.

The PDF is Chromium's print of the page with the page's own print CSS (A4, running header, page numbers and
page breaks come from ``@page`` rules in the page), the same result as ``chromium --print-to-pdf``.

A browser that does not answer within ``timeout`` seconds, or dies, is killed; the page fails with a
``RuntimeError`` and the next page starts a new browser. The browser dies with the process that started it
(Linux ``PR_SET_PDEATHSIG``), so a killed build leaves no Chromium behind.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
         "--remote-debugging-pipe",
         "--enable-features=NetworkServiceInProcess2"]  # no network service process of its own: ~35 MB less
#: printToPDF options matching ``chromium --print-to-pdf --no-pdf-header-footer``: paper size and margins from the
#: page's @page rules, backgrounds printed (the highlight colours of tables), no browser header or footer.
PDF_OPTIONS = {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False,
               "transferMode": "ReturnAsBase64"}


class Printer:
    """One Chromium, many PDFs. Use as a context manager, or call :meth:`close`."""

    def __init__(self, executable: str, pages_per_browser: int = 40, timeout: float = 180):
        self.executable = executable
        self.pages_per_browser = pages_per_browser
        self.timeout = timeout
        self.pages = 0          # printed by the current browser
        self.proc: subprocess.Popen | None = None

    # ------------------------------------------------------------------ the browser
    def _start(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="fyrbodal-analysis-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def child() -> None:  # runs in the child before exec: fd 3 and 4 are the browser's pipe ends
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)
            if sys.platform.startswith("linux"):
                import ctypes
                import signal
                try:
                    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
                except (OSError, AttributeError):
                    pass

        self.proc = subprocess.Popen([self.executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=child, close_fds=False)  # noqa: PLW1509 - fd setup needs preexec_fn
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self._events: list[dict] = []
        self.pages = 0

    def close(self, force: bool = False) -> None:
        """Close the browser (politely unless ``force``, then by force) and remove its profile."""
        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if force:
            proc.kill()
        else:
            try:
                self._send({"id": 0, "method": "Browser.close"})
            except OSError:
                pass
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ the protocol
    def _send(self, message: dict) -> None:
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._to_browser, data):]

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer within {self.timeout:.0f} s")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the connection (it died)")
            self._buffer += chunk
        frame, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(frame)

    def _call(self, method: str, deadline: float, session: str | None = None, **params) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"Chromium: {method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def _wait_for(self, event: str, session: str, deadline: float) -> None:
        while True:
            for i, e in enumerate(self._events):
                if e.get("method") == event and e.get("sessionId") == session:
                    del self._events[i]
                    return
            reply = self._receive(deadline)
            if "method" in reply:
                self._events.append(reply)

    # ------------------------------------------------------------------ printing
    def start(self) -> None:
        """Start the browser now rather than at the first page, so that its start overlaps other work."""
        if self.proc is None:
            self._start()

    def print(self, page: Path, pdf: Path) -> None:
        """Print ``page`` (an HTML file) to ``pdf``; written to a temporary name and renamed into place."""
        if self.proc is not None and (self.pages >= self.pages_per_browser or self.proc.poll() is not None):
            self.close()
        self.start()
        deadline = time.monotonic() + self.timeout
        try:
            data = self._print(page.resolve().as_uri(), deadline)
        except BaseException:
            self.close(force=True)  # a browser that failed once is not trusted with the next page
            raise
        self.pages += 1
        if not data:
            raise RuntimeError(f"Chromium printed an empty PDF of {page.name}")
        tmp = pdf.with_name(f".{pdf.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, pdf)

    def _print(self, url: str, deadline: float) -> bytes:
        target = self._call("Target.createTarget", deadline, url="about:blank")["targetId"]
        session = self._call("Target.attachToTarget", deadline, targetId=target, flatten=True)["sessionId"]
        self._call("Page.enable", deadline, session)
        # Lay the page out for print from the start: otherwise Chromium styles and lays it out for the screen on
        # load and again for print. The same PDF (an edition's 66 pages pixel-identical), ~15 % less time per PDF
        # (paired runs).
        self._call("Emulation.setEmulatedMedia", deadline, session, media="print")
        self._call("Page.navigate", deadline, session, url=url)
        self._wait_for("Page.loadEventFired", session, deadline)
        result = self._call("Page.printToPDF", deadline, session, **PDF_OPTIONS)
        self._events.clear()
        self._call("Target.closeTarget", deadline, targetId=target)  # (after a failure the browser is closed)
        return base64.b64decode(result.get("data", ""))
