"""Synthetic foreign aid for benchmarks, written by `generate_load` (the overview's command).

`generate` writes `scale` times what the demo (`demo.py`) makes: programmes, projects and non-project aid
starting each year since AID_SINCE_YEAR, in every state of the workflow (waiting for a decision, running,
completed, settled, rejected, revoked, approved and not started), with their donors from the partner
directory, their beneficiary communes, their disbursements, their trail of events and the progress reports
they owe. Codes read `L<tag>-<year>-<number>` (the tag comes from the seed), so a load is told from the
demo (`VT-…`) and from another seed's load. Written in chunks with `bulk_create`; no history rows.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

from aid_projects import demo, totals
from aid_projects.models import (
    DONOR_KINDS,
    AidEvent,
    AidProject,
    Commune,
    Disbursement,
    ProgressReport,
    Sector,
    vnd_equivalent,
)
from aid_projects.services import add_months
from associations.load import day_between, write
from associations.models import Partner
from friendship_portal.core.roles import Role

Status = AidProject.Status
CHUNK = 2000  # projects written at a time, with their disbursements, events and reports
EXTRA_PER_YEAR = 1  # one year in three starts a tenth project, as in the demo
# Per unit of scale, as in the demo: an approval never started, a revoked one, two rejected; three waiting
# to start (sent in, under appraisal, approved); one adjusted and one just completed. So even a small load
# has aid in every state.
ODD_ONES = [(Status.APPROVED, False), (Status.REVOKED, False), (Status.REJECTED, False), (Status.REJECTED, False)]
ODD_ONES += [(Status.PROPOSED, True), (Status.UNDER_APPRAISAL, True), (Status.APPROVED, True)]
ODD_ONES += [(Status.ADJUSTED, False), (Status.COMPLETED, False)]

CURRENCY_OF = {**demo.CURRENCY_OF, "FR": "EUR", "NL": "EUR", "BE": "EUR", "SE": "SEK", "CH": "CHF", "CA": "CAD"}
RATES = {**demo.RATES, "SEK": (2_300, 2_400), "CHF": (23_000, 29_500), "CAD": (18_500, 18_300)}
TRAIL = {
    Status.PROPOSED: [Status.PROPOSED],
    Status.UNDER_APPRAISAL: [Status.PROPOSED, Status.UNDER_APPRAISAL],
    Status.APPROVED: [Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED],
    Status.REJECTED: [Status.PROPOSED, Status.UNDER_APPRAISAL, Status.REJECTED],
    Status.REVOKED: [Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED, Status.REVOKED],
    Status.IMPLEMENTING: [Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED, Status.IMPLEMENTING],
    Status.ADJUSTED: [Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED, Status.IMPLEMENTING, Status.ADJUSTED],
    Status.COMPLETED: [Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED, Status.IMPLEMENTING, Status.COMPLETED],
    Status.SETTLED: [
        Status.PROPOSED,
        Status.UNDER_APPRAISAL,
        Status.APPROVED,
        Status.IMPLEMENTING,
        Status.COMPLETED,
        Status.SETTLED,
    ],
}
DECIDED = (Status.APPROVED, Status.REJECTED, Status.REVOKED, Status.ADJUSTED)
COMMENTS = {
    Status.REJECTED: "Nhà tài trợ chưa chứng minh được nguồn vốn.",
    Status.REVOKED: "Quá 6 tháng kể từ ngày phê duyệt mà chưa triển khai.",
    Status.ADJUSTED: "Điều chỉnh thời gian thực hiện và phân bổ vốn.",
}
NOTES = ["Đợt giải ngân theo kế hoạch", "Giải ngân đợt {part}", "Chuyển kinh phí cho chủ khoản viện trợ"]
NOTES += ["Hàng hóa, trang thiết bị bàn giao", "Tạm ứng kinh phí thực hiện"]
NARRATIVES = ["Dự án thực hiện đúng tiến độ, giải ngân theo kế hoạch.", "Các hạng mục hoàn thành, đã bàn giao."]
NARRATIVES += ["Tiến độ chậm do thời tiết; nhà tài trợ đồng ý gia hạn.", "Kết quả đạt và vượt chỉ tiêu đề ra."]


def code_prefix(tag: str) -> str:
    return f"L{tag}-"


def loaded(*, tag: str) -> str:
    """What a load with this tag already wrote, if anything (its codes would clash)."""
    count = AidProject.objects.filter(code__startswith=code_prefix(tag)).count()
    return f"{count} aid projects coded {code_prefix(tag)}…" if count else ""


def foreign_rows() -> list[str]:
    """Aid neither the demo (codes VT-…) nor a load (L + tag + -year-number) made."""
    others = AidProject.objects.exclude(code__startswith="VT-").exclude(code__regex=r"^L[0-9A-Z]{3}-[0-9]{4}-")
    example = others.order_by("pk").values_list("code", flat=True).first()
    return [f"aid projects the demo did not write (for example “{example}”)"] if example else []


def generate(*, scale: int, rng: random.Random, today: datetime.date, tag: str, stdout=None) -> list[str]:
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["staff", "province"])}
    donors = list(Partner.objects.filter(kind__in=DONOR_KINDS).order_by("pk").only("pk", "kind", "country"))
    communes = list(Commune.objects.order_by("code"))
    plans = _plans(rng, scale, today, tag)
    counts = dict.fromkeys(["projects", "donors", "communes", "disbursements", "events", "reports"], 0)
    for first in range(0, len(plans), CHUNK):
        _chunk(rng, plans[first : first + CHUNK], today, donors, communes, users, counts)
    totals.rebuild(projects=False)  # bulk_create sends no signal: what was disbursed each year, from all of them
    by_status = {}
    for plan in plans:
        by_status[plan["status"]] = by_status.get(plan["status"], 0) + 1
    states = ", ".join(f"{count} {status}" for status, count in sorted(by_status.items()))
    return [
        f"{counts['projects']} aid projects ({states})",
        f"{counts['donors']} donor links, {counts['communes']} commune links, {counts['disbursements']} disbursements, "
        f"{counts['events']} events, {counts['reports']} progress reports",
    ]


def _plans(rng, scale, today, tag) -> list[dict]:
    """Each project's code, kind, sector, dates and state, from the dates as the demo decides them."""
    plans, numbers = [], {}

    def code(year: int) -> str:
        numbers[year] = numbers.get(year, 0) + 1
        return f"{code_prefix(tag)}{year}-{numbers[year]:04d}"

    for year in range(settings.AID_SINCE_YEAR, today.year + 1):
        for _number in range((demo.PROJECTS_PER_YEAR + (EXTRA_PER_YEAR if year % 3 == 0 else 0)) * scale):
            kind = rng.choices(list(AidProject.Kind), [1, 8, 3])[0]
            start = datetime.date(year, rng.randint(1, 11), rng.randint(1, 28))
            months = rng.randint(1, 4) if kind == AidProject.Kind.NON_PROJECT else rng.randint(12, 48)
            end = add_months(start, months) - datetime.timedelta(days=1)
            plan = {"code": code(year), "kind": kind, "sector": rng.choice(list(Sector)), "start": start, "end": end}
            if start > today - datetime.timedelta(days=60):  # not running yet: waiting for a decision or the start
                plan["start"] = max(start, today + datetime.timedelta(days=rng.randint(20, 120)))
                plan["end"] = add_months(plan["start"], 12)
                plan["status"] = rng.choice([Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED])
            elif end < today:
                plan["status"] = Status.SETTLED if end < today - datetime.timedelta(days=240) else Status.COMPLETED
            else:
                plan["status"] = Status.ADJUSTED if rng.random() < 0.15 else Status.IMPLEMENTING
            plan["decided"] = plan["start"] - datetime.timedelta(days=rng.randint(20, 90))
            plans.append(plan)
    for index in range(len(ODD_ONES) * scale):
        status, waiting = ODD_ONES[index % len(ODD_ONES)]
        months = rng.randint(12, 36)
        if waiting:  # sent in, to start in the coming months
            start = today + datetime.timedelta(days=rng.randint(20, 150))
            decided = start - datetime.timedelta(days=rng.randint(20, 90))
        elif status == Status.ADJUSTED:  # running, its plan changed on the way
            start = today - datetime.timedelta(days=rng.randint(200, 500))
            months, decided = rng.randint(24, 36), start - datetime.timedelta(days=rng.randint(20, 90))
        elif status == Status.COMPLETED:  # just ended, not yet settled
            start = add_months(today - datetime.timedelta(days=rng.randint(10, 200)), -months)
            decided = start - datetime.timedelta(days=rng.randint(20, 90))
        else:
            if status == Status.APPROVED:  # approved more than six months ago and never started: may be revoked
                decided = today - datetime.timedelta(days=rng.randint(190, 400))
            else:
                first = datetime.date(settings.AID_SINCE_YEAR, 1, 1)
                decided = day_between(rng, first, today - datetime.timedelta(days=400))
            start = decided + datetime.timedelta(days=30)
        plans.append(
            {
                "code": code(start.year),
                "kind": AidProject.Kind.PROJECT,
                "sector": rng.choice(list(Sector)),
                "start": start,
                "end": add_months(start, months) - datetime.timedelta(days=1),
                "status": status,
                "decided": decided,
            }
        )
    return plans


