"""Fill the English catalogue from scripts/en_translations.json and compile every .po to .mo.

polib does the compiling, so no GNU gettext is needed to build the catalogues.
"""

import json
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
translations = json.loads((ROOT / "scripts" / "en_translations.json").read_text())

for po_path in ROOT.joinpath("src/gongkai/locale").rglob("*.po"):
    catalogue = polib.pofile(str(po_path))
    missing = []
    for entry in catalogue:
        value = translations.get(entry.msgid)
        if isinstance(value, list) and entry.msgid_plural:
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        elif isinstance(value, str) and not entry.msgid_plural:
            entry.msgstr = value
        elif isinstance(value, str):  # a plural entry needs [singular, plural], not a string
            entry.msgstr_plural = {0: "", 1: ""}
            missing.append(entry.msgid)
        elif not entry.msgstr and not any(entry.msgstr_plural.values()):
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:  # a guess by makemessages: use only a translation we wrote
            entry.flags.remove("fuzzy")
            if value is None:
                entry.msgstr = ""
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: "", 1: ""}
                if entry.msgid not in missing:
                    missing.append(entry.msgid)
    catalogue.metadata["Language"] = po_path.parent.parent.name
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()
    catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path} ({len(missing)} untranslated)")
    for msgid in missing:
        print(f"  untranslated: {json.dumps(msgid, ensure_ascii=False)}")
