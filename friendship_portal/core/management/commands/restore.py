from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from friendship_portal.core.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Load an archive written by `backup` into an empty database and check it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default="default", help="The database alias to restore into.")

    def handle(self, *args, archive, database="default", **options):
        try:
            result = backup_restore(archive=archive, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored %(rows)s rows in %(tables)s tables and %(files)s files; every count and checksum "
                    "matches the manifest."
                )
                % {"rows": result.rows, "tables": result.tables, "files": result.files}
            )
        )
