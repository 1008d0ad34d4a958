"""SMS: the interface every backend implements, and a file backend for development and the demo.

No provider is built in: a deployment names its own class in the SMS_BACKEND setting.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone


class BaseBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class FileBackend(BaseBackend):
    """Appends one JSON line per message to SMS_FILE_PATH/<date>.jsonl."""

    def send(self, phone: str, text: str) -> None:
        folder = Path(getattr(settings, "SMS_FILE_PATH", "") or Path(settings.DATA_DIR) / "sms")
        folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": timezone.now().isoformat(), "phone": phone, "text": text}, ensure_ascii=False
        )
        with (folder / f"{timezone.localdate():%Y-%m-%d}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
