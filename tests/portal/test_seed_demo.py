import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from associations.models import Activity, Branch, LeaderAccount, LeadershipPosition, Member, Partner, WorkPlanItem

COUNTED = [Member, Branch, LeadershipPosition, WorkPlanItem, Activity, Partner]


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True  # as under `make run`; pytest-django turns it off


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """`seed_demo` run once for the tests of a class (a run takes seconds): each of them runs in its own
    savepoint as usual, and the demo is rolled back after the class, before the test that needs an
    empty database."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        call_command("seed_demo")
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
@pytest.mark.xdist_group("seed_demo")  # the class's fixture made once, on one worker
class TestSeedDemoOnce:
    def test_every_issuing_body_has_a_signer(self):
        from friendship_portal.core.models import IssuingBody

        signers = dict(IssuingBody.objects.values_list("key", "signer_name"))
        assert signers["union"] == "Lê Văn Khánh"
        assert signers["laos"] == "Trần Báu Hà"
        assert all(signers.values())

    def test_seed_demo_creates_the_demo_accounts_with_their_roles(self, settings):
        User = get_user_model()
        roles = {user.username: sorted(user.groups.values_list("name", flat=True)) for user in User.objects.all()}
        assert roles == {
            "staff": ["union_staff"],
            "leader.laos": ["association_leader"],
            "leader.russia": ["association_leader"],
            "leader.thailand": ["association_leader"],
            "leader.czech_slovakia": ["association_leader"],
            "leader.poland": ["association_leader"],
            "province": ["provincial_office"],
            "admin": ["administrator"],
        }
        # Every association has a leader of its own, who endorses its plans.
        assert {
            account.user.username: account.association.code
            for account in LeaderAccount.objects.select_related("user", "association")
        } == {f"leader.{code}": code for code in ("laos", "russia", "thailand", "czech_slovakia", "poland")}
        admin = User.objects.get(username="admin")
        assert (admin.is_superuser, admin.is_staff) == (False, True)  # the administrator role, not a superuser
        assert all(user.check_password(settings.PORTAL_DEMO_PASSWORD) for user in User.objects.all())

    def test_seed_demo_gives_every_association_records(self):
        for model in (Member, Branch, LeadershipPosition, WorkPlanItem, Activity):
            assert set(
                model.objects.values_list(
                    "association__code" if model is not WorkPlanItem else "plan__association__code", flat=True
                )
            ) == {"laos", "russia", "thailand", "czech_slovakia", "poland"}, model
        assert Partner.objects.filter(lao_province__iso_code="LA-BL").exists()  # Bolikhamxay
        assert Member.objects.filter(kind=Member.Kind.COLLECTIVE).exists()
        assert Member.history.count() >= Member.objects.count()  # every demo member has its "created" row

    def test_seed_demo_twice_duplicates_nothing_and_runs_with_debug_off_when_forced(self, settings):
        first = counts()
        settings.DEBUG = False
        printed = io.StringIO()
        call_command("seed_demo", force=True, stdout=printed)
        assert printed.getvalue().endswith("Demo data ready.\n")
        assert counts() == first
        assert all(first.values())


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    """Refused on an empty database; forced, it runs (the class above runs it forced with DEBUG off)."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
