"""The stopped clock's moments: the tests' days are days in Hà Tĩnh."""

import datetime
import zoneinfo

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment of `day` in Hà Tĩnh, for time_machine."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)