def _rate(rng, currency: str, year: int) -> Decimal:
    if currency == "VND":
        return Decimal(1)
    first, last = RATES[currency]
    share = min(max((year - 2013) / 13, 0), 1.2)
    return Decimal(str(round((first + (last - first) * share) * rng.uniform(0.99, 1.01), 2)))


def _chunk(rng, plans, today, donors, communes, users, counts) -> None:
    staff, province = users.get("staff"), users.get("province")
    projects, donor_links, commune_links = [], [], []
    for plan in plans:
        donor_list = rng.sample(donors, min(len(donors), rng.choices([1, 2], [5, 1])[0]))
        places = rng.sample(communes, min(len(communes), rng.randint(1, 4)))
        place = places[0].name if places else f"tỉnh {settings.PORTAL_PROVINCE_NAME}"
        country = str(donor_list[0].country) if donor_list else "US"
        overseas = bool(donor_list) and donor_list[0].kind == Partner.Kind.OVERSEAS_VIETNAMESE
        currency = "VND" if overseas and rng.random() < 0.5 else CURRENCY_OF.get(country, "USD")
        rate = _rate(rng, currency, plan["start"].year)
        small = plan["kind"] == AidProject.Kind.NON_PROJECT
        planned_vnd = Decimal(rng.randint(50, 2_000) if small else rng.randint(300, 25_000)) * 1_000_000
        commitment = (planned_vnd / rate).quantize(Decimal("0.01"))
        status = plan["status"]
        started = status in (Status.IMPLEMENTING, Status.ADJUSTED, Status.COMPLETED, Status.SETTLED)
        ended = status in (Status.COMPLETED, Status.SETTLED)
        decided = status not in (Status.PROPOSED, Status.UNDER_APPRAISAL, Status.REJECTED)
        sector = plan["sector"]
        projects.append(
            AidProject(
                code=plan["code"],
                title=rng.choice(demo.TITLES[sector]).format(place=f"tại {place}"),
                summary=f"Hỗ trợ người dân {place} và các xã lân cận; kết quả được đo bằng số người hưởng lợi và "
                "công trình bàn giao.",
                kind=plan["kind"],
                status=status,
                sector=sector,
                managing_agency=f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}",
                aid_owner=demo.OWNERS[sector].format(place=place),
                beneficiaries=rng.randint(80, 6000),
                planned_start=plan["start"],
                planned_end=plan["end"],
                actual_start=plan["start"] if started else None,
                actual_end=plan["end"] if ended else None,
                currency=currency,
                commitment_amount=commitment,
                exchange_rate=rate,
                commitment_vnd=vnd_equivalent(commitment, rate),
                counterpart_vnd=Decimal(rng.choice([0, 0, 50, 100, 200, 500]) * 1_000_000),
                decision_number=f"{rng.randint(100, 3999)}/QĐ-UBND" if decided else "",
                decision_date=min(plan["decided"], today - datetime.timedelta(days=1)) if decided else None,
                decision_body=f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}" if decided else "",
                created_by=staff,
            )
        )
        donor_links.append(donor_list)
        commune_links.append(places)
    # Each project's disbursements are drawn before it is written, with the total it keeps (one write a
    # row: a second pass of updates would leave every row of the table twice on disk).
    disbursements = []
    for project in projects:
        own = _disbursements(rng, project, today, staff)
        project.disbursed_vnd = sum((disbursement.amount_vnd for disbursement in own), Decimal(0))
        disbursements += own
    write(AidProject, projects)
    donors_through, communes_through = AidProject.donors.through, AidProject.communes.through
    links = [
        donors_through(aidproject_id=project.pk, partner_id=donor.pk)
        for project, donor_list in zip(projects, donor_links, strict=True)
        for donor in donor_list
    ]
    write(donors_through, links)
    counts["donors"] += len(links)
    links = [
        communes_through(aidproject_id=project.pk, commune_id=commune.pk)
        for project, places in zip(projects, commune_links, strict=True)
        for commune in places
    ]
    write(communes_through, links)
    counts["communes"] += len(links)
    events, reports = [], []
    for project in projects:
        events += _events(project, today, staff, province)
        reports += demo.owed_reports(rng, project, today, staff, narrative=lambda rng: rng.choice(NARRATIVES))
    write(Disbursement, disbursements)
    write(AidEvent, events)
    write(ProgressReport, reports)
    counts["projects"] += len(projects)
    counts["disbursements"] += len(disbursements)
    counts["events"] += len(events)
    counts["reports"] += len(reports)


