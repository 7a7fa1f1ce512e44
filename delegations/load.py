"""Synthetic delegations for benchmarks, written by `generate_load` (the overview's command).

`generate` writes `scale` times as many delegations as the demo (`demo.py`) makes, over the last twelve
years and the coming months, in both directions and every state: outbound trips with their members,
itinerary, budget estimate, Directive 38 warnings and post-trip reports; inbound visits with their foreign
guests; remains-recovery missions in Laos with what they brought home. Each has the trail of events that
brought it to its state. Titles never repeat the demo's (seed_demo finds its delegations by title). Written
with `bulk_create` in batches; no history rows.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

from associations.load import (
    COUNTRY_NAMES,
    ORGANIZATIONS,
    city,
    foreign_name,
    lao_place,
    vietnamese_name,
    write,
)
from associations.models import Association, LaoProvince, LeaderAccount, Partner
from delegations.demo import PATHS  # the steps from the first state to each state
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
from friendship_portal.core.roles import Role

Status = Delegation.Status
Purpose = Delegation.Purpose
OUT, IN = Delegation.Direction.OUTBOUND, Delegation.Direction.INBOUND
DELEGATIONS = 49  # the demo's, per unit of scale
CHUNK = 2000

# Who takes each step, and in which role (None: the nightly task, following the dates).
ACTORS = {
    Status.SUBMITTED: ("staff", Role.UNION_STAFF),
    Status.RETURNED_FOR_REVISION: ("leader", Role.ASSOCIATION_LEADER),
    Status.ENDORSED: ("leader", Role.ASSOCIATION_LEADER),
    Status.APPROVED: ("province", Role.PROVINCIAL_OFFICE),
    Status.REJECTED: ("province", Role.PROVINCIAL_OFFICE),
    Status.REPORTED: ("staff", Role.UNION_STAFF),
    Status.CLOSED: ("province", Role.PROVINCIAL_OFFICE),
    Status.CANCELLED: ("staff", Role.UNION_STAFF),
}
COMMENTS = {
    Status.RETURNED_FOR_REVISION: ["Đề nghị bổ sung thư mời của đối tác và dự toán chi tiết.", "Rút gọn số ngày."],
    Status.REJECTED: ["Chưa phù hợp với kế hoạch đối ngoại năm của tỉnh.", "Thành phần đoàn chưa phù hợp."],
    Status.CANCELLED: ["Đối tác đề nghị lùi thời gian đón đoàn.", "Thay đổi lịch công tác của lãnh đạo tỉnh."],
}
OUT_TITLES = {
    Purpose.EXCHANGE: "Đoàn giao lưu hữu nghị tại {place}",
    Purpose.TRAINING: "Đoàn khảo sát hợp tác đào tạo tại {place}",
    Purpose.INVESTMENT: "Đoàn xúc tiến đầu tư, thương mại tại {place}",
    Purpose.AID: "Đoàn vận động viện trợ tại {place}",
    Purpose.ANNIVERSARY: "Đoàn dự lễ kỷ niệm tại {place}",
    Purpose.OTHER: "Đoàn công tác tại {place}",
}
IN_TITLES = {
    Purpose.EXCHANGE: "Đoàn {partner} thăm, làm việc tại Hà Tĩnh",
    Purpose.TRAINING: "Đoàn {partner} trao đổi hợp tác đào tạo",
    Purpose.INVESTMENT: "Đoàn {partner} khảo sát đầu tư",
    Purpose.AID: "Đoàn {partner} khảo sát dự án viện trợ",
    Purpose.ANNIVERSARY: "Đoàn {partner} dự lễ kỷ niệm tại Hà Tĩnh",
    Purpose.OTHER: "Đoàn {partner} thăm Hà Tĩnh",
}
PURPOSES = list(OUT_TITLES)
PURPOSE_WEIGHTS = [5, 2, 2, 2, 2, 1]
HEADS = [
    ("Phó Chủ tịch UBND tỉnh", "UBND tỉnh Hà Tĩnh", DelegationMember.ManagementLevel.PROVINCIAL_STANDING),
    ("Phó Bí thư Tỉnh ủy", "Tỉnh ủy Hà Tĩnh", DelegationMember.ManagementLevel.PROVINCIAL_STANDING),
    ("Giám đốc", "Sở Ngoại vụ", DelegationMember.ManagementLevel.DEPARTMENT_LEADER),
    ("Giám đốc", "Sở Giáo dục và Đào tạo", DelegationMember.ManagementLevel.DEPARTMENT_LEADER),
    ("Phó Giám đốc", "Sở Công Thương", DelegationMember.ManagementLevel.DEPARTMENT_LEADER),
    ("Chủ tịch", "Liên hiệp các tổ chức hữu nghị tỉnh", DelegationMember.ManagementLevel.ASSOCIATION_LEADER),
    ("Chủ tịch Hội", "Hội hữu nghị", DelegationMember.ManagementLevel.ASSOCIATION_LEADER),
]
MEMBER_POSITIONS = ["Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Phiên dịch viên", "Phóng viên"]
GUEST_POSITIONS = ["Trưởng đoàn", "Phó Tỉnh trưởng", "Chủ tịch", "Giám đốc", "Chánh Văn phòng", "Điều phối viên"]
GUEST_POSITIONS += ["Tổng Lãnh sự", "Thư ký", "Phiên dịch"]
ITINERARY = ["Hội đàm với đối tác", "Thăm cơ sở, giao lưu", "Làm việc với chính quyền địa phương"]
ITINERARY += ["Thăm trường học, bệnh viện", "Ký kết biên bản ghi nhớ", "Tổng kết, về nước"]
RESULTS = ["Hai bên thống nhất tiếp tục tăng cường giao lưu, hợp tác trong các lĩnh vực giáo dục, văn hóa, y tế."]
RESULTS += ["Đoàn hoàn thành chương trình; đối tác cam kết hỗ trợ dự án mới.", "Hai bên trao đổi kinh nghiệm."]
RECOVERY_PROVINCES = ["LA-BL", "LA-VT", "LA-KH", "LA-XI", "LA-HO"]
# The states, and how often each is met (in hundredths).
STATES = {
    OUT: {
        Status.CLOSED: 55,
        Status.REPORTED: 6,
        Status.RETURNED: 5,
        Status.ABROAD: 3,
        Status.APPROVED: 6,
        Status.ENDORSED: 3,
        Status.SUBMITTED: 4,
        Status.RETURNED_FOR_REVISION: 2,
        Status.DRAFT: 5,
        Status.REJECTED: 5,
        Status.CANCELLED: 6,
    },
    IN: {
        Status.REPORTED: 55,
        Status.COMPLETED: 8,
        Status.HOSTING: 4,
        Status.APPROVED: 10,
        Status.REGISTERED: 10,
        Status.REJECTED: 6,
        Status.CANCELLED: 7,
    },
}
COMING = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED_FOR_REVISION, Status.ENDORSED, Status.APPROVED)
COMING += (Status.REGISTERED,)


def generate(*, scale: int, rng: random.Random, today: datetime.date, tag: str, stdout=None) -> list[str]:
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["staff", "province"])}
    leaders = {account.association_id: account.user for account in LeaderAccount.objects.select_related("user")}
    associations = list(Association.objects.order_by("display_order", "pk"))
    if not associations:
        return ["no association to load (the migrations make them)"]
    provinces = {province.iso_code: province for province in LaoProvince.objects.all()}
    partners: dict[str, list] = {}
    for partner in Partner.objects.order_by("pk").only("pk", "name", "country", "association_id"):
        partners.setdefault(str(partner.country), []).append(partner)
    every_partner = [partner for rows in partners.values() for partner in rows]
    context = {
        "rng": rng,
        "today": today,
        "users": users,
        "leaders": leaders,
        "associations": associations,
        "provinces": provinces,
        "partners": partners,
        "every_partner": every_partner,
        "made": {OUT: 0, IN: 0},
    }
    counts: dict[str, int] = {}
    total = DELEGATIONS * scale
    for first in range(0, total, CHUNK):
        _chunk(context, min(CHUNK, total - first), counts)
    return [
        f"{counts.get('delegations', 0)} delegations: {counts.get('outbound', 0)} outbound (of which "
        f"{counts.get('recovery', 0)} remains-recovery missions), {counts.get('inbound', 0)} inbound; "
        f"{counts.get('links', 0)} partner links",
        f"{counts.get('members', 0)} members, {counts.get('itinerary', 0)} itinerary items, "
        f"{counts.get('budget', 0)} budget lines, {counts.get('events', 0)} events, "
        f"{counts.get('warnings', 0)} warnings, {counts.get('reports', 0)} post-trip reports, "
        f"{counts.get('recoveries', 0)} recovery records",
    ]


def _chunk(context, size, counts) -> None:
    """`size` delegations and their rows: everything is built first (the rows hold their unsaved
    delegation, whose key they take when they are written), then written table by table."""
    rng = context["rng"]
    plans = [_plan(context) for _index in range(size)]
    rows = {model: [] for model in (DelegationMember, ItineraryItem, BudgetLine, DelegationEvent, TripReport)}
    rows |= {CheckWarning: [], RecoveryRecord: []}
    for plan in plans:
        delegation = plan["delegation"]
        trail, report = _trail(context, delegation)  # sets the decision and the report's due date first
        rows[DelegationEvent] += trail
        rows[TripReport] += [report] if report else []
        rows[DelegationMember] += _members(rng, delegation, plan)
        if delegation.direction == OUT:
            rows[ItineraryItem] += _itinerary(context, delegation, plan)
            rows[BudgetLine] += _budget(rng, delegation, plan)
        rows[CheckWarning] += _warnings(context, delegation)
        if plan["recovery"] and delegation.status in (Status.REPORTED, Status.CLOSED):
            recovered = rng.randint(3, 40)
            rows[RecoveryRecord].append(
                RecoveryRecord(
                    delegation=delegation,
                    lao_province=plan["recovery"],
                    sites=f"Các huyện biên giới {lao_place(plan['recovery'])} giáp tỉnh Hà Tĩnh",
                    remains_recovered=recovered,
                    remains_repatriated=recovered - rng.choice([0, 0, 0, 1, 2]),
                    handover_date=delegation.end_date,
                )
            )
    delegations = write(Delegation, [plan["delegation"] for plan in plans])
    through = Delegation.partners.through
    links = [
        through(delegation_id=plan["delegation"].pk, partner_id=partner.pk)
        for plan in plans
        for partner in plan["partners"]
    ]
    write(through, links)
    for model, made in rows.items():
        write(model, made)
    for key, value in (
        ("delegations", len(delegations)),
        ("outbound", sum(1 for row in delegations if row.direction == OUT)),
        ("inbound", sum(1 for row in delegations if row.direction == IN)),
        ("recovery", sum(1 for plan in plans if plan["recovery"])),
        ("members", len(rows[DelegationMember])),
        ("itinerary", len(rows[ItineraryItem])),
        ("budget", len(rows[BudgetLine])),
        ("events", len(rows[DelegationEvent])),
        ("warnings", len(rows[CheckWarning])),
        ("reports", len(rows[TripReport])),
        ("recoveries", len(rows[RecoveryRecord])),
        ("links", len(links)),
    ):
        counts[key] = counts.get(key, 0) + value


def _status(context, direction) -> str:
    """The state: the first delegations of each direction take every state in turn (so even a small load
    has them all), the others are drawn as often as they are met."""
    states = STATES[direction]
    ordinal = context["made"][direction]
    context["made"][direction] += 1
    if ordinal < len(states):
        return list(states)[ordinal]
    return context["rng"].choices(list(states), list(states.values()))[0]


def _start(rng, status, today, length) -> datetime.date:
    """A first day that fits the state: to come for a plan, under way, just over, or long over."""
    if status in (Status.REJECTED, Status.CANCELLED) and rng.random() < 0.4 or status in COMING:
        return today + datetime.timedelta(days=rng.randint(1, 150))
    if status in (Status.ABROAD, Status.HOSTING):
        return today - datetime.timedelta(days=rng.randint(0, length - 1))
    if status in (Status.RETURNED, Status.COMPLETED):  # the report awaited: mostly just back, some overdue
        back = rng.randint(1, 20) if rng.random() < 0.7 else rng.randint(21, 400)
        return today - datetime.timedelta(days=back + length - 1)
    return today - datetime.timedelta(days=rng.randint(15 + length, 365 * 12))


def _place(rng, country, provinces) -> str:
    if country == "LA" and provinces:
        return lao_place(rng.choice(list(provinces.values())))
    return f"{city(rng, country)}, {COUNTRY_NAMES.get(country, country)}"


def _plan(context) -> dict:
    """One delegation, unsaved, and what its rows need: its partners, its recovery province."""
    rng, today, associations = context["rng"], context["today"], context["associations"]
    provinces, partners = context["provinces"], context["partners"]
    by_code = {association.code: association for association in associations}
    draw = rng.random()
    recovery = None
    if draw < 0.2 and "laos" in by_code:  # a remains-recovery mission in the dry season
        direction, purpose, association, country = OUT, Purpose.REMAINS_RECOVERY, by_code["laos"], "LA"
        length = rng.randint(7, 10)
        year = rng.randint(today.year - 11, today.year)
        start = datetime.date(year, rng.randint(1, 3), rng.randint(1, 28))
        when = "future" if start > today else ("now" if start + datetime.timedelta(days=length) > today else "past")
        status = {"future": Status.APPROVED, "now": Status.ABROAD}.get(when) or rng.choices(
            [Status.CLOSED, Status.REPORTED], [9, 1]
        )[0]
        iso = rng.choice([code for code in RECOVERY_PROVINCES if code in provinces] or list(provinces) or [""])
        recovery = provinces.get(iso)
        place = lao_place(recovery) if recovery else "Lào"
        title = f"Đoàn tìm kiếm, quy tập hài cốt liệt sĩ tại {place} mùa khô {year - 1}–{year}, đợt {rng.randint(2, 4)}"
        chosen = _partners(rng, partners.get("LA", []))[:1]
    elif draw < 0.75:  # outbound
        direction = OUT
        association = rng.choices(associations, [5, 3, 2, 2, 2][: len(associations)] + [1] * (len(associations) - 5))[0]
        codes = [country.code for country in association.countries] or ["LA"]
        country = rng.choice(codes)
        purpose = rng.choices(PURPOSES, PURPOSE_WEIGHTS)[0]
        length = rng.choices([rng.randint(2, 6), rng.randint(7, 10), rng.randint(11, 14)], [70, 27, 3])[0]
        status = _status(context, direction)
        start = _start(rng, status, today, length)
        title = f"{OUT_TITLES[purpose].format(place=_place(rng, country, provinces))} năm {start.year}"
        chosen = _partners(rng, partners.get(country, []))
    else:  # inbound
        direction = IN
        partner = rng.choice(context["every_partner"]) if context["every_partner"] else None
        country = str(partner.country) if partner else "LA"
        association = next((row for row in associations if row.pk == partner.association_id), None) if partner else None
        purpose = rng.choices(PURPOSES, PURPOSE_WEIGHTS)[0]
        length = rng.randint(1, 5)
        status = _status(context, direction)
        start = _start(rng, status, today, length)
        name = partner.name if partner else "đối tác Lào"
        title = f"{IN_TITLES[purpose].format(partner=name)} năm {start.year}"
        chosen = [partner] if partner else []
    countries = [country]
    if direction == OUT and rng.random() < 0.04:  # now and then a trip through more countries
        countries += rng.sample(["TH", "KH", "SG", "MY", "AT", "HU", "DE"], rng.randint(1, 3))
    in_plan = rng.random() < 0.93
    delegation = Delegation(
        direction=direction,
        status=status,
        title=title[:255],
        purpose=purpose,
        purpose_detail="Tăng cường quan hệ hữu nghị, hợp tác toàn diện giữa tỉnh Hà Tĩnh và đối tác.",
        association=association,
        countries=countries,
        start_date=start,
        end_date=start + datetime.timedelta(days=length - 1),
        programme="Ngày 1: Hội đàm, làm việc với đối tác.\nNgày 2: Thăm cơ sở, giao lưu.\nNgày cuối: Tổng kết.",
        hosts="Liên hiệp các tổ chức hữu nghị tỉnh; Sở Ngoại vụ" if direction == IN else "",
        in_yearly_plan=in_plan,
        funding_source=rng.choices(list(Delegation.FundingSource), [60, 15, 15, 8, 2])[0],
        commits_no_classified_documents=direction == OUT and status != Status.DRAFT,
        commits_host_law=direction == OUT,
        commits_no_relatives=direction == OUT,
        created_by=context["users"].get("staff"),
    )
    return {"delegation": delegation, "partners": chosen, "recovery": recovery, "country": country}


def _partners(rng, candidates) -> list:
    if not candidates:
        return []
    return rng.sample(candidates, min(len(candidates), 2 if rng.random() < 0.15 else 1))


def _members(rng, delegation, plan) -> list[DelegationMember]:
    rows = []
    if delegation.direction == OUT:
        for index in range(rng.randint(2, 7)):
            if index == 0:
                position, organization, level = rng.choice(HEADS)
                key = level != DelegationMember.ManagementLevel.ASSOCIATION_LEADER
            else:
                position, organization = rng.choice(MEMBER_POSITIONS), rng.choice(ORGANIZATIONS)
                level = rng.choice(
                    [DelegationMember.ManagementLevel.OFFICIAL] * 3 + [DelegationMember.ManagementLevel.OTHER]
                )
                key = False
            rows.append(
                DelegationMember(
                    delegation=delegation,
                    full_name=vietnamese_name(rng)[0],
                    position=position,
                    organization=organization,
                    nationality="VN",
                    management_level=level,
                    is_key_leader=key,
                    is_head=index == 0,
                )
            )
        return rows
    country = plan["country"]
    organization = plan["partners"][0].name if plan["partners"] else ""
    for index in range(rng.randint(1, 5)):
        rows.append(
            DelegationMember(
                delegation=delegation,
                full_name=foreign_name(rng, country),
                position=GUEST_POSITIONS[0] if index == 0 else rng.choice(GUEST_POSITIONS[1:]),
                organization=organization,
                nationality=country,
                is_head=index == 0,
            )
        )
    return rows


def _itinerary(context, delegation, plan) -> list[ItineraryItem]:
    rng = context["rng"]
    place = _place(rng, plan["country"], context["provinces"])
    return [
        ItineraryItem(
            delegation=delegation,
            day=delegation.start_date + datetime.timedelta(days=day),
            place=place,
            activity=rng.choice(ITINERARY),
        )
        for day in range(min(delegation.days, 6))
    ]


def _budget(rng, delegation, plan) -> list[BudgetLine]:
    """The estimate, line by line, from the members, the days and where the trip goes."""
    people, days, nights = rng.randint(2, 7), delegation.days, max(delegation.days - 1, 1)
    abroad_far = plan["country"] not in ("LA", "TH")
    lines = [
        ("Vé máy bay khứ hồi", people * rng.randint(9, 30) * 1_000_000)
        if abroad_far
        else ("Thuê xe ô tô đưa đón đoàn", days * rng.randint(25, 45) * 100_000),
        ("Đi lại trong nước, đưa đón sân bay", people * rng.randint(5, 15) * 100_000),
        ("Tiền thuê phòng nghỉ", people * nights * rng.randint(6, 25) * 100_000),
        ("Phụ cấp tiền ăn và tiêu vặt", people * days * rng.randint(4, 12) * 100_000),
        ("Bảo hiểm du lịch", people * rng.randint(2, 6) * 100_000),
        ("Quà tặng đối tác", rng.randint(3, 15) * 1_000_000),
    ]
    extras = [
        ("Lệ phí thị thực", people * rng.randint(10, 25) * 100_000),
        ("Phiên dịch", days * rng.randint(10, 20) * 100_000),
        ("Chiêu đãi đối tác", rng.randint(5, 20) * 1_000_000),
        ("Thuê hội trường, tổ chức làm việc", rng.randint(3, 10) * 1_000_000),
        ("Chi phí khác", rng.randint(1, 5) * 1_000_000),
    ]
    lines += rng.sample(extras, rng.randint(1, 4) if abroad_far else rng.randint(0, 3))
    return [BudgetLine(delegation=delegation, item=item, amount=Decimal(amount)) for item, amount in lines]


def _trail(context, delegation) -> tuple[list[DelegationEvent], TripReport | None]:
    """The events that brought the delegation to its state, dated no later than today (as demo.py dates
    them), and the post-trip report if it was filed. Sets the decision and the report's due date."""
    rng, today, users = context["rng"], context["today"], context["users"]
    path = PATHS[delegation.direction][delegation.status]
    start, end = delegation.start_date, delegation.end_date
    actors = {
        "staff": users.get("staff"),
        "province": users.get("province"),
        "leader": context["leaders"].get(delegation.association_id),  # a leader of its own association
    }
    moments = {
        Status.ABROAD: start,
        Status.HOSTING: start,
        Status.RETURNED: end + datetime.timedelta(days=1),
        Status.COMPLETED: end + datetime.timedelta(days=1),
    }
    first = min(start - datetime.timedelta(days=45), today - datetime.timedelta(days=len(path) + 1))
    previous = Status.DRAFT if delegation.direction == OUT else Status.REGISTERED
    events = [
        DelegationEvent(
            delegation=delegation,
            actor=actors["staff"],
            to_status=previous,
            actor_role=Role.UNION_STAFF,
            created_at=_at(first),
        )
    ]
    report = None
    day = first
    for status in path:
        day = moments.get(status, min(day + datetime.timedelta(days=3), today))
        if status in (Status.REPORTED, Status.CLOSED):
            day = min(end + datetime.timedelta(days=10 if status == Status.REPORTED else 14), today)
        actor, role = ACTORS.get(status, ("", ""))
        events.append(
            DelegationEvent(
                delegation=delegation,
                actor=actors.get(actor),
                from_status=previous,
                to_status=status,
                actor_role=role,
                comment=rng.choice(COMMENTS[status]) if status in COMMENTS else "",
                created_at=_at(day),
            )
        )
        previous = status
        if status == Status.APPROVED:
            delegation.decision_number = f"{rng.randint(100, 2999)}/QĐ-UBND"
            delegation.decision_date = day
        if status in (Status.RETURNED, Status.COMPLETED):
            delegation.report_due_on = report_due_date(end)
        if status == Status.REPORTED:
            report = TripReport(
                delegation=delegation,
                submitted_by=actors["staff"],
                submitted_at=_at(day),
                results=rng.choice(RESULTS),
                agreements="Ký biên bản ghi nhớ hợp tác giai đoạn tới." if rng.random() < 0.5 else "",
                follow_up="Đề nghị UBND tỉnh bố trí kinh phí đón đoàn đối tác năm sau.",
                actual_expenses=Decimal(rng.randint(8, 150) * 1_000_000 if delegation.direction == OUT else 0),
            )
    return events, report


