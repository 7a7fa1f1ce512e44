"""Vietnamese is complete: every message is translated, compiled, and nothing in the code is left out."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_vietnamese_message_is_translated():
    catalog = polib.pofile(str(PO))
    assert len(catalog) > 100
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date():
    result = subprocess.run(
        [sys.executable, "scripts/compile_messages.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Extract the messages again (GNU gettext) and compare: a new string must be translated too."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: cannot re-extract the messages here")
    work = tmp_path / "project"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "static", "node_modules", "__pycache__", "*.mo"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "vi", "--no-obsolete", "--ignore", "tests/*"],
        cwd=work,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PORTAL_VAR_DIR": str(tmp_path / "var")},
    )
    assert result.returncode == 0, result.stderr
    fresh = {entry.msgid for entry in polib.pofile(str(work / "locale/vi/LC_MESSAGES/django.po"))}
    known = {entry.msgid for entry in polib.pofile(str(PO)) if entry.translated()}
    assert sorted(fresh - known) == []
