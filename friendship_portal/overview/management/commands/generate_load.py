"""`python manage.py generate_load --scale N`: a synthetic province at N times the demo, for benchmarks.

Each app that has load data keeps it in its own `load` module (as its demo data in `demo`), found here in
the order of INSTALLED_APPS, so the ground (associations) is written before what stands on it:

- `generate(*, scale, rng, today, tag, stdout) -> list[str]` writes the app's rows and says what it wrote;
- `foreign_rows() -> list[str]` (optional) names rows of the app that neither seed_demo nor a load wrote;
- `loaded(*, tag) -> str` (optional) names what a load with this tag already wrote (its keys would clash).

The rule: the command writes only into a database that is empty (just migrated) or holds nothing but what
seed_demo and generate_load write. It refuses, saying what it found, when

- an account is not one of the demo's (staff, province, admin and the associations' leaders: ACCOUNTS in
  associations/demo.py);
- a history row names a user, or the admin's log holds an entry: someone created or changed a record
  through the portal, an import or /admin/ (seed_demo and generate_load write none such);
- an app holds rows with other keys than the demo's and the loads' (students whose passports are not DM…
  or L<tag>…, aid whose codes are not VT-… or L<tag>-…).

`--force` writes anyway. What it never overrides: a database that already holds the load of the same seed
(its passports and codes would clash) — pass another `--seed` to add a second load. An empty database
(no account at all) gets the demo first (seed_demo), which the load's rows refer to (accounts, partners).
Everything is written in one transaction: a run that fails leaves nothing behind.
"""

import datetime
import random
import time
import zlib
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, no_translations
from django.db import connection, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from friendship_portal.core import figures

DEFAULT_SEED = 2026
BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def load_tag(seed: int) -> str:
    """Three letters or digits that tell one seed's load from another's (in passports and aid codes)."""
    number = zlib.crc32(str(seed).encode()) % 36**3
    return "".join(BASE36[number // 36**power % 36] for power in (2, 1, 0))


def load_modules() -> list:
    """(app config, its `load` module) for every installed app that has one, in INSTALLED_APPS order."""
    found = []
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.load"
        if find_spec(app_config.name) and find_spec(name) is not None:
            found.append((app_config, import_module(name)))
    return found


def changed_by_people() -> list[str]:
    """Where a person left a trace: a history row naming its user, an entry in the admin's log."""
    found = []
    for model in apps.get_models():
        fields = {field.name for field in model._meta.fields}
        if not issubclass(model, HistoricalChanges) or "history_user" not in fields:
            continue  # not a history table, or the table of a history's many-to-many links
        username = model.objects.filter(history_user__isnull=False).values_list("history_user__username", flat=True)
        first = username.first()
        if first is not None:
            records = model.instance_type._meta.verbose_name_plural
            found.append(f"{records} changed by “{first}” (their history names who changed them)")
    entry = LogEntry.objects.order_by("pk").first()
    if entry is not None:
        found.append(f"changes made in /admin/ (the admin's log, first by “{entry.user}”)")
    return found


def a_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, not “{value}”.") from error


class Command(BaseCommand):
    help = (
        "Write a synthetic province at N times the demo data, for benchmarks. Refuses a database holding "
        "anything but the demo and earlier loads unless --force; loads the demo first into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="N: how many times the demo (default 1).")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"The same seed writes the same rows (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--today", type=a_date, default=None, help="The day the data is dated from, YYYY-MM-DD (default today)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Write even into a database holding other data than the demo's."
        )

    @no_translations  # its messages and the names of the records it lists are in English
    def handle(self, *args, scale: int = 1, seed: int = DEFAULT_SEED, today=None, force: bool = False, **options):
        if scale < 1:
            raise CommandError("--scale must be a whole number of at least 1.")
        today = today or timezone.localdate()
        tag = load_tag(seed)
        modules = load_modules()

        clashes = [text for _app, module in modules if hasattr(module, "loaded") and (text := module.loaded(tag=tag))]
        if clashes:
            raise CommandError(
                f"This database already holds the load of seed {seed} ({'; '.join(clashes)}): a second one would "
                "repeat its passports and codes. Pass another --seed to add a second load, or use a fresh database."
            )
        if not force:
            found = [
                text for _app, module in modules if hasattr(module, "foreign_rows") for text in module.foreign_rows()
            ]
            found += changed_by_people()
            if found:
                listed = "\n".join(f"  - {text}" for text in found)
                raise CommandError(
                    "This database holds data that neither seed_demo nor generate_load wrote:\n"
                    f"{listed}\n"
                    "generate_load writes synthetic rows for benchmarks into an empty database or one holding only "
                    "the demo. Run it on a scratch database, or pass --force to write into this one anyway."
                )

        if not get_user_model().objects.exists():
            self.stdout.write("The database is empty: loading the demo first (seed_demo).")
            try:
                call_command("seed_demo", force=force, stdout=self.stdout)
            except CommandError as error:
                raise CommandError(
                    f"generate_load loads the demo into an empty database first, and: {error}"
                ) from error

        self.stdout.write(f"Writing the load: scale {scale}, seed {seed} (tag {tag}), dated from {today:%d/%m/%Y}.")
        began = time.monotonic()
        with transaction.atomic():
            for app_config, module in modules:
                # One generator an app, so what an app draws does not depend on the apps before it.
                rng = random.Random(f"generate_load-{seed}-{app_config.label}")  # nosec B311  # not for secrets
                started = time.monotonic()
                for line in module.generate(scale=scale, rng=rng, today=today, tag=tag, stdout=self.stdout):
                    self.stdout.write(f"{app_config.label}: {line}")
                self.stdout.write(f"{app_config.label}: {time.monotonic() - started:.1f} s")
        # Fresh statistics, so what is measured next is planned as it will be. Not inside a caller's transaction
        # (a test's): statistics taken of rows that are then rolled back would tell the planner the tables are
        # empty, and every later query there would be planned for one row.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        figures.changed()  # the cached figures are read again: bulk writes send no signal
        self.stdout.write(self.style.SUCCESS(f"Load written in {time.monotonic() - began:.0f} s."))
