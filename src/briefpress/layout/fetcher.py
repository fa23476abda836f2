"""Let WeasyPrint read project files only: nothing outside the project, nothing from a network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..project import Project
from ..source.references import DATA_URL_CAP, data_url_size, inside


class RefusedResource(FatalURLFetchingError):
    """A reference the sandbox refuses; stops the render."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class SandboxedFetcher(URLFetcher):
    """Serve `file:` URLs under the allowed folders and small `data:` URLs; refuse the rest.

    This is the second line of defence: content and stylesheets are checked when
    they are loaded, and this fetcher refuses whatever still reaches WeasyPrint.
    No network handler is ever called.
    """

    def __init__(self, allowed_roots: tuple[Path, ...], data_cap: int = DATA_URL_CAP,
                 project: Project | None = None) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))
        self.allowed_roots = tuple(root.resolve() for root in allowed_roots)
        self.data_cap = data_cap
        self.project = project

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise RefusedResource(_short(url), f"'{scheme or 'relative'}' URLs are never fetched; "
                                  "put the file under content/ or templates/")
        if parts.netloc not in {"", "localhost"}:
            raise RefusedResource(_short(url), "file: URLs on another host are never fetched")
        path = (self.project and self.project.path_of(url)) or Path(unquote(parts.path))
        resolved = path.resolve()
        if not inside(resolved, self.allowed_roots):
            raise RefusedResource(_short(url), "outside the project's content/, templates/ and fonts/")
        if not resolved.is_file():
            raise RefusedResource(_short(url), "file not found")
        return URLFetcherResponse(url, resolved.read_bytes())

    def _data(self, url: str) -> URLFetcherResponse:
        size = data_url_size(url)
        if size > self.data_cap:
            raise RefusedResource(_short(url), f"data: URL of {size} bytes is over the "
                                  f"{self.data_cap}-byte cap")
        with urlopen(url) as response:  # a data: URL: decoded in memory, no network
            body = response.read()
            mime = response.headers.get_content_type()
        return URLFetcherResponse(url, body, headers={"Content-Type": mime})


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[:limit] + "..."
