"""Password strength (OWASP ASVS 2.1.7, 等保2.0 三级 身份鉴别): refuse guessable passwords.

Django's own validators check length, a list of 20,000 breached passwords, digits-only and
similarity to the account's names; this one estimates how many guesses a password takes (zxcvbn)
with the words an attacker of a Chinese government site tries first: the platform's, the user's and
the organisation's names, and common pinyin words. "editor2026"-style passwords (a word plus a year)
score far below the limit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# Pinyin words and site terms common in Chinese passwords, beyond zxcvbn's English dictionaries.
CONTEXT_WORDS = (
    "gongkai", "zhengwu", "zhengfu", "xinxi", "jingan", "shanghai", "beijing", "zhongguo", "china",
    "woaini", "aini", "admin", "bangong", "bangongshi", "jiaoyu", "shenhe", "bianji", "guanli", "mima",
    "qwer", "asdf", "zxcv", "gov", "editor", "reviewer",
)  # fmt: skip


def context_words(user: Any = None) -> list[str]:
    words = list(CONTEXT_WORDS)
    if user is not None:
        words += [str(getattr(user, name, "") or "") for name in ("username", "display_name", "email")]
        organisation = getattr(user, "organisation", None) if getattr(user, "organisation_id", None) else None
        if organisation is not None:
            words += [
                organisation.code,
                *organisation.code.split("-"),
                organisation.name,
                organisation.organ_code,
            ]
    return [word for word in words if word]


class StrengthValidator:
    """Refuse passwords whose zxcvbn score is below `min_score` (0–4; 3 ≈ 10^10 guesses)."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        result = zxcvbn(password[:100], user_inputs=context_words(user))
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "密码强度不足，容易被猜中（如常见单词、拼音、用户名或单位名称加年份、键盘序列）。"
                    "请使用更长、更不规则的密码，例如几个不相关的词加数字和符号。"
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("密码不能是常见单词、拼音、用户名或单位名称加数字等容易猜中的组合。")
