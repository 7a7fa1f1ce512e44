"""Compile locale/*/LC_MESSAGES/*.po into .mo with polib (no GNU gettext needed).

Usage: python scripts/compile_messages.py [--check]
With --check nothing is written; the exit code is 1 when a .mo is missing or out of date.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def entries(catalog) -> dict:
    """The translated messages of a .po or .mo catalogue, comparable between the two."""
    found = {}
    for entry in catalog:
        translated = entry.msgstr or any(entry.msgstr_plural.values())
        fuzzy = "fuzzy" in getattr(entry, "flags", ())
        if translated and not fuzzy and not getattr(entry, "obsolete", False) and entry.msgid:
            plural = tuple(sorted((int(key), value) for key, value in entry.msgstr_plural.items()))
            found[(entry.msgctxt, entry.msgid)] = (entry.msgstr, plural)
    return found


def main(check: bool) -> int:
    stale = []
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        mo_path = po_path.with_suffix(".mo")
        if check:
            if not mo_path.exists() or entries(polib.mofile(str(mo_path))) != entries(po):
                stale.append(mo_path)
            continue
        po.save_as_mofile(str(mo_path))
        print(f"compiled {mo_path.relative_to(ROOT)} ({len(po.translated_entries())} messages)")
    for path in stale:
        print(f"out of date: {path.relative_to(ROOT)} (run: make messages)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
