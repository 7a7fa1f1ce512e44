"""`generate_load`: a synthetic province at N times the demo, for benchmarks.

A load at scale 1 takes a few seconds, so the class below writes one and its tests read it; the test of
the seed writes one more and compares it with the class's (or writes two when run alone)."""

import hashlib
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from aid_projects import totals
from aid_projects.models import AidEvent, AidProject, Disbursement, DisbursementYear, ProgressReport
from associations.demo import seed_accounts
from associations.load import PLANS_PER_ASSOCIATION
from associations.models import (
    Activity,
    Association,
    Branch,
    LaoProvince,
    LeadershipPosition,
    Member,
    Partner,
    PartnerContact,
    WorkPlan,
    WorkPlanItem,
)
from delegations.load import PATHS
from delegations.models import BudgetLine, Delegation, DelegationEvent, DelegationMember, ItineraryItem, TripReport
from friendship_portal.overview.management.commands import generate_load
from scholarships import search
from scholarships.models import Award, Enrollment, Payment, Student, StudentSearch

# What seed_demo makes (counted after it ran); a load writes about `scale` times as much of each.
DEMO = {
    Branch: 23,
    Member: 395,
    LeadershipPosition: 15,
    WorkPlanItem: 60,
    Activity: 42,
    Partner: 42,
    PartnerContact: 9,
    Delegation: 49,
    DelegationMember: 186,
    ItineraryItem: 177,
    BudgetLine: 324,
    DelegationEvent: 311,
    TripReport: 33,
    Student: 3150,
    Enrollment: 3150,
    Award: 1060,
    Payment: 5570,
    AidProject: 135,
    Disbursement: 712,
    AidEvent: 751,
    ProgressReport: 667,
}
SEED = 7
TAG = generate_load.load_tag(SEED)
FIRST_LOAD = {}  # the digest of the class's load, for the test of the seed


