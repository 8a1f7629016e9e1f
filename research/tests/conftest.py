import pytest

from hindsight.testing import make_treatment, sign_in_moderator
from research.tests.helpers import make_researcher


@pytest.fixture(autouse=True)
def _research_export_dir(settings, tmp_path):
    """Each test's exports are built in its own directory, never in the site's var/."""
    settings.RESEARCH_EXPORT_DIR = tmp_path / "research-exports"


@pytest.fixture
def treatment():
    return make_treatment()


@pytest.fixture
def researcher(client):
    """A researcher signed in with a password and an authenticator code, as the site requires."""
    user = make_researcher()
    sign_in_moderator(client, user)
    return user