def _warnings(context, delegation) -> list[CheckWarning]:
    """The Directive 38 warnings acknowledged when the plan was submitted."""
    if delegation.direction != OUT or Status.SUBMITTED not in PATHS[OUT][delegation.status]:
        return []
    staff = context["users"].get("staff")
    found = []
    if not delegation.in_yearly_plan:
        found.append(("outside_plan", "Chuyến đi nằm ngoài kế hoạch đối ngoại năm.", "Đối tác mời đột xuất."))
    if delegation.days > settings.DELEGATION_MAX_DAYS:
        found.append(
            (
                "days",
                f"Chuyến đi kéo dài {delegation.days} ngày; giới hạn là {settings.DELEGATION_MAX_DAYS}.",
                "Lịch làm việc của đối tác kéo dài.",
            )
        )
    if len(delegation.countries) > settings.DELEGATION_MAX_COUNTRIES:
        found.append(
            (
                "countries",
                f"Chuyến đi qua {len(delegation.countries)} nước; giới hạn là {settings.DELEGATION_MAX_COUNTRIES}.",
                "Quá cảnh theo lịch bay duy nhất.",
            )
        )
    return [
        CheckWarning(delegation=delegation, code=code, message=message, reason=reason, acknowledged_by=staff)
        for code, message, reason in found
    ]


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=datetime.UTC)
