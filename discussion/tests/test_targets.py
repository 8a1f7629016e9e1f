"""The comment engine is not about stories: any page that registers itself takes comments
with the same code (articles will register exactly like this)."""

import pytest
from django.urls import reverse

from discussion import targets
from discussion.models import Comment
from discussion.tests.helpers import comment_data
from hindsight.testing import make_treatment
from treatments.models import Treatment

pytestmark = pytest.mark.django_db


@pytest.fixture
def treatments_take_comments(monkeypatch):
    registry = dict(targets._REGISTRY)
    monkeypatch.setattr(targets, "_REGISTRY", registry)
    targets.register(targets.Commentable(
        kind="treatment", model=Treatment, visible=Treatment.objects.active,
        author_email=lambda treatment: None,
    ))


def test_another_kind_of_page_takes_comments_through_the_same_views(
    client, treatments_take_comments
):
    treatment = make_treatment()
    url = reverse("discussion:write", args=["treatment", treatment.pk])

    assert client.get(url).status_code == 200
    client.post(url, comment_data())

    comment = Comment.objects.get()
    assert comment.target == treatment
    assert comment.status == Comment.Status.UNCONFIRMED


def test_an_unregistered_kind_is_not_found(client):
    treatment = make_treatment()

    assert client.get(reverse("discussion:write", args=["treatment", treatment.pk])
                      ).status_code == 404


def test_deleting_a_page_of_any_registered_kind_deletes_its_discussion(
    client, treatments_take_comments
):
    treatment = make_treatment()
    client.post(reverse("discussion:write", args=["treatment", treatment.pk]), comment_data())
    assert Comment.objects.exists()

    treatment.delete()

    assert not Comment.objects.exists()
