import pytest


@pytest.fixture(autouse=True)
def _research_export_dir(settings, tmp_path):
    """Each test's exports are built in its own directory, never in the site's var/."""
    settings.RESEARCH_EXPORT_DIR = tmp_path / "research-exports"
