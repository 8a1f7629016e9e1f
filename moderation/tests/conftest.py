import pytest

from hindsight.testing import give_authenticator, make_moderator


@pytest.fixture
def moderator(transactional_db):
    return make_moderator()


@pytest.fixture
def totp_secret(moderator):
    return give_authenticator(moderator)
