"""发文机关 (issuers) of an extracted document, matched against the organisations directory."""

from __future__ import annotations

import re

from .extract_base import Extraction, Issuer, squash
from .orgs import ORG_SUFFIX, OrgDirectory


def read_issuers(result: Extraction, directory: OrgDirectory) -> None:
    """发文机关 from 署名, then 标志, then the title, then the 机关代字 (code table)."""
    candidates: list[tuple[str, str, float]] = []
    els = result.elements
    signature = els.get("signature")
    if signature:
        names = signature.value if isinstance(signature.value, list) else [signature.value]
        candidates += [(name, "signature", 0.95) for name in names]
    mark = els.get("issuer_mark")
    if mark:
        for part in re.split(r"[\s、]+|文件", mark.raw or mark.value):
            if part and ORG_SUFFIX.search(part):
                candidates.append((part, "mark", 0.85))
    title = squash(els["title"].value) if "title" in els else ""
    if "关于" in title:
        prefix = (els["title"].value.split("关于", 1)[0]).strip()
        for part in re.split(r"[\s、]+", prefix):
            if part and ORG_SUFFIX.search(part):
                candidates.append((part, "title", 0.8))
    if result.doc_number:
        entry = directory.by_code(result.doc_number.organ_code)
        if entry:
            candidates.append((entry.name, "doc_number", 0.7))
        elif result.doc_number.kind in ("decree", "announcement"):  # the organ is named: 海关总署公告…
            organ = result.doc_number.organ_code.removesuffix("令")
            for part in re.split(r"[、和]", organ):
                if part and ORG_SUFFIX.search(part):
                    candidates.append((part, "doc_number", 0.6))
    seen: set[str] = set()
    for name, source, confidence in candidates:
        entry = directory.by_name(name)
        canonical = entry.name if entry else name
        if canonical in seen:
            continue
        seen.add(canonical)
        result.issuers.append(Issuer(name, source, confidence if entry or source != "doc_number" else confidence - 0.2,
                                     entry.code if entry else "", canonical))  # fmt: skip
