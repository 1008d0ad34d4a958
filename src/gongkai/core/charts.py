"""Server-rendered bar charts (SVG, no script): each chart is an image with a title and a description
for screen readers, and its data table next to it for anyone who wants the numbers. Used by the
annual report (reports) and the 政民互动 dashboard (interaction); the template is
`core/_chart.html` (one figure) and `core/_charts.html` (a grid of them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 24, 10, 190, 480


@dataclass
class Bar:
    label: str
    value: float
    y: int = 0
    width: float = 0
    value_x: float = 0


@dataclass
class Chart:
    """Horizontal bars, one per label, scaled to the largest value (or to `scale` when given)."""

    key: str
    title: str
    unit: str
    bars: list[Bar] = field(default_factory=list)
    height: int = 0
    scale: float | None = None  # a fixed maximum (e.g. 5 for a 1–5 rating); else the largest bar

    def layout(self) -> Chart:
        top = self.scale or max((bar.value for bar in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            bar.y = index * (BAR_HEIGHT + GAP)
            bar.width = round((CHART_WIDTH - LABEL_WIDTH - 60) * min(bar.value, top) / top, 1)
            bar.value_x = LABEL_WIDTH + bar.width + 6
        self.height = max(1, len(self.bars)) * (BAR_HEIGHT + GAP)
        return self

    @property
    def description(self) -> str:
        """One sentence for the SVG's <desc>: how many items and which is largest."""
        if not self.bars:
            return _("暂无数据。")
        top = max(self.bars, key=lambda bar: bar.value)
        return _("共%(n)s项，最高为%(label)s：%(value)s%(unit)s。") % {
            "n": len(self.bars),
            "label": top.label,
            "value": f"{top.value:g}",
            "unit": self.unit,
        }

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def width(self) -> int:
        return CHART_WIDTH

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT
