import pytest

from friendship_portal.core.models import Notification
from friendship_portal.core.notifications import notify


@pytest.mark.django_db
def test_notices_are_listed_and_marked_read_when_opened(cast, login, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.staff], subject="Nhắc hạn", message="Báo cáo sắp đến hạn", url="/delegations/")
    client = login(cast.staff)
    assert 'data-testid="unread-count"' in client.get("/").content.decode()

    response = client.get("/accounts/notifications/")

    assert "Báo cáo sắp đến hạn" in response.content.decode()
    assert not Notification.objects.filter(user=cast.staff, read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert [mail.to for mail in mailoutbox] == [[cast.staff.email]]


@pytest.mark.django_db
def test_a_user_sees_only_their_own_notices(cast, login):
    notify(users=[cast.province], subject="s", message="Chờ phê duyệt", url="")
    assert "Chờ phê duyệt" not in login(cast.staff).get("/accounts/notifications/").content.decode()