def digest() -> str:
    """What a load wrote, told apart from the keys the database gave it."""
    parts = [
        sorted(Student.objects.values_list("passport_number", "full_name", "date_of_birth", "lao_province__iso_code")),
        sorted(Enrollment.objects.values_list("student__passport_number", "level", "start_date", "status")),
        sorted(Payment.objects.values_list("award__student__passport_number", "kind", "month", "amount", "paid_on")),
        sorted(AidProject.objects.values_list("code", "title", "status", "commitment_amount", "planned_start")),
        sorted(Disbursement.objects.values_list("project__code", "date", "amount")),
        sorted(Member.objects.values_list("association__code", "full_name", "joined_on", "status")),
        sorted(Partner.objects.values_list("name", "country", "kind")),
        sorted(Delegation.objects.values_list("title", "start_date", "status", "direction")),
        sorted(DelegationMember.objects.values_list("delegation__title", "full_name", "is_head")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load(**options):
    call_command("generate_load", scale=1, seed=SEED, **options)


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """A load at scale 1 on the demo's accounts (a database that is not empty, so seed_demo does not
    run), held for the class's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_accounts(password="x")
        load()
        FIRST_LOAD["digest"] = digest()
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("loaded")
@pytest.mark.xdist_group("generate_load")  # the class's fixture made once, on one worker
class TestLoadAtScaleOne:
    def test_every_table_holds_about_scale_times_what_the_demo_makes(self):
        counts = {model: model.objects.count() for model in DEMO}
        outside = {model.__name__: n for model, n in counts.items() if not 0.7 * DEMO[model] <= n <= 1.4 * DEMO[model]}
        assert outside == {}
        assert counts[Student] == counts[Enrollment] == DEMO[Student]
        # One plan per association and year: plans cannot grow with the scale, their focus tasks do.
        assert WorkPlan.objects.count() == 5 * PLANS_PER_ASSOCIATION
        assert AidProject.donors.through.objects.count() >= AidProject.objects.count()
        assert AidProject.communes.through.objects.count() >= AidProject.objects.count()

    def test_aid_and_delegations_are_found_in_every_state(self):
        assert set(AidProject.objects.values_list("status", flat=True)) == set(AidProject.Status)
        statuses = set(Delegation.objects.values_list("direction", "status"))
        for direction in Delegation.Direction:
            found = {status for way, status in statuses if way == direction}
            assert found == set(PATHS[direction]), direction

    def test_a_sample_of_every_table_passes_full_clean(self):
        for model in DEMO:
            ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
            for row in model.objects.filter(pk__in=ids[:: max(1, len(ids) // 15)]):
                # A step the nightly task takes has no actor, which the model allows (null) but a form would
                # not (blank): the demo's and the portal's own such events are the same.
                row.full_clean(exclude=["actor"] if model is DelegationEvent else None)

    def test_the_kept_aid_figures_are_those_the_disbursements_sum_to(self):
        kept = (
            set(DisbursementYear.objects.values_list("year", "total_vnd", "cash_vnd", "projects")),
            dict(AidProject.objects.values_list("pk", "disbursed_vnd")),
        )
        summed = dict(Disbursement.objects.values_list("project").annotate(total=Sum("amount_vnd")).order_by())
        assert kept[1] == {pk: summed.get(pk, Decimal(0)) for pk in kept[1]}
        assert sum(kept[1].values()) > 0
        totals.rebuild()
        assert kept == (
            set(DisbursementYear.objects.values_list("year", "total_vnd", "cash_vnd", "projects")),
            dict(AidProject.objects.values_list("pk", "disbursed_vnd")),
        )

    def test_students_carry_the_seed_in_their_passports_and_point_at_their_enrollment(self):
        assert not Student.objects.exclude(passport_number__startswith=f"L{TAG}").exists()
        assert not AidProject.objects.exclude(code__startswith=f"L{TAG}-").exists()
        if hasattr(Student, "current_enrollment"):
            assert not Student.objects.filter(current_enrollment__isnull=True).exists()

    def test_every_payment_carries_its_students_name(self):
        assert Payment.objects.exists()
        assert not Payment.objects.exclude(student_name=F("award__student__full_name")).exists()

    def test_every_student_has_the_row_the_search_reads(self):
        students = Student.objects.all()
        assert students.count() >= 0.9 * DEMO[Student]
        entries = {entry.pk: (entry.full_name, entry.text) for entry in StudentSearch.objects.all()}
        assert entries == {
            student.pk: (search.entry_for(student).full_name, search.entry_for(student).text) for student in students
        }

    def test_past_payments_are_nearly_all_paid_and_no_future_one_is(self):
        this_month = timezone.localdate().replace(day=1)
        past = Payment.objects.filter(month__lt=this_month)
        assert past.filter(paid_on__isnull=False).count() >= 0.98 * past.count()
        assert not Payment.objects.filter(month__gt=this_month, paid_on__isnull=False).exists()

    def test_the_same_seed_twice_is_refused_even_with_force(self):
        with pytest.raises(CommandError, match="already holds the load of seed 7.*another --seed"):
            load(force=True)


@pytest.mark.django_db
def test_the_same_seed_writes_the_same_rows_even_into_a_database_it_must_be_forced_into(monkeypatch):
    """An empty database gets the demo first (here only its accounts, standing in for seed_demo); a
    database holding someone else's account is refused, and written into the same way with --force."""
    ran = []

    def seed_demo_stand_in(name, **options):
        ran.append(name)
        seed_accounts(password="x")

    if "digest" not in FIRST_LOAD:  # run alone: write the first load here
        with transaction.atomic():
            monkeypatch.setattr(generate_load, "call_command", seed_demo_stand_in)
            load()
            assert ran == ["seed_demo"]
            FIRST_LOAD["digest"] = digest()
            transaction.set_rollback(True)
    seed_accounts(password="x")
    get_user_model().objects.create_user("nguyen.van.an")
    with pytest.raises(CommandError, match="“nguyen.van.an”(.|\n)*--force"):
        load()
    assert not Student.objects.exists()
    load(force=True)
    assert digest() == FIRST_LOAD["digest"]


@pytest.mark.django_db
def test_an_empty_database_gets_the_demo_first(monkeypatch):
    ran = []
    monkeypatch.setattr(generate_load, "call_command", lambda name, **options: ran.append(name))
    monkeypatch.setattr(generate_load, "load_modules", lambda: [])  # what comes after is tested above
    load()
    assert ran == ["seed_demo"]


@pytest.mark.django_db
def test_a_database_where_people_changed_records_is_refused():
    users = seed_accounts(password="x")
    member = Member(association=Association.objects.get(code="laos"), full_name="Hồ Thị Lan", joined_on="2020-01-01")
    member._history_user = users["staff"]
    member.save()
    with pytest.raises(CommandError, match="members changed by “staff”"):
        load()
    assert not Student.objects.exists()


@pytest.mark.django_db
def test_students_the_demo_did_not_write_are_refused():
    seed_accounts(password="x")
    Student.objects.bulk_create(  # no history row: written by a script, not by a person in the portal
        [
            Student(
                full_name="Bounmy Sisavath",
                gender="male",
                date_of_birth="2004-05-01",
                lao_province=LaoProvince.objects.first(),
                passport_number="P1234567",
            )
        ]
    )
    with pytest.raises(CommandError, match="passport “P1234567”"):
        load()


@pytest.mark.django_db
def test_the_scale_is_a_whole_number_of_at_least_one_and_today_a_date():
    with pytest.raises(CommandError, match="--scale"):
        call_command("generate_load", scale=0)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("generate_load", "--today", "03/12/2026")


def test_each_seed_has_its_own_tag():
    assert len({generate_load.load_tag(seed) for seed in range(200)}) > 190
    assert generate_load.load_tag(SEED) == generate_load.load_tag(SEED)