def _disbursements(rng, project, today, staff) -> list[Disbursement]:
    """Tranches over each year the aid ran, adding up to most of the commitment (all of it when it ended)."""
    if project.actual_start is None:
        return []
    first = project.actual_start
    last = min(project.end, today - datetime.timedelta(days=1))
    if last < first:
        return []
    run = (project.end - first).days + 1
    share = Decimal(str(rng.uniform(0.9, 1.0) if project.actual_end else rng.uniform(0.7, 1.0)))
    total = project.commitment_vnd * share * Decimal((last - first).days + 1) / Decimal(run)
    rows = []
    for year in range(first.year, last.year + 1):
        begin, finish = max(first, datetime.date(year, 1, 1)), min(last, datetime.date(year, 12, 31))
        year_vnd = total * Decimal((finish - begin).days + 1) / Decimal((last - first).days + 1)
        parts = rng.randint(1, 3)
        for part in range(parts):
            amount = (year_vnd / parts / project.exchange_rate).quantize(Decimal("0.01"))
            rows.append(
                Disbursement(
                    project=project,
                    date=begin + datetime.timedelta(days=(finish - begin).days * (part + 1) // (parts + 1)),
                    amount=amount,
                    currency=project.currency,
                    exchange_rate=project.exchange_rate,
                    amount_vnd=vnd_equivalent(amount, project.exchange_rate),
                    form=Disbursement.Form.IN_KIND if rng.random() < 0.15 else Disbursement.Form.CASH,
                    note=rng.choice(NOTES).format(part=part + 1),
                    recorded_by=staff,
                )
            )
    return rows


def _events(project, today, staff, province) -> list[AidEvent]:
    """The trail that brought the aid to its state, each step on the day it would have been taken."""
    base = project.decision_date or min(project.planned_start - datetime.timedelta(days=30), today)
    days = {
        Status.PROPOSED: base - datetime.timedelta(days=60),
        Status.UNDER_APPRAISAL: base - datetime.timedelta(days=30),
        Status.APPROVED: base,
        Status.REJECTED: base,
        Status.REVOKED: min(add_months(base, settings.AID_NOT_STARTED_MONTHS) + datetime.timedelta(days=10), today),
        Status.IMPLEMENTING: project.actual_start,
        Status.ADJUSTED: project.start + (min(project.end, today) - project.start) // 2,
        Status.COMPLETED: project.actual_end,
        Status.SETTLED: min(project.end + datetime.timedelta(days=120), today),
    }
    rows, previous = [], ""
    for step in TRAIL[project.status]:
        decides = step in DECIDED
        rows.append(
            AidEvent(
                project=project,
                actor=province if decides else staff,
                from_status=previous,
                to_status=step,
                actor_role=Role.PROVINCIAL_OFFICE if decides else Role.UNION_STAFF,
                comment=COMMENTS.get(step, ""),
                created_at=datetime.datetime.combine(days[step], datetime.time(9), tzinfo=datetime.UTC),
            )
        )
        previous = step
    return rows
