"""Read side of the office's tools for views and higher apps."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.documents import selectors as documents

from .models import SiteInspection, WorkPlan
from .permissions import is_office


def inspections(limit: int = 20) -> list[SiteInspection]:
    return list(SiteInspection.objects.all()[:limit])


def score_chart(runs: list[SiteInspection], width: int = 600, height: int = 180) -> dict[str, Any]:
    """Geometry of the score-history SVG (oldest left; 0–100 on the y axis)."""
    runs = list(reversed(runs))
    pad = 30
    if not runs:
        return {"points": "", "dots": [], "width": width, "height": height}
    step = (width - 2 * pad) / max(len(runs) - 1, 1)
    dots = []
    for index, run in enumerate(runs):
        x = pad + index * step
        y = height - pad - float(run.score) / 100 * (height - 2 * pad)
        dots.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "score": run.score,
                "date": run.created_at,
                "vetoed": run.vetoed,
            }
        )
    return {
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots, "width": width, "height": height,
        "y100": pad, "y60": round(height - pad - 0.6 * (height - 2 * pad), 1), "y0": height - pad, "x1": width - pad,
    }  # fmt: skip


def current_plan() -> WorkPlan | None:
    return WorkPlan.objects.order_by("-year").first()


def reportable_organisation(user: Any) -> Any:
    return getattr(user, "organisation", None)


def normative_scope(user: Any) -> Any:
    """The office sees every organisation's 规范性文件; others their own organisation's."""
    return None if is_office(user) else getattr(user, "organisation", None)


def gazette_candidates() -> QuerySet:
    return documents.public_documents().order_by("-published_date", "-id")[:200]
