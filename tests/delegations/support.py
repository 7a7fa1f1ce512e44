"""What several delegation tests share: the stopped clock's day, sample files, the event trail."""

import datetime

from delegations.models import DelegationEvent
from tests import samples

# The clock of most tests: a Monday morning in Hà Tĩnh, a week before the factories' trip (11–15/05/2026).
TODAY = datetime.date(2026, 5, 4)


def events_of(delegation) -> list[DelegationEvent]:
    return list(DelegationEvent.objects.filter(delegation=delegation).order_by("pk"))


# Small but genuine files of each accepted kind (tests/samples.py makes them).
SAMPLES = {
    "quyet-dinh.pdf": samples.PDF,
    "de-an.docx": samples.DOCX,
    "du-toan.xlsx": samples.XLSX,
    "anh-doan.png": samples.PNG,
    "anh-ban-giao.jpg": samples.JPEG,
    "bao-cao-cu.doc": samples.DOC,
    "du-toan-cu.xls": samples.XLS,
}
