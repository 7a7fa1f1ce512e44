"""Demo delegations: every status in both directions, several years back, and the yearly
remains-recovery missions with Bolikhamxay and Vientiane Capital since 1999 (769 repatriated).

Records are found by title before they are made, so running it again adds nothing.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from associations.models import Association, LaoProvince, Partner
from delegations.models import (
    BudgetLine,
    CheckWarning,
    Delegation,
    DelegationEvent,
    DelegationMember,
    ItineraryItem,
    RecoveryRecord,
    TripReport,
)
from delegations.services import report_due_date

Status = Delegation.Status
OUT, IN = Delegation.Direction.OUTBOUND, Delegation.Direction.INBOUND

# The path each demo delegation took to reach its status, after its creation.
PATHS = {
    OUT: {
        Status.DRAFT: [],
        Status.SUBMITTED: [Status.SUBMITTED],
        Status.RETURNED_FOR_REVISION: [Status.SUBMITTED, Status.RETURNED_FOR_REVISION],
        Status.ENDORSED: [Status.SUBMITTED, Status.ENDORSED],
        Status.APPROVED: [Status.SUBMITTED, Status.ENDORSED, Status.APPROVED],
        Status.REJECTED: [Status.SUBMITTED, Status.ENDORSED, Status.REJECTED],
        Status.ABROAD: [Status.SUBMITTED, Status.ENDORSED, Status.APPROVED, Status.ABROAD],
        Status.RETURNED: [Status.SUBMITTED, Status.ENDORSED, Status.APPROVED, Status.ABROAD, Status.RETURNED],
        Status.REPORTED: [
            Status.SUBMITTED,
            Status.ENDORSED,
            Status.APPROVED,
            Status.ABROAD,
            Status.RETURNED,
            Status.REPORTED,
        ],
        Status.CLOSED: [
            Status.SUBMITTED,
            Status.ENDORSED,
            Status.APPROVED,
            Status.ABROAD,
            Status.RETURNED,
            Status.REPORTED,
            Status.CLOSED,
        ],
        Status.CANCELLED: [Status.SUBMITTED, Status.CANCELLED],
    },
    IN: {
        Status.REGISTERED: [],
        Status.APPROVED: [Status.APPROVED],
        Status.REJECTED: [Status.REJECTED],
        Status.HOSTING: [Status.APPROVED, Status.HOSTING],
        Status.COMPLETED: [Status.APPROVED, Status.HOSTING, Status.COMPLETED],
        Status.REPORTED: [Status.APPROVED, Status.HOSTING, Status.COMPLETED, Status.REPORTED],
        Status.CANCELLED: [Status.CANCELLED],
    },
}
ACTORS = {
    Status.SUBMITTED: "staff",
    Status.RETURNED_FOR_REVISION: "association",
    Status.ENDORSED: "association",
    Status.APPROVED: "province",
    Status.REJECTED: "province",
    Status.REPORTED: "staff",
    Status.CLOSED: "province",
    Status.CANCELLED: "staff",
}
COMMENTS = {
    Status.RETURNED_FOR_REVISION: "Đề nghị bổ sung thư mời của đối tác và dự toán chi tiết.",
    Status.REJECTED: "Chưa phù hợp với kế hoạch đối ngoại năm của tỉnh.",
    Status.CANCELLED: "Đối tác đề nghị lùi thời gian đón đoàn.",
}

# title, association, partner name, countries, purpose, start offset from today (days), length, status
OUTBOUND = [
    (
        "Đoàn công tác chúc Tết Bunpimay tỉnh Bôlykhămxay",
        "laos",
        "Ủy ban Mặt trận Lào xây dựng đất nước tỉnh Bôlykhămxay",
        ["LA"],
        "anniversary",
        40,
        4,
        Status.DRAFT,
    ),
    (
        "Đoàn dự Hội nghị hữu nghị ba tỉnh Hà Tĩnh – Khăm Muộn – Savannakhet",
        "laos",
        "Hội Hữu nghị Lào – Việt Nam tỉnh Khăm Muộn",
        ["LA"],
        "exchange",
        25,
        5,
        Status.SUBMITTED,
    ),
    (
        "Đoàn giao lưu hội viên Hội Hữu nghị Việt Nam – Nga tại Saint Petersburg",
        "russia",
        "Hội Hữu nghị Nga – Việt",
        ["RU"],
        "exchange",
        60,
        8,
        Status.RETURNED_FOR_REVISION,
    ),
    (
        "Đoàn xúc tiến du lịch tại Nakhon Phanom",
        "thailand",
        "Hội người Việt Nam tại tỉnh Nakhon Phanom",
        ["TH"],
        "investment",
        30,
        4,
        Status.ENDORSED,
    ),
    (
        "Đoàn khảo sát hợp tác đào tạo nghề tại Savannakhet",
        "laos",
        "Sở Ngoại vụ tỉnh Savannakhet",
        ["LA"],
        "training",
        12,
        3,
        Status.APPROVED,
    ),
    (
        "Đoàn công tác tại Cộng hòa Séc và Slovakia",
        "czech_slovakia",
        "Đại sứ quán Cộng hòa Séc tại Việt Nam",
        ["CZ", "SK", "AT", "HU"],
        "aid",
        -200,
        12,
        Status.REJECTED,
    ),
    (
        "Đoàn dự lễ kỷ niệm Quốc khánh Lào tại Viêng Chăn",
        "laos",
        "Ban Công tác đặc biệt Thủ đô Viêng Chăn",
        ["LA"],
        "anniversary",
        -2,
        5,
        Status.ABROAD,
    ),
    (
        "Đoàn vận động viện trợ tại Ba Lan",
        "poland",
        "Đại sứ quán Cộng hòa Ba Lan tại Việt Nam",
        ["PL"],
        "aid",
        -30,
        7,
        Status.RETURNED,
    ),
    (
        "Đoàn giao lưu văn hóa tại tỉnh Khăm Muộn",
        "laos",
        "Hội Hữu nghị Lào – Việt Nam tỉnh Khăm Muộn",
        ["LA"],
        "exchange",
        -12,
        3,
        Status.RETURNED,
    ),
    (
        "Đoàn trao đổi kinh nghiệm đào tạo tiếng Việt tại Luông Pha Bang",
        "laos",
        "Sở Ngoại vụ tỉnh Savannakhet",
        ["LA"],
        "training",
        -120,
        5,
        Status.REPORTED,
    ),
    (
        "Đoàn dự Ngày Chiến thắng tại Moskva",
        "russia",
        "Hội Hữu nghị Nga – Việt",
        ["RU"],
        "anniversary",
        -205,
        6,
        Status.CLOSED,
    ),
    (
        "Đoàn xúc tiến thương mại tại Udon Thani",
        "thailand",
        "Tổng Lãnh sự quán Thái Lan tại Savannakhet",
        ["TH"],
        "investment",
        -90,
        4,
        Status.CANCELLED,
    ),
    (
        "Đoàn công tác tỉnh Hủa Phăn năm 2025",
        "laos",
        "Ủy ban Mặt trận Lào xây dựng đất nước tỉnh Bôlykhămxay",
        ["LA"],
        "exchange",
        -420,
        4,
        Status.CLOSED,
    ),
    (
        "Đoàn giao lưu Hội Hữu nghị Việt Nam – Ba Lan năm 2024",
        "poland",
        "Đại sứ quán Cộng hòa Ba Lan tại Việt Nam",
        ["PL"],
        "exchange",
        -800,
        7,
        Status.CLOSED,
    ),
]
INBOUND = [
    (
        "Đoàn Ủy ban nhân dân tỉnh Bôlykhămxay thăm Hà Tĩnh",
        "laos",
        "Ủy ban Mặt trận Lào xây dựng đất nước tỉnh Bôlykhămxay",
        ["LA"],
        "exchange",
        35,
        3,
        Status.REGISTERED,
    ),
    (
        "Đoàn Tổng Lãnh sự quán Lào chúc Tết cổ truyền",
        "laos",
        "Tổng Lãnh sự quán nước CHDCND Lào tại Đà Nẵng",
        ["LA"],
        "anniversary",
        20,
        2,
        Status.APPROVED,
    ),
    (
        "Đoàn doanh nghiệp Thái Lan khảo sát Vũng Áng",
        "thailand",
        "Tổng Lãnh sự quán Thái Lan tại Savannakhet",
        ["TH"],
        "investment",
        -150,
        2,
        Status.REJECTED,
    ),
    (
        "Đoàn Tầm nhìn Thế giới khảo sát dự án",
        None,
        "Tổ chức Tầm nhìn Thế giới (World Vision)",
        ["US"],
        "aid",
        -1,
        3,
        Status.HOSTING,
    ),
    (
        "Đoàn Hội Hữu nghị Nga – Việt thăm Hà Tĩnh",
        "russia",
        "Hội Hữu nghị Nga – Việt",
        ["RU"],
        "exchange",
        -25,
        3,
        Status.COMPLETED,
    ),
    (
        "Đoàn UNICEF đánh giá chương trình dinh dưỡng",
        None,
        "Quỹ Nhi đồng Liên Hợp Quốc (UNICEF)",
        ["US"],
        "aid",
        -60,
        2,
        Status.REPORTED,
    ),
    (
        "Đoàn Đại sứ quán Séc thăm trường Đại học Hà Tĩnh",
        "czech_slovakia",
        "Đại sứ quán Cộng hòa Séc tại Việt Nam",
        ["CZ"],
        "exchange",
        -70,
        1,
        Status.CANCELLED,
    ),
]
MEMBERS = [
    ("Trần Báu Hà", "Phó Chủ tịch UBND tỉnh", "UBND tỉnh Hà Tĩnh", "provincial_standing", True),
    ("Đặng Ngọc Sơn", "Giám đốc", "Sở Ngoại vụ", "department_leader", True),
    ("Nguyễn Thị Hằng", "Phó Chủ tịch", "Liên hiệp các tổ chức hữu nghị tỉnh", "association_leader", False),
    ("Lê Văn Thắng", "Chuyên viên", "Sở Ngoại vụ", "official", False),
    ("Phan Thị Mai", "Chuyên viên", "Liên hiệp các tổ chức hữu nghị tỉnh", "official", False),
]
GUESTS = [
    ("Khamphouvong Sisavath", "Phó Tỉnh trưởng", "LA"),
    ("Bounmy Phommachanh", "Chánh Văn phòng", "LA"),
    ("Ivan Petrov", "Chủ tịch", "RU"),
    ("Somchai Wongsakul", "Tổng Lãnh sự", "TH"),
    ("Sarah Mitchell", "Giám đốc quốc gia", "US"),
]
RECOVERY_TOTAL = 769
RECOVERY_FIRST_YEAR = 1999


def seed(*, today: datetime.date, password: str) -> list[str]:
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=["staff", "leader.laos", "leader.russia", "province"])
    }
    partners = {partner.name: partner for partner in Partner.objects.all()}
    associations = {association.code: association for association in Association.objects.all()}
    made = 0
    for direction, rows in ((OUT, OUTBOUND), (IN, INBOUND)):
        for title, code, partner, countries, purpose, offset, length, status in rows:
            start = today + datetime.timedelta(days=offset)
            made += _delegation(
                direction=direction,
                title=title,
                association=associations.get(code),
                partner=partners.get(partner),
                countries=countries,
                purpose=purpose,
                start=start,
                end=start + datetime.timedelta(days=length - 1),
                status=status,
                users=users,
                today=today,
            )
    made += _recovery_missions(today=today, users=users, associations=associations, partners=partners)
    return [f"{Delegation.objects.count()} delegations ({made} new)"]


def _delegation(*, direction, title, association, partner, countries, purpose, start, end, status, users, today) -> int:
    if Delegation.objects.filter(title=title).exists():
        return 0
    staff = users.get("staff")
    delegation = Delegation.objects.create(
        direction=direction,
        status=status,
        title=title,
        purpose=purpose,
        association=association,
        purpose_detail="Tăng cường quan hệ hữu nghị, hợp tác toàn diện giữa tỉnh Hà Tĩnh và đối tác.",
        countries=countries,
        start_date=start,
        end_date=end,
        programme="Ngày 1: Hội đàm, làm việc với đối tác.\nNgày 2: Thăm cơ sở, giao lưu.\nNgày cuối: Tổng kết, về nước.",
        hosts="Liên hiệp các tổ chức hữu nghị tỉnh; Sở Ngoại vụ" if direction == IN else "",
        in_yearly_plan="Udon" not in title,
        commits_no_classified_documents=direction == OUT and status != Status.DRAFT,
        commits_host_law=direction == OUT,
        commits_no_relatives=direction == OUT,
        created_by=staff,
    )
    if partner:
        delegation.partners.add(partner)
    _people(delegation, direction)
    if direction == OUT:
        ItineraryItem.objects.bulk_create(
            [
                ItineraryItem(
                    delegation=delegation,
                    day=start + datetime.timedelta(days=i),
                    place="Viêng Chăn" if "LA" in countries else "Thủ đô",
                    activity=activity,
                )
                for i, activity in enumerate(["Hội đàm với đối tác", "Thăm cơ sở, giao lưu"])
            ]
        )
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(delegation=delegation, item="Vé máy bay, phương tiện", amount=Decimal(48_000_000)),
                BudgetLine(delegation=delegation, item="Công tác phí, lưu trú", amount=Decimal(36_500_000)),
                BudgetLine(delegation=delegation, item="Quà tặng đối tác", amount=Decimal(8_000_000)),
            ]
        )
    _trail(delegation, PATHS[direction][status], users, start, end, today)
    return 1


def _people(delegation, direction) -> None:
    if direction == OUT:
        DelegationMember.objects.bulk_create(
            [
                DelegationMember(
                    delegation=delegation,
                    full_name=name,
                    position=position,
                    organization=organization,
                    management_level=level,
                    is_key_leader=key and index == 0,
                    is_head=index == 0,
                )
                for index, (name, position, organization, level, key) in enumerate(MEMBERS[:4])
            ]
        )
    else:
        country = delegation.countries[0].code if delegation.countries else "LA"
        guests = [guest for guest in GUESTS if guest[2] == country] or GUESTS[:1]
        DelegationMember.objects.bulk_create(
            [
                DelegationMember(
                    delegation=delegation,
                    full_name=name,
                    position=position,
                    organization=str(delegation.partners.first() or ""),
                    nationality=nationality,
                    is_head=index == 0,
                )
                for index, (name, position, nationality) in enumerate(guests)
            ]
        )


def _trail(delegation, path, users, start, end, today) -> None:
    """The events that brought the delegation to its status, dated before today."""
    first = min(start - datetime.timedelta(days=45), today - datetime.timedelta(days=len(path) + 1))
    actor_for = {
        "staff": users.get("staff"),
        "province": users.get("province"),
        "association": users.get(
            "leader.russia" if delegation.association and delegation.association.code == "russia" else "leader.laos"
        ),
    }
    moments = {
        Status.ABROAD: start,
        Status.HOSTING: start,
        Status.RETURNED: end + datetime.timedelta(days=1),
        Status.COMPLETED: end + datetime.timedelta(days=1),
    }
    previous = Status.DRAFT if delegation.direction == OUT else Status.REGISTERED
    DelegationEvent.objects.create(
        delegation=delegation, actor=users.get("staff"), to_status=previous, created_at=_at(first)
    )
    step_day = first
    for status in path:
        step_day = moments.get(status, min(step_day + datetime.timedelta(days=3), today))
        if status in (Status.REPORTED, Status.CLOSED):
            step_day = min(end + datetime.timedelta(days=10 if status == Status.REPORTED else 14), today)
        DelegationEvent.objects.create(
            delegation=delegation,
            actor=actor_for.get(ACTORS.get(status, "")) if status in ACTORS else None,
            from_status=previous,
            to_status=status,
            comment=COMMENTS.get(status, ""),
            created_at=_at(step_day),
        )
        previous = status
        if status == Status.APPROVED:
            delegation.decision_number = f"{1000 + delegation.pk}/QĐ-UBND"
            delegation.decision_date = step_day
        if status in (Status.RETURNED, Status.COMPLETED):
            delegation.report_due_on = report_due_date(end)
        if status == Status.REPORTED:
            TripReport.objects.create(
                delegation=delegation,
                submitted_by=users.get("staff"),
                submitted_at=_at(step_day),
                results="Hai bên thống nhất tiếp tục tăng cường giao lưu, hợp tác trong các lĩnh vực giáo dục, văn hóa, y tế.",
                agreements="Ký biên bản ghi nhớ hợp tác giai đoạn 2026–2030.",
                follow_up="Đề nghị UBND tỉnh bố trí kinh phí đón đoàn đối tác năm sau.",
                actual_expenses=Decimal(88_200_000) if delegation.direction == OUT else Decimal(12_000_000),
            )
    if Status.SUBMITTED in path and not delegation.in_yearly_plan:
        CheckWarning.objects.create(
            delegation=delegation,
            code="outside_plan",
            message="Chuyến đi nằm ngoài kế hoạch đối ngoại năm.",
            reason="Đối tác mời đột xuất nhân dịp hội chợ thương mại.",
            acknowledged_by=users.get("staff"),
        )
    if len(delegation.countries) > 3:
        CheckWarning.objects.create(
            delegation=delegation,
            code="countries",
            message="Chuyến đi qua 4 nước; giới hạn là 3.",
            reason="Quá cảnh theo lịch bay duy nhất.",
            acknowledged_by=users.get("staff"),
        )
    delegation.save()


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)


def _recovery_missions(*, today, users, associations, partners) -> int:
    """One mission each dry season since 1999, alternating Bolikhamxay and Vientiane Capital."""
    rng = random.Random("demo-recovery")
    last_year = today.year if today.month >= 3 else today.year - 1
    years = list(range(RECOVERY_FIRST_YEAR, last_year + 1))
    counts = [rng.randint(15, 40) for _ in years]
    scale = RECOVERY_TOTAL / sum(counts)
    counts = [max(1, round(count * scale)) for count in counts]
    counts[-1] += RECOVERY_TOTAL - sum(counts)
    provinces = {
        province.iso_code: province for province in LaoProvince.objects.filter(iso_code__in=["LA-BL", "LA-VT"])
    }
    made = 0
    for index, (year, repatriated) in enumerate(zip(years, counts, strict=True)):
        iso = "LA-BL" if index % 2 == 0 else "LA-VT"
        province = provinces[iso]
        title = f"Đoàn tìm kiếm, quy tập hài cốt liệt sĩ tại {province.name_vi} mùa khô {year - 1}–{year}"
        start = datetime.date(year, 1, 10)
        created = _delegation(
            direction=OUT,
            title=title,
            association=associations["laos"],
            partner=partners.get(
                "Ủy ban Mặt trận Lào xây dựng đất nước tỉnh Bôlykhămxay"
                if iso == "LA-BL"
                else "Ban Công tác đặc biệt Thủ đô Viêng Chăn"
            ),
            countries=["LA"],
            purpose=Delegation.Purpose.REMAINS_RECOVERY,
            start=start,
            end=start + datetime.timedelta(days=9),
            status=Status.CLOSED,
            users=users,
            today=today,
        )
        if created:
            delegation = Delegation.objects.get(title=title)
            RecoveryRecord.objects.create(
                delegation=delegation,
                lao_province=province,
                sites="Các huyện biên giới giáp tỉnh Hà Tĩnh",
                remains_recovered=repatriated + rng.randint(0, 3),
                remains_repatriated=repatriated,
                handover_date=start + datetime.timedelta(days=9),
            )
        made += created
    return made
