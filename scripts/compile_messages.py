"""Compile every .po under src/gongkai/locale to .mo with polib (no GNU gettext needed)."""

from pathlib import Path

import polib

for po_path in Path(__file__).resolve().parent.parent.joinpath("src/gongkai/locale").rglob("*.po"):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path}")
