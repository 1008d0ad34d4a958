"""Website self-inspection (work plan item 二十七): crawl the public site and score the indicators of
《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号) that a crawl can check.

单项否决: the site cannot be reached; the home page not updated for two weeks; a column not updated
beyond its limit (动态、要闻类 2 weeks; 通知公告、政策文件类 6 months); a message unanswered for more
than three months (once an interaction app offers the figure, see MESSAGE_CHECKS). Deductions:
dead links (internal and external), error pages, content pages without a date.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urljoin, urlparse

import requests
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.review.crawl import SKIP_PREFIXES, SKIP_SUFFIXES, page_text

USER_AGENT = "gongkai-site-inspect/1.0"
OFFICE_SKIP = (*SKIP_PREFIXES, "/staff/", "/office/staff/", "/reports/staff/", "/foi/staff/", "/topics/staff/",
               "/participation/staff/", "/i18n/")  # fmt: skip
# Content pages that must show a date (国办秘函〔2019〕19号: 信息发布 要素完整).
CONTENT_PAGES = (re.compile(r"^/documents/\d+/$"), re.compile(r"^/interpretations/\d+/$"))
# Columns and their update limits in days (国办秘函〔2019〕19号 单项否决 “栏目不更新”).
COLUMNS: list[tuple[str, str, int]] = [
    ("政策文件", "/documents/", 183),
    ("政策解读", "/interpretations/", 183),
]
HOME_LIMIT_DAYS = 14
DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")
# A higher app (a message board) adds a callable returning (count unanswered > 3 months, details).
MESSAGE_CHECKS: list[Callable[[dt.date], tuple[int, list[str]]]] = []

DEDUCTIONS = {  # indicator: (points per finding, cap)
    "dead_internal": (1.0, 20.0),
    "dead_external": (0.5, 10.0),
    "error_pages": (2.0, 20.0),
    "undated": (0.5, 10.0),
}


@dataclass
class Crawl:
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> {status, dates}
    links: dict[str, set[str]] = field(default_factory=dict)  # target -> pages linking to it
    external_status: dict[str, str] = field(default_factory=dict)


def page_dates(text: str, today: dt.date) -> list[dt.date]:
    out = []
    for y, m, d in DATE.findall(text):
        try:
            day = dt.date(int(y), int(m), int(d))
        except ValueError:
            continue
        if day <= today:
            out.append(day)
    return out


def _crawlable(parsed: Any) -> bool:
    if parsed.path.startswith(OFFICE_SKIP) or parsed.path.lower().endswith(SKIP_SUFFIXES):
        return False
    # facet combinations would be endless: only plain pages and their pagination are crawled
    return all(key == "page" for key, _value in parse_qsl(parsed.query))


class PoliteSession:
    """External links are checked one request per host per `interval` seconds (HEAD, then GET)."""

    def __init__(self, session: requests.Session, interval: float, timeout: float) -> None:
        self.session, self.interval, self.timeout = session, interval, timeout
        self.last: dict[str, float] = {}

    def status(self, url: str) -> str:
        host = urlparse(url).netloc
        wait = self.last.get(host, 0) + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last[host] = time.monotonic()
        headers = {"User-Agent": USER_AGENT}
        try:
            response = self.session.head(url, timeout=self.timeout, allow_redirects=True, headers=headers)
            if response.status_code in (405, 403, 501):
                response = self.session.get(url, timeout=self.timeout, allow_redirects=True, headers=headers)
        except requests.RequestException as exc:
            return type(exc).__name__
        return str(response.status_code)


def crawl_site(
    start_url: str, *, max_pages: int, timeout: float, session: requests.Session, today: dt.date
) -> Crawl:
    origin = urlparse(start_url)
    result = Crawl()
    queue: deque[str] = deque([start_url, *(urljoin(start_url, path) for _n, path, _d in COLUMNS)])
    seen = set(queue)
    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        parsed = urlparse(url)
        try:
            response = session.get(url, timeout=timeout, headers={"User-Agent": USER_AGENT})
        except requests.RequestException as exc:
            if url == start_url:
                raise ValidationError(
                    {
                        "url": _("无法访问网站 %(url)s：%(error)s")
                        % {"url": start_url, "error": type(exc).__name__}
                    }
                ) from None
            result.pages[url] = {"status": type(exc).__name__, "dates": []}
            continue
        info: dict[str, Any] = {"status": str(response.status_code), "dates": []}
        result.pages[url] = info
        content_type = response.headers.get("Content-Type", "")
        if response.status_code != 200 or "html" not in content_type or not _crawlable(parsed):
            continue
        text, links = page_text(response.text, content_type)
        info["dates"] = [d.isoformat() for d in page_dates(text, today)]
        for link in links:
            absolute, _fragment = urldefrag(urljoin(url, link))
            target = urlparse(absolute)
            if target.scheme not in ("http", "https"):
                continue
            result.links.setdefault(absolute, set()).add(url)
            if target.netloc == origin.netloc and absolute not in seen and _crawlable(target):
                seen.add(absolute)
                queue.append(absolute)
    return result


def _deduct(key: str, count: int) -> float:
    per, cap = DEDUCTIONS[key]
    return min(per * count, cap)


def inspect_site(
    url: str,
    *,
    max_pages: int = 300,
    external: bool = True,
    max_external: int = 50,
    interval: float = 1.0,
    timeout: float = 10.0,
    session: requests.Session | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Crawl and score; returns the score sheet (JSON-ready). An unreachable URL is a ValidationError."""
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc:
        raise ValidationError({"url": _("网址“%(url)s”无效：须以 http:// 或 https:// 开头。") % {"url": url}})
    session = session or requests.Session()
    today = today or timezone.localdate()
    crawl = crawl_site(url, max_pages=max_pages, timeout=timeout, session=session, today=today)
    origin = urlparse(url).netloc
    home = crawl.pages.get(url, {})
    if home.get("status") != "200":
        raise ValidationError(
            {"url": _("网站首页 %(url)s 返回 %(status)s。") % {"url": url, "status": home.get("status")}}
        )

    internal_dead: list[dict[str, Any]] = []
    error_pages: list[dict[str, Any]] = []
    for target, sources in crawl.links.items():
        if urlparse(target).netloc != origin:
            continue
        status = crawl.pages.get(target, {}).get("status")
        if (
            status is None
            and not _crawlable(urlparse(target))
            and not urlparse(target).path.startswith(OFFICE_SKIP)
        ):
            try:  # attachments and other files: checked, not crawled
                status = str(session.head(target, timeout=timeout, allow_redirects=True,
                                          headers={"User-Agent": USER_AGENT}).status_code)  # fmt: skip
            except requests.RequestException as exc:
                status = type(exc).__name__
            crawl.pages[target] = {"status": status, "dates": []}
        if status in ("404", "410"):
            internal_dead.append({"url": target, "status": status, "found_on": sorted(sources)[:5]})
    for page, info in crawl.pages.items():
        if info["status"].startswith("5") or not info["status"].isdigit():
            error_pages.append({"url": page, "status": info["status"]})

    external_dead: list[dict[str, Any]] = []
    external_links = sorted(t for t in crawl.links if urlparse(t).netloc != origin)
    checked_external = 0
    if external:
        polite = PoliteSession(session, interval, timeout)
        for target in external_links[:max_external]:
            status = polite.status(target)
            checked_external += 1
            if not (status.isdigit() and int(status) < 400):
                external_dead.append(
                    {"url": target, "status": status, "found_on": sorted(crawl.links[target])[:5]}
                )

    undated = [
        page for page, info in crawl.pages.items()
        if info["status"] == "200" and any(p.match(urlparse(page).path) for p in CONTENT_PAGES) and not info["dates"]
    ]  # fmt: skip

    vetoes: list[dict[str, Any]] = []
    home_dates = [dt.date.fromisoformat(d) for d in home.get("dates", [])]
    home_latest = max(home_dates) if home_dates else None
    if home_latest is None or (today - home_latest).days > HOME_LIMIT_DAYS:
        vetoes.append({"indicator": "首页栏目信息更新", "detail": _("首页超过两周未更新（最近日期：%(date)s）。")
                       % {"date": home_latest or "无"}})  # fmt: skip
    columns = []
    for name, path, limit in COLUMNS:
        info = crawl.pages.get(urljoin(url, path), {})
        dates = [dt.date.fromisoformat(d) for d in info.get("dates", [])]
        latest = max(dates) if dates else None
        ok = latest is not None and (today - latest).days <= limit
        columns.append(
            {"column": name, "latest": latest.isoformat() if latest else None, "limit_days": limit, "ok": ok}
        )
        if not ok:
            vetoes.append({"indicator": "栏目不更新", "detail": _("栏目“%(name)s”超过%(limit)d天未更新。")
                           % {"name": name, "limit": limit}})  # fmt: skip
    messages: dict[str, Any] = {"applicable": bool(MESSAGE_CHECKS), "unanswered": 0, "details": []}
    for check in MESSAGE_CHECKS:
        count, details = check(today)
        messages["unanswered"] += count
        messages["details"] += details
    if messages["unanswered"]:
        vetoes.append(
            {
                "indicator": "互动回应",
                "detail": _("%(n)d条留言超过3个月未答复。") % {"n": messages["unanswered"]},
            }
        )

    deductions = {
        "dead_internal": _deduct("dead_internal", len(internal_dead)),
        "dead_external": _deduct("dead_external", len(external_dead)),
        "error_pages": _deduct("error_pages", len(error_pages)),
        "undated": _deduct("undated", len(undated)),
    }
    score = round(100 - sum(deductions.values()), 1)
    return {
        "url": url, "date": today.isoformat(), "pages": len(crawl.pages), "score": score,
        "vetoed": bool(vetoes), "result": "不合格（单项否决）" if vetoes else ("合格" if score >= 60 else "不合格"),
        "vetoes": vetoes, "home_latest": home_latest.isoformat() if home_latest else None, "columns": columns,
        "messages": messages, "deductions": deductions,
        "dead_internal": internal_dead, "dead_external": external_dead, "external_checked": checked_external,
        "external_total": len(external_links), "error_pages": error_pages, "undated": undated,
    }  # fmt: skip


