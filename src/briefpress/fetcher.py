"""Let WeasyPrint read project files only: nothing outside the project, nothing from a network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class RefusedResource(FatalURLFetchingError):
    """A reference the sandbox refuses; stops the render."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class SandboxedFetcher(URLFetcher):
    """A fetcher that serves `file:` URLs under the allowed folders and refuses the rest."""

    def __init__(self, allowed_roots: tuple[Path, ...]) -> None:
        super().__init__(fail_on_errors=True)
        self.allowed_roots = tuple(root.resolve() for root in allowed_roots)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "file":
            raise RefusedResource(url, f"'{parts.scheme or 'relative'}' URLs are not fetched; "
                                  "put the file under content/ or templates/")
        path = Path(unquote(parts.path))
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.allowed_roots):
            raise RefusedResource(url, "outside the project's content/, templates/ and fonts/")
        if not resolved.is_file():
            raise RefusedResource(url, "file not found")
        return URLFetcherResponse(url, resolved.read_bytes())
