"""Factories for delegations, their members, reports, recovery records and files.

A delegation belongs to Việt Nam–Lào unless told otherwise, is prepared by the cast's staff
member, goes to Laos for five days in May 2026, is in the yearly plan with every commitment
signed, and has one member, its head: it breaks none of the submission checks and can be
submitted as it is.
"""

import datetime

import factory
from django.core.files.base import ContentFile

from associations.models import LaoProvince
from delegations.models import (
    Attachment,
    Delegation,
    DelegationEvent,
    DelegationMember,
    RecoveryRecord,
    TripReport,
)
from tests import samples
from tests.factories import UserFactory, association

PDF = samples.PDF


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation
        skip_postgeneration_save = True

    class Params:
        # An inbound visit: registered, hosted by the union, guests from Laos.
        inbound = factory.Trait(direction=Delegation.Direction.INBOUND, status=Delegation.Status.REGISTERED)

    direction = Delegation.Direction.OUTBOUND
    status = Delegation.Status.DRAFT
    title = factory.Sequence(lambda n: f"Đoàn công tác hữu nghị số {n} sang tỉnh Bôlykhămxay")
    purpose = Delegation.Purpose.EXCHANGE
    purpose_detail = "Trao đổi kinh nghiệm công tác hữu nghị, thăm các cơ sở hợp tác."
    association = factory.LazyFunction(lambda: association("laos"))
    countries = ["LA"]
    start_date = datetime.date(2026, 5, 11)
    end_date = factory.LazyAttribute(lambda delegation: delegation.start_date + datetime.timedelta(days=4))
    programme = "Ngày 1: làm việc với Hội hữu nghị Lào – Việt Nam tỉnh Bôlykhămxay."
    in_yearly_plan = True
    funding_source = Delegation.FundingSource.PROVINCIAL_BUDGET
    commits_no_classified_documents = True
    commits_host_law = True
    commits_no_relatives = True
    # The cast's staff member (UserFactory gets or creates by username).
    created_by = factory.SubFactory(UserFactory, username="staff", roles=["union_staff"])

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """`members=3` adds three members, the first the head; `members=0` none. One by default."""
        if not create:
            return
        count = 1 if extracted is None else extracted
        for index in range(count):
            DelegationMemberFactory(delegation=self, is_head=index == 0, **kwargs)


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    delegation = factory.SubFactory(DelegationFactory, members=0)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thành {n}")
    position = "Chuyên viên"
    organization = "Liên hiệp các tổ chức hữu nghị tỉnh Hà Tĩnh"
    nationality = "VN"
    management_level = DelegationMember.ManagementLevel.OFFICIAL
    is_key_leader = False
    is_head = False


class DelegationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationEvent

    delegation = factory.SubFactory(DelegationFactory)
    actor = None
    from_status = ""
    to_status = factory.SelfAttribute("delegation.status")


class TripReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TripReport

    delegation = factory.SubFactory(DelegationFactory, status=Delegation.Status.REPORTED)
    results = "Hai bên ký biên bản ghi nhớ hợp tác giai đoạn 2026–2030."


class RecoveryRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryRecord

    delegation = factory.SubFactory(
        DelegationFactory,
        purpose=Delegation.Purpose.REMAINS_RECOVERY,
        status=Delegation.Status.RETURNED,
        title="Đoàn tìm kiếm, quy tập hài cốt liệt sĩ tại tỉnh Bôlykhămxay",
    )
    lao_province = factory.LazyFunction(lambda: LaoProvince.objects.get(iso_code="LA-BL"))
    sites = "Huyện Khamkeut, huyện Viengthong"
    remains_recovered = 12
    remains_repatriated = 10
    handover_date = datetime.date(2026, 4, 20)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    delegation = factory.SubFactory(DelegationFactory)
    kind = Attachment.Kind.INVITATION
    file = factory.LazyAttribute(lambda attachment: ContentFile(PDF, name=attachment.original_name))
    original_name = "thu-moi.pdf"
    size = len(PDF)
    is_classified = False
