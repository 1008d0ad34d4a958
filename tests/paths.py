"""Where the tests find their files, wherever a test module sits under tests/<app>/."""

from __future__ import annotations

import os
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
CONTENT = ROOT / "src" / "gongkai" / "demo" / "content"
#: The shared real data (evaluation data stays there, never copied into the project).
SHARED_DATA = Path(os.environ.get("GONGKAI_SHARED_DATA", ROOT.parent / "shared" / "data"))
