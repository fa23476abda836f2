"""Serve the preview on the loopback address: the page, its state, page images and change events."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .editions import Editions
from .page import PAGE

HOST = "127.0.0.1"
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream
_PAGE_IMAGE = re.compile(r"/page/([^/]{1,100})/(brief|factsheet|annex)/([0-9]{1,4})\.png")
_LOOPBACK_HOST = re.compile(r"(127\.0\.0\.1|localhost)(:[0-9]{1,5})?", re.IGNORECASE)  # names have no case


def loopback_host(header: str | None) -> bool:
    """Whether a request's Host header names this machine's loopback address, with or without a
    port, and nothing else: another name resolving here (DNS rebinding) or a malformed header
    (`localhost:80@evil.example`) does not."""
    return header is not None and _LOOPBACK_HOST.fullmatch(header) is not None


class PreviewServer(ThreadingHTTPServer):
    """An HTTP server on 127.0.0.1 that serves one preview and nothing else."""

    daemon_threads = True

    def __init__(self, editions: Editions, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.editions = editions
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def stop(self) -> None:
        self.stopping.set()
        with self.editions.changed:
            self.editions.changed.notify_all()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows builds
        return None

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # http.server's name for it
        if not loopback_host(self.headers.get("Host")):
            self._send(403, b"the preview answers on 127.0.0.1 only\n", "text/plain")
            return
        path = urlsplit(self.path).path
        editions = self.server.editions
        if path == "/":
            self._send(200, PAGE.encode("utf-8"), "text/html; charset=utf-8")
        elif path == "/state":
            self._send(200, json.dumps(editions.as_json(), ensure_ascii=False).encode("utf-8"),
                       "application/json")
        elif path == "/events":
            self._events()
        elif (match := _PAGE_IMAGE.fullmatch(path)) is not None:
            image = editions.page(match[1], match[2], int(match[3]))
            if image is None:
                self._send(404, b"no such page\n", "text/plain")
            else:
                self._send(200, image, "image/png")
        else:
            self._send(404, b"not found\n", "text/plain")

    def _events(self) -> None:
        """Server-sent events: the state's version each time it changes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        editions, stopping = self.server.editions, self.server.stopping
        seen = -1
        try:
            while not stopping.is_set():
                with editions.changed:
                    if editions.state.version == seen:
                        editions.changed.wait(KEEP_ALIVE)
                    version = editions.state.version
                if version != seen:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
