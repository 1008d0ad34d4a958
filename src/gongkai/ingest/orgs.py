"""Issuing organisations: names and 机关代字 resolved to a directory.

The built-in table (data/organ_codes.json: State Council, ministries, provincial governments and
Shanghai districts) is extended and overridden by accounts.Organisation rows (name, short name,
organ_codes()), so a deployment teaches the extractor its own codes by editing its organisations.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "organ_codes.json"
ORG_SUFFIX = re.compile(
    r"(人民政府|政府|办公厅|办公室|委员会|管理局|总局|总署|署|厅|局|部|委|院|会|办|室|处|中心|街道办事处|镇|行|所|站|集团|公司|领导小组)$"
)
_NATIONAL_PREFIX = "中华人民共和国"


@dataclass(frozen=True)
class OrgEntry:
    name: str
    short_name: str = ""
    codes: tuple[str, ...] = ()
    code: str = ""  # accounts.Organisation.code when the entry comes from the database
    # built-in entries: what `gongkai import --create-organisations` gives the organisation it creates
    suggested_code: str = ""
    kind: str = ""  # accounts.constants.OrganisationKind value
    parent_name: str = ""  # 国务院 for 国务院办公厅: linked when that organisation exists


def _squash(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


class OrgDirectory:
    def __init__(self, entries: list[OrgEntry]) -> None:
        self.entries = entries
        self._by_name: dict[str, OrgEntry] = {}
        self._by_code: dict[str, OrgEntry] = {}
        for entry in entries:  # later entries (database rows) override earlier ones (built-in table)
            for name in (entry.name, entry.short_name):
                if name:
                    self._by_name[_squash(name)] = entry
            for code in entry.codes:
                self._by_code[code] = entry
        self._max_code = max((len(code) for code in self._by_code), default=0)

    @classmethod
    def builtin(cls) -> OrgDirectory:
        return cls(list(_builtin_entries()))

    @classmethod
    def from_database(cls) -> OrgDirectory:
        from gongkai.accounts.models import Organisation

        entries = list(_builtin_entries())
        for org in Organisation.objects.all().only(
            "code", "name", "short_name", "organ_code", "extra_organ_codes"
        ):
            entries.append(OrgEntry(org.name, org.short_name, tuple(org.organ_codes()), org.code))
        return cls(entries)

    def by_code(self, organ_code: str) -> OrgEntry | None:
        """Longest table code that starts `organ_code` (静府办发 → 静府办)."""
        organ_code = _squash(organ_code)
        for length in range(min(len(organ_code), self._max_code), 0, -1):
            entry = self._by_code.get(organ_code[:length])
            if entry is not None:
                return entry
        return None

    def by_name(self, name: str) -> OrgEntry | None:
        key = _squash(name)
        if not key:
            return None
        entry = self._by_name.get(key)
        if entry is None and key.startswith(_NATIONAL_PREFIX):
            entry = self._by_name.get(key[len(_NATIONAL_PREFIX) :])
        if entry is None and key.startswith("国家"):
            entry = self._by_name.get(key[2:])
        if entry is None:
            entry = self._by_name.get("国家" + key)
        return entry


@lru_cache(maxsize=1)
def _builtin_entries() -> tuple[OrgEntry, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    names: dict[str, list[str]] = {}
    meta: dict[str, tuple[str, str, str]] = {}  # name -> (suggested code, kind, parent name)
    for code, name in data["national"].items():
        names.setdefault(name, []).append(code)
        parent = re.sub(r"(办公厅|综合司)$", "", name)
        meta[name] = (data["organisation_codes"].get(name, ""), "national", parent if parent != name else "")
    for prefix, province in data["provinces"].items():
        government, office = f"{province}人民政府", f"{province}人民政府办公厅"
        names.setdefault(government, []).append(prefix)
        names.setdefault(office, []).append(f"{prefix}办")
        slug = data["province_codes"][province]
        meta[government] = (f"{slug}-gov", "national", "")
        meta[office] = (f"{slug}-gov-office", "national", government)
    for prefix, province in data["province_office_extra"].items():
        names.setdefault(f"{province}人民政府办公厅", []).append(prefix)
    for prefix, district in data["shanghai_districts"].items():
        government, office = f"上海市{district}人民政府", f"上海市{district}人民政府办公室"
        names.setdefault(government, []).append(prefix)
        names.setdefault(office, []).append(f"{prefix}办")
        slug = data["district_codes"][district]
        meta[government] = (f"{slug}-gov", "government", "")
        meta[office] = (f"{slug}-gov-office", "general_office", government)
    short = {"国家发展和改革委员会": "国家发展改革委", "国家发展和改革委员会办公厅": "国家发展改革委办公厅",
             "国家税务总局办公厅": "税务总局办公厅", "国家卫生健康委员会": "国家卫生健康委"}  # fmt: skip
    return tuple(
        OrgEntry(name, short.get(name, ""), tuple(codes), "", *meta.get(name, ("", "", "")))
        for name, codes in names.items()
    )


def looks_like_org(line: str) -> bool:
    text = _squash(line)
    return (
        2 <= len(text) <= 40
        and bool(re.fullmatch(r"[\u4e00-\u9fff（）()、·]+", text))
        and bool(ORG_SUFFIX.search(text))
    )