def format_sheet(sheet: dict[str, Any]) -> str:
    """The score sheet as text for the console."""
    lines = [
        f"网站自查评分表  {sheet['url']}  {sheet['date']}",
        f"检查页面 {sheet['pages']} 个；得分 {sheet['score']}；结论：{sheet['result']}",
        "一、单项否决指标",
    ]
    lines += [f"  × {v['indicator']}：{v['detail']}" for v in sheet["vetoes"]] or ["  无"]
    lines.append(f"  首页最近更新：{sheet['home_latest'] or '无'}")
    for column in sheet["columns"]:
        lines.append(
            f"  栏目“{column['column']}”最近更新：{column['latest'] or '无'}（限{column['limit_days']}天）"
        )
    if not sheet["messages"]["applicable"]:
        lines.append("  互动回应：尚无留言应用，不适用")
    labels = {"dead_internal": "站内不可用链接", "dead_external": "站外不可用链接", "error_pages": "错误页面",
              "undated": "无发布日期的内容页"}  # fmt: skip
    lines.append("二、扣分指标")
    for key, label in labels.items():
        found = sheet[key]
        lines.append(f"  {label}：{len(found)} 个，扣 {sheet['deductions'][key]} 分")
        for row in found[:20]:
            if isinstance(row, dict):
                where = "，见于 " + "、".join(row.get("found_on", [])[:2]) if row.get("found_on") else ""
                lines.append(f"    - {row['url']}（{row['status']}）{where}")
            else:
                lines.append(f"    - {row}")
    if sheet["external_total"] > sheet["external_checked"]:
        lines.append(
            f"  （站外链接共 {sheet['external_total']} 个，本次检查 {sheet['external_checked']} 个）"
        )
    return "\n".join(lines)
