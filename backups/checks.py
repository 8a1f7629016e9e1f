import os
from pathlib import Path

from django.core.checks import Warning, register

from backups.journal import journal_path


def _writable(path: Path) -> bool:
    if path.exists():
        return path.is_file() and os.access(path, os.W_OK)
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


@register()
def erasure_journal_writable(app_configs, **kwargs):
    path = journal_path()
    if _writable(path):
        return []
    return [Warning(
        f"The erasure journal {path} cannot be written.",
        hint="Set ERASURE_JOURNAL to a file this user can create and append to, ideally on "
             "another disk than the database. Without it, a restore from a backup can only "
             "apply again the erasures the live database still records.",
        id="backups.W001",
    )]
