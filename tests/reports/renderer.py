"""Whether this machine can render documents as the office sees them (LibreOffice and pdftotext),
and the one rule for the tests that need them: CI (CI=true) always renders and fails loudly when a
program is missing; elsewhere those tests are skipped with a reason no one can miss."""

import os
import shutil

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
MISSING = [
    name
    for name, path in (("LibreOffice (soffice)", SOFFICE), ("pdftotext", PDFTOTEXT), ("pdfinfo", PDFINFO))
    if not path
]
IN_CI = os.environ.get("CI") == "true"
INSTALL = "apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils"
SKIP_REASON = f"!!!! {' and '.join(MISSING)} not installed: documents are not rendered here (CI always renders them)"


def require_renderer() -> None:
    """Fail in CI, skip loudly elsewhere, when a program the rendering needs is missing."""
    if not MISSING:
        return
    if IN_CI:
        pytest.fail(f"CI must render the documents, and this is missing: {', '.join(MISSING)} ({INSTALL})")
    pytest.skip(SKIP_REASON)
