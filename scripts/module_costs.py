"""Write tests/module_costs.json from a JUnit report of a whole run (`pytest --junitxml=FILE`).

The test workers take whole modules (`--dist loadfile`); `tests/conftest.py` hands out the modules
that cost most first, so that no worker starts a two-minute module when the other is nearly done.
The figures are seconds of the measured run (only their order matters); refresh them when modules
grow: `python -m pytest -n auto --dist loadfile --junitxml=/tmp/run.xml && python
scripts/module_costs.py /tmp/run.xml`.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "tests" / "module_costs.json"


def module_costs(report: Path) -> dict[str, float]:
    costs: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        module = (case.get("classname") or "").replace(".", "/") + ".py"
        costs[module] += float(case.get("time") or 0)
    return {module: round(seconds, 1) for module, seconds in costs.most_common() if seconds >= 1}


if __name__ == "__main__":
    TARGET.write_text(json.dumps(module_costs(Path(sys.argv[1])), indent=0) + "\n", encoding="utf-8")
    print(f"{TARGET}: written")
