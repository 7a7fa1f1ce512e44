"""Factories for the portal's records; the five associations come from the migration."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from associations.models import (
    Activity,
    Association,
    Branch,
    LeaderAccount,
    LeadershipPosition,
    Member,
    Partner,
    PartnerContact,
    WorkPlan,
    WorkPlanItem,
)

PASSWORD = "Test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="vi_VN")
    last_name = factory.Faker("last_name", locale="vi_VN")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


def association(code: str) -> Association:
    return Association.objects.get(code=code)


class LeaderAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaderAccount

    user = factory.SubFactory(UserFactory, roles=["association_leader"])
    association = factory.LazyFunction(lambda: association("laos"))


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    association = factory.LazyFunction(lambda: association("laos"))
    name = factory.Sequence(lambda n: f"Chi hội số {n}")
    location = "Thành phố Hà Tĩnh"
    founded_on = datetime.date(2010, 5, 19)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.LazyFunction(lambda: association("laos"))
    kind = Member.Kind.INDIVIDUAL
    full_name = factory.Faker("name", locale="vi_VN")
    gender = Member.Gender.FEMALE
    birth_year = 1975
    workplace = "Sở Ngoại vụ Hà Tĩnh"
    joined_on = datetime.date(2015, 3, 2)
    status = Member.Status.ACTIVE


class LeadershipPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipPosition

    association = factory.LazyFunction(lambda: association("laos"))
    person_name = factory.Faker("name", locale="vi_VN")
    role = LeadershipPosition.Role.VICE_CHAIR
    term_label = "2022–2027"
    term_start = datetime.date(2022, 6, 1)
    term_end = datetime.date(2027, 6, 1)
    is_concurrent = True
    main_job = "Phó Giám đốc Sở Ngoại vụ"


class WorkPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlan

    association = factory.LazyFunction(lambda: association("laos"))
    year = 2026
    title = factory.LazyAttribute(lambda plan: f"Kế hoạch công tác năm {plan.year}")


class WorkPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkPlanItem

    plan = factory.SubFactory(WorkPlanFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Nhiệm vụ trọng tâm {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Đối tác số {n}")
    kind = Partner.Kind.FOREIGN_LOCALITY
    country = "LA"
    association = factory.LazyFunction(lambda: association("laos"))


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    full_name = "Khamphouvong Sisavath"
    position = "Chánh Văn phòng"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    association = factory.LazyFunction(lambda: association("laos"))
    kind = Activity.Kind.EXCHANGE
    title = factory.Sequence(lambda n: f"Giao lưu hữu nghị lần {n}")
    held_on = datetime.date(2026, 4, 10)
    location = "Hà Tĩnh"
