import json

import pytest
from django.db import connection
from django.test import override_settings

from friendship_portal.core import views


@pytest.mark.django_db
def test_healthz_answers_without_login(client, settings):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["database"] == "ok"
    expected_broker = "not configured" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["broker"] == expected_broker
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise views.DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["database"].startswith("error")


@pytest.mark.django_db
def test_healthz_is_503_when_the_configured_broker_is_down(client):
    # Nothing listens on port 1: a configured broker that cannot be reached makes the portal unhealthy.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["broker"].startswith("error")


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405
