"""Time annual-report generation over 100,000 disclosure requests (target ≤ 2 s) on SQLite and PostgreSQL.

    .venv/bin/python bench/report_bench.py --db sqlite
    .venv/bin/python bench/report_bench.py --db postgres   # 127.0.0.1:5432, user postgres

Requests spread over 20 organisations (a district with departments and streets), two years,
every applicant kind and every outcome row, some still open; 2,000 appeals of every kind/result.
Prints the data set and the generation times (own organisation and the district aggregate).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def setup(db: str) -> None:
    if db == "postgres":
        import psycopg

        name = "gongkai_report_bench"
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ["GONGKAI_DATA_DIR"] = tempfile.mkdtemp(prefix="report-bench-")
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.conf.dev"
    os.environ["DEBUG"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n_requests: int, seed: int = 6) -> tuple[object, int]:
    from gongkai.accounts.constants import OrganisationKind
    from gongkai.accounts.models import Organisation
    from gongkai.foi.constants import AppealKind, AppealResult, ApplicantKind, Channel, Outcome, RequestStatus
    from gongkai.foi.models import FOIAppeal, FOIRequest

    rng = random.Random(seed)
    district = Organisation.objects.create(
        code="bench-gov", name="基准区人民政府", kind=OrganisationKind.GOVERNMENT
    )
    orgs = [district] + [
        Organisation.objects.create(
            code=f"bench-{i}", name=f"基准部门{i}", parent=district, kind=OrganisationKind.DEPARTMENT
        )
        for i in range(19)
    ]
    kinds, outcomes = list(ApplicantKind.values), list(Outcome.values)
    start = dt.date(2023, 1, 1)
    batch: list[FOIRequest] = []
    serial = 0
    for i in range(n_requests):
        org = orgs[i % len(orgs)]
        received = start + dt.timedelta(days=rng.randrange(730))
        still_open = rng.random() < 0.03
        decided = None if still_open else received + dt.timedelta(days=rng.randrange(1, 40))
        serial += 1
        batch.append(
            FOIRequest(
                organisation=org,
                number=f"B{serial}",
                year=received.year,
                serial=serial,
                access_code_hash="x",
                channel=Channel.ONLINE,
                received_date=received,
                applicant_kind=rng.choice(kinds),
                applicant_name="申请人",
                description="基准测试申请",
                outcome="" if still_open else rng.choice(outcomes),
                decided_date=decided,
                status=RequestStatus.RECEIVED if still_open else RequestStatus.REPLIED,
                fee_paid_amount=Decimal(100) if rng.random() < 0.01 else Decimal(0),
            )
        )
        if len(batch) == 5000:
            FOIRequest.objects.bulk_create(batch)
            batch = []
    FOIRequest.objects.bulk_create(batch)
    decided_ids = list(
        FOIRequest.objects.exclude(decided_date=None).values_list("pk", "organisation_id", "decided_date")[
            :2000
        ]
    )
    FOIAppeal.objects.bulk_create(
        FOIAppeal(
            request_id=pk,
            organisation_id=org_id,
            kind=rng.choice(AppealKind.values),
            result=rng.choice(AppealResult.values),
            filed_date=day + dt.timedelta(days=10),
            decided_date=day + dt.timedelta(days=rng.randrange(20, 200)),
        )
        for pk, org_id, day in decided_ids
    )
    return district, FOIRequest.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    setup(args.db)
    from django.db import connection

    from gongkai.reports.constants import ReportScope
    from gongkai.reports.render import to_docx, to_xlsx
    from gongkai.reports.rules import check_report
    from gongkai.reports.selectors import build_report_data

    t0 = time.perf_counter()
    district, count = populate(args.requests)
    print(f"database: {connection.vendor}; requests: {count}; populate: {time.perf_counter() - t0:.1f} s")
    for scope in (ReportScope.OWN, ReportScope.AGGREGATE):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            data = build_report_data(district, 2024, scope)
            times.append(time.perf_counter() - t)
        assert check_report(data) == [], check_report(data)
        total = data["table3"]["（七）总计"]["总计"]
        print(
            f"generate 2024 {scope:9s}: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
            f"(（七）总计 {total}, rules hold)"
        )
    t = time.perf_counter()
    to_docx(data, {})
    to_xlsx(data)
    print(f"render DOCX+XLSX: {(time.perf_counter() - t) * 1000:.0f} ms; target ≤ 2000 ms for generation")


if __name__ == "__main__":
    main()
