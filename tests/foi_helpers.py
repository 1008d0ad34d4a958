"""Shared data of the 依申请公开 tests (plain values: the fixtures stay in conftest.py)."""

from __future__ import annotations

import datetime as dt

from gongkai.foi.constants import ApplicantKind, IdType

#: "Today" of most FOI tests: Wednesday 25 November 2026, 10:00 Beijing time.
TODAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ID_NUMBER = "11010519491231002X"

#: A complete application by a person, as the public form posts it (add "organisation").
FORM = {
    "applicant_kind": ApplicantKind.PERSON,
    "applicant_name": "赵六",
    "id_type": IdType.RESIDENT_ID,
    "id_number": ID_NUMBER,
    "phone": "021-12345678",
    "email": "zhaoliu@example.com",
    "description": "静安区2026年学前教育资源配置规划",
    "info_form": "electronic",
    "delivery_method": "email",
}
