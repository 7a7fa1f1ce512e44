from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from friendship_portal.core.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Write one archive of the database and the media files, with a manifest; print its path."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="A folder (the archive gets a dated name) or an archive file name; default PORTAL_BACKUP_DIR.",
        )
        parser.add_argument("--database", default="default", help="The database alias to back up.")

    def handle(self, *args, output=None, database="default", **options):
        try:
            archive = backup_create(output=output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(archive))
