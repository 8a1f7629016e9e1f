from django.core.management.base import BaseCommand

from search.services import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Build the search index again from the published stories, follow-ups and articles. "
        "Safe to run at any time; needed after content is written without model signals "
        "(bulk loads such as load_demo)."
    )

    def handle(self, *args, **options) -> None:
        count = search_index_rebuild()
        self.stdout.write(f"Indexed {count} documents.")
