"""Let WeasyPrint read project files only: nothing outside the project, nothing from a network."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from ..project import Project
from ..sandbox import Refused, Sandbox


class RefusedResource(FatalURLFetchingError):
    """A reference the sandbox refuses; stops the render."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class SandboxedFetcher(URLFetcher):
    """Serve `file:` URLs the sandbox allows and small `data:` URLs; refuse the rest.

    This is the second line of defence: content and stylesheets are checked when
    they are loaded, with the same sandbox, and this fetcher refuses whatever
    still reaches WeasyPrint. No network handler is ever called. With a project,
    its fixed-root URLs name its files wherever the checkout lies.
    """

    def __init__(self, sandbox: Sandbox | tuple[Path, ...], project: Project | None = None,
                 fetched: dict[str, str] | None = None) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))
        self.sandbox = sandbox if isinstance(sandbox, Sandbox) else Sandbox(sandbox)
        self.project = project
        self.fetched = fetched  # with a project: every file served, by project path, its sha256

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return self._data(url)
        path = self.project.path_of(url) if self.project else None
        try:
            data = self.sandbox.read_url(path.as_uri() if path else url)
        except Refused as refused:
            raise RefusedResource(_short(url), refused.reason) from None
        if self.fetched is not None and self.project is not None:
            local = path or Path(unquote(urlsplit(url).path))
            self.fetched[self.project.fetched_label(url, local)] = sha256(data).hexdigest()
        return URLFetcherResponse(url, data)

    def _data(self, url: str) -> URLFetcherResponse:
        problem = self.sandbox.data_problem(url)
        if problem:
            raise RefusedResource(_short(url), problem)
        with urlopen(url) as response:  # a data: URL: decoded in memory, no network
            body = response.read()
            mime = response.headers.get_content_type()
        return URLFetcherResponse(url, body, headers={"Content-Type": mime})


def _short(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[:limit] + "..."


class ImportsChecked(SandboxedFetcher):
    """Read each stylesheet a stylesheet imports through the sandbox (a refused import stops the
    check), and give WeasyPrint an empty one: checking a stylesheet's own declarations, the
    imported file's warnings are not its own (each stylesheet is checked on its own), and were
    reported again at the importing file, at lines it does not have."""

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        served = super().fetch(url, headers)
        return URLFetcherResponse(served.url, b"")
