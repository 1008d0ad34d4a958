"""What every `gongkai` command shares.

The `--json` convention: a command prints exactly one JSON document on standard output (UTF-8, not
JSON Lines) — a list with one object per input, in input order, where the command takes several
inputs (files, strings, organisations), an object otherwise. Progress bars, notices and summaries go
to standard error, and the exit status says whether everything worked.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand


def write_json(command: BaseCommand, payload: dict[str, Any] | list[Any]) -> None:
    """Print `payload` as the command's one JSON document."""
    command.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
