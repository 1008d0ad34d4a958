"""Crawl the public site and report personal data that is shown unmasked."""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import requests

from .detector import PERSONAL_KINDS, REPORT_THRESHOLD, detect

SKIP_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/api/schema",
    "/api/docs",
    "/api/redoc",
    "/static/",
    "/media/",
    "/review/",
)
SKIP_SUFFIXES = (
    ".pdf",
    ".docx",
    ".doc",
    ".xls",
    ".xlsx",
    ".zip",
    ".ofd",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".css",
    ".js",
)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in ("p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "td", "th", "dd", "dt"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


@dataclass
class CrawlReport:
    pages: int = 0
    findings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)


def page_text(body: str, content_type: str) -> tuple[str, list[str]]:
    if "html" in content_type:
        parser = _Parser()
        parser.feed(body)
        return "".join(parser.text), parser.links
    if "xml" in content_type or "rss" in content_type or "atom" in content_type:
        links = re.findall(r"<link[^>]*>([^<]+)</link>|<link[^>]*href=\"([^\"]+)\"", body)
        text = re.sub(r"<[^>]+>", "\n", html.unescape(html.unescape(body)))
        return text, [a or b for a, b in links]
    if "json" in content_type:
        return body.encode().decode("unicode_escape", errors="ignore") if "\\u" in body else body, re.findall(
            r"\"(https?://[^\"]+)\"", body
        )
    return body, []


def crawl(
    start_url: str, *, max_pages: int = 300, timeout: float = 10.0, session: requests.Session | None = None
) -> CrawlReport:
    """Breadth-first over same-host links from `start_url`; every page's visible text is scanned."""
    session = session or requests.Session()
    origin = urlparse(start_url)
    queue: deque[str] = deque(
        [start_url, urljoin(start_url, "/feeds/documents.rss"), urljoin(start_url, "/api/documents/")]
    )
    seen: set[str] = set(queue)
    report = CrawlReport()
    while queue and report.pages < max_pages:
        url = queue.popleft()
        try:
            response = session.get(url, timeout=timeout, headers={"User-Agent": "gongkai-review-crawl"})
        except requests.RequestException as exc:
            report.errors.append({"url": url, "error": str(exc)})
            continue
        report.pages += 1
        if response.status_code != 200:
            if response.status_code >= 500:
                report.errors.append({"url": url, "error": f"HTTP {response.status_code}"})
            continue
        text, links = page_text(response.text, response.headers.get("Content-Type", ""))
        for finding in detect(text, min_confidence=REPORT_THRESHOLD, kinds=set(PERSONAL_KINDS)):
            report.findings.append({"url": url, **finding.as_dict(), "kind": str(finding.kind)})
        for link in links:
            absolute, _fragment = urldefrag(urljoin(url, link))
            parsed = urlparse(absolute)
            if parsed.scheme not in ("http", "https") or parsed.netloc != origin.netloc:
                continue
            if parsed.path.startswith(SKIP_PREFIXES) or parsed.path.lower().endswith(SKIP_SUFFIXES):
                continue
            if absolute not in seen:
                seen.add(absolute)
                queue.append(absolute)
    return report
