"""Add or correct Vietnamese translations in locale/vi/LC_MESSAGES/django.po, then compile it.

Usage: python scripts/add_translations.py 'English msgid=>Bản dịch' ['…=>…' …]
       python scripts/add_translations.py --plural 'one msgid|plural msgid=>Bản dịch' …

For when `make messages` (GNU gettext) is not at hand: the entry is added if missing, its
translation replaced if present. The catalogue is read and written under a lock, so two editors
adding messages at the same time do not undo each other's.
"""

import fcntl
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def add(pairs: list[str], plural: bool) -> int:
    with open(CATALOGUE.with_suffix(".po.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(CATALOGUE))
        for pair in pairs:
            if "=>" not in pair:
                print(f"not 'msgid=>msgstr': {pair!r}", file=sys.stderr)
                return 2
            msgid, msgstr = pair.split("=>", 1)
            if plural:
                singular, plural_id = msgid.split("|", 1)
                entry = po.find(singular)
                if entry is None:
                    entry = polib.POEntry(msgid=singular, msgid_plural=plural_id)
                    po.append(entry)
                entry.msgid_plural = plural_id
                entry.msgstr_plural = {0: msgstr}
            else:
                entry = po.find(msgid)
                if entry is None:
                    entry = polib.POEntry(msgid=msgid)
                    po.append(entry)
                entry.msgstr = msgstr
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save(str(CATALOGUE))
        return subprocess.call([sys.executable, str(ROOT / "scripts" / "compile_messages.py")])


if __name__ == "__main__":
    arguments = sys.argv[1:]
    is_plural = "--plural" in arguments
    sys.exit(add([a for a in arguments if a != "--plural"], is_plural))
