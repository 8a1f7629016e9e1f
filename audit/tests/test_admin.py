"""The audit log in the moderation site: a read-only list for superusers and for people given
`audit.view_auditevent`; nobody can add, change or delete an event there."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from audit.models import Action, AuditEvent
from audit.services import event_record
from audit.services import ip_hash as hash_of_ip
from audit.tests.helpers import WRONG_PASSWORD, password_step
from hindsight.testing import make_moderator, sign_in_moderator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

CHANGELIST = reverse("admin:audit_auditevent_changelist")


def _signed_in(user) -> Client:
    client = Client()
    sign_in_moderator(client, user)
    return client


@pytest.fixture
def superuser():
    user = get_user_model().objects.create_superuser("root", "root@example.invalid",
                                                     "a-long-test-password-2")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def auditor():
    user = make_moderator("auditor")
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return user


def test_a_superuser_reads_the_log_without_any_address_in_it(superuser):
    password_step(Client(), "target@example.com", WRONG_PASSWORD)

    response = _signed_in(superuser).get(CHANGELIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert "signin.failed" in html and "signin.ok" in html  # the failure, and this sign-in
    assert "target@example.com" not in html


def test_a_moderator_without_the_permission_cannot_see_it():
    client = _signed_in(make_moderator())

    assert client.get(CHANGELIST).status_code == 403
    assert "audit" not in client.get(reverse("admin:index")).content.decode().lower()


def test_someone_with_the_view_permission_reads_it_but_cannot_change_anything(auditor):
    event = event_record(action=Action.SIGNOUT, actor=1)
    client = _signed_in(auditor)

    assert client.get(CHANGELIST).status_code == 200
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"action": "signin.ok"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == Action.SIGNOUT


def test_searching_an_address_finds_the_attempts_on_it_by_their_hash(superuser):
    for _ in range(2):
        password_step(Client(), "target@example.com", WRONG_PASSWORD)
    password_step(Client(), "other@example.com", WRONG_PASSWORD)
    client = _signed_in(superuser)

    by_address = client.get(CHANGELIST, {"q": "Target@Example.com"})
    by_connection = client.get(CHANGELIST, {"q": "127.0.0.1"})
    by_code = client.get(CHANGELIST, {"q": "signin.failed"})

    assert by_address.context["cl"].result_count == 2
    assert by_connection.context["cl"].result_count == 3
    assert by_code.context["cl"].result_count == 3


def test_a_hash_links_to_every_event_with_the_same_hash(superuser):
    for address in ("198.51.100.1", "198.51.100.1", "198.51.100.2"):
        password_step(Client(REMOTE_ADDR=address), "target@example.com", WRONG_PASSWORD)
    ip_hash = hash_of_ip("198.51.100.1")
    client = _signed_in(superuser)

    assert f"?ip_hash={ip_hash}" in client.get(CHANGELIST).content.decode()
    assert client.get(CHANGELIST, {"ip_hash": ip_hash}).context["cl"].result_count == 2
