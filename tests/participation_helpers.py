"""Shared helpers of the participation tests (plain functions: the fixtures stay in conftest.py)."""

from __future__ import annotations

import datetime as dt

import time_machine

from gongkai.participation import services

DRAFT = """关于示例事项的若干措施（征求意见稿）
第一条 为了规范示例事项，制定本措施。
第二条 本措施适用于本区的示例事项。
第三条 符合条件的企业可以申请一次性奖励，具体标准另行公布。
第四条 本措施自公布之日起施行。"""


def at(day: str, hour: int = 10):
    """Travel to a day in Shanghai time, clock stopped."""
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00"), tick=False)


def open_consultation(editor, *, opens_on: str, closes_on: str, publish: bool = True, **extra):
    consultation = services.create_consultation(
        actor=editor, organisation=editor.organisation, title="示例措施（征求意见稿）", body_text=DRAFT,
        opens_on=opens_on, closes_on=closes_on, **extra,
    )  # fmt: skip
    if publish:
        consultation = services.publish_consultation(consultation, actor=editor)
    return consultation
