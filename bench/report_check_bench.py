"""年报核查 on real layouts: findings on clean reports (false accusations, target 0) and recall.

    .venv/bin/python bench/report_check_bench.py [--data ../shared/data] [--quick | --full] [--jobs N]
        [--show-errors]

Reports checked (`gongkai report check`'s reading of the PDF, then the format's rules):
- the real 洪泽区 2023 report in ../shared/data/annual-reports, with its four real deviations (a
  misprinted label, the 2019 single （六） row, two Table 四 groups whose 总计 is printed as 0);
- the same report drawn by tests/report_layouts.py in four layouts (the national grid as WPS prints
  it; narrow label cells with figures at the top and bare page numbers; merged cells drawn beside
  their rows with figures at the bottom and a running header; one label column), each also with a
  page break inside every row label of Tables 二 and 三 (after its number, in the middle, before
  its last character), the page number, running header and repeated header rows in between.

Each layout variant is checked clean (the deviations put right: every finding is a false
accusation), as published (the four real deviations must be found and nothing else), and with one
planted deviation of each kind (a wrong 总计, a broken 勾稽关系, a wrong （七）总计 or Table 四 总计, a
renamed or missing row, the 2019 （六） row or 表二 label, a text figure that contradicts the table).
By default planted deviations are checked with the middle page break only; --full checks every
break point, --quick only the four layouts without a forced page break.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.test")

import django  # noqa: E402

django.setup()

import report_layouts as rl  # noqa: E402
import report_samples as rs  # noqa: E402
from gongkai.reports.pdfcheck import check_files  # noqa: E402

REAL_EXPECTED = rs.expected(rs.as_published())  # the real report's four deviations


def variants(mode: str) -> list[tuple[rl.Layout, bool]]:
    """(layout, whether planted deviations are checked in it)."""
    out = []
    for base in rl.BASE_LAYOUTS:
        out.append((base, True))
        if mode == "quick":
            continue
        for key in rl.label_keys():
            points = rl.break_points(key)
            middle = points[len(points) // 2]
            out += [(base.breaking(key, p), mode == "full" or p == middle) for p in points]
    return out


def compare(expected: list[tuple[str, str]], found: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(expected findings found, expected findings missed, findings not expected)."""
    e, f = Counter(expected), Counter(found)
    hit = sum((e & f).values())
    return hit, sum(e.values()) - hit, sum(f.values()) - hit


def run(job: tuple[str, str, rl.Layout]) -> dict:
    kind, name, layout = job
    report = rs.clean() if kind == "clean" else rs.as_published() if kind == "published" else rs.planted(name)
    with tempfile.TemporaryDirectory() as tmp:
        path = rl.render(report, layout, Path(tmp) / "report.pdf")
        t = time.perf_counter()
        [result] = check_files([path])
        seconds = time.perf_counter() - t
    found = sorted(rs.signature(f) for f in result["findings"])
    hit, missed, extra = compare(rs.expected(report), found)
    details = [f["detail"] for f in result["findings"]] if missed or extra else []
    return {
        "kind": kind,
        "name": name,
        "layout": layout.name,
        "hit": hit,
        "missed": missed,
        "extra": extra,
        "seconds": seconds,
        "details": details,
    }


def real_reports(data: Path) -> None:
    pdfs = sorted((data / "annual-reports").glob("*.pdf"))
    if not pdfs:
        print(f"real reports: none in {data / 'annual-reports'} (skipped)")
        return
    for path in pdfs:
        [result] = check_files([path])
        hit, missed, extra = compare(REAL_EXPECTED, sorted(rs.signature(f) for f in result["findings"]))
        print(
            f"real report {path.name}: {len(result['findings'])} findings; real deviations found "
            f"{hit}/{len(REAL_EXPECTED)} (missed {missed}), false accusations {extra}"
        )
        for f in result["findings"]:
            print(f"    {f['rule']}: {f['detail']}")


def summarise(results: list[dict], show_errors: bool) -> None:
    def line(label: str, rows: list[dict]) -> None:
        hit, missed, extra = (sum(r[k] for r in rows) for k in ("hit", "missed", "extra"))
        recall = (
            f"recall {hit}/{hit + missed} ({hit / (hit + missed):.1%})" if hit + missed else "nothing to find"
        )
        print(
            f"  {label:<38} reports {len(rows):5d}; {recall}; false accusations {extra} "
            f"(in {sum(1 for r in rows if r['extra'])} reports)"
        )

    clean = [r for r in results if r["kind"] == "clean"]
    print(
        f"clean reports (target: 0 findings): {len(clean)} reports, "
        f"{sum(r['extra'] for r in clean)} false accusations in {sum(1 for r in clean if r['extra'])} reports"
    )
    line("as published (4 real deviations)", [r for r in results if r["kind"] == "published"])
    for name in rs.PLANTS:
        line(f"planted: {name}", [r for r in results if r["kind"] == "planted" and r["name"] == name])
    line("all reports", results)
    times = sorted(r["seconds"] for r in results)
    print(
        f"check time per report: median {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )
    if show_errors:
        for r in results:
            if r["missed"] or r["extra"]:
                print(f"  ✗ {r['kind']} {r['name']} | {r['layout']}: {r['details']}")


def main() -> None:
    parser = argparse.ArgumentParser()
    default = os.environ.get("GONGKAI_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--data", type=Path, default=Path(default))
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_const", const="quick", dest="mode")
    mode.add_argument("--full", action="store_const", const="full", dest="mode")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    real_reports(args.data)
    jobs = []
    chosen = variants(args.mode or "default")
    for layout, with_plants in chosen:
        jobs += [("clean", "", layout), ("published", "", layout)]
        if with_plants:
            jobs += [("planted", name, layout) for name in rs.PLANTS]
    print(f"generated: {len(chosen)} layout variants, {len(jobs)} reports ({args.mode or 'default'} mode)")
    t = time.perf_counter()
    with Pool(args.jobs) as pool:
        results = pool.map(run, jobs, chunksize=4)
    summarise(results, args.show_errors)
    print(f"wall time {time.perf_counter() - t:.0f} s with {args.jobs} processes")


if __name__ == "__main__":
    main()
