"""Demo aid whose history makes the article's figures true: more than 120 programmes, projects and
non-project aid since 2013, from foreign NGOs, individuals and overseas Vietnamese communities,
with 30–50 billion VND disbursed every year.

Deterministic; written in one go the first time and left alone afterwards (demo codes start "VT-").
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model

from aid_projects import totals
from aid_projects.models import AidEvent, AidProject, Commune, Disbursement, ProgressReport, Sector, vnd_equivalent
from aid_projects.services import add_months, report_schedule
from associations.models import Partner

DONORS = [
    # (name, original name, kind, country). An acronym in the name is the organisation's own, and the
    # original name is what it stands for. JICA and KOICA are their governments' cooperation agencies,
    # neither an NGO nor a multilateral body: their kind is "other".
    ("Tổ chức Tầm nhìn Thế giới (World Vision)", "World Vision International", "foreign_ngo", "US"),
    ("Tổ chức Plan International", "Plan International", "foreign_ngo", "GB"),
    ("Tổ chức Kinderhilfe Vietnam", "Kinderhilfe Vietnam e.V.", "foreign_ngo", "DE"),
    ("Quỹ Nhi đồng Liên Hợp Quốc (UNICEF)", "United Nations Children's Fund", "international_organization", "US"),
    ("Tổ chức Cứu trợ Trẻ em (Save the Children)", "Save the Children International", "foreign_ngo", "GB"),
    ("Tổ chức ActionAid Quốc tế (AAI)", "ActionAid International", "foreign_ngo", "ZA"),
    ("Quỹ Đông Tây Hội ngộ (EMW)", "East Meets West Foundation", "foreign_ngo", "US"),
    ("Tổ chức Cứu trợ Công giáo Hoa Kỳ (CRS)", "Catholic Relief Services", "foreign_ngo", "US"),
    ("Tổ chức Bánh mì cho Thế giới", "Brot für die Welt", "foreign_ngo", "DE"),
    ("Tổ chức PeaceTrees Vietnam", "PeaceTrees Vietnam", "foreign_ngo", "US"),
    ("Tổ chức Cố vấn Bom mìn (MAG)", "Mines Advisory Group", "foreign_ngo", "GB"),
    ("Cơ quan Hợp tác Quốc tế Nhật Bản (JICA)", "Japan International Cooperation Agency", "other", "JP"),
    ("Tổ chức Habitat for Humanity", "Habitat for Humanity International", "foreign_ngo", "US"),
    ("Tổ chức Good Neighbors Quốc tế (GNI)", "Good Neighbors International", "foreign_ngo", "KR"),
    ("Cơ quan Hợp tác Quốc tế Hàn Quốc (KOICA)", "Korea International Cooperation Agency", "other", "KR"),
    ("Quỹ AEON 1% Club", "AEON 1% Club Foundation", "foreign_ngo", "JP"),
    ("Tổ chức Tình nguyện Quốc tế Úc (AVI)", "Australian Volunteers International", "foreign_ngo", "AU"),
    ("Hội Chữ thập đỏ Đan Mạch", "Danish Red Cross", "foreign_ngo", "DK"),
    ("Quỹ Dân số Liên Hợp Quốc (UNFPA)", "United Nations Population Fund", "international_organization", "US"),
    ("Hội người Việt Nam tại Cộng hòa Séc", "Svaz Vietnamců v ČR", "overseas_vietnamese", "CZ"),
    ("Hội người Việt Nam tại Ba Lan", "Stowarzyszenie Wietnamczyków w Polsce", "overseas_vietnamese", "PL"),
    ("Cộng đồng người Việt Nam tại Liên bang Nga", "Община вьетнамцев в России", "overseas_vietnamese", "RU"),
    ("Hội người Việt Nam tại tỉnh Nakhon Phanom", "", "overseas_vietnamese", "TH"),
    ("Ông Nguyễn Văn Thành (Việt kiều Hoa Kỳ)", "", "individual", "US"),
    ("Bà Trần Thị Mai Hương (Việt kiều Úc)", "", "individual", "AU"),
    ("Ông Peter Schmidt", "", "individual", "DE"),
]
CURRENCY_OF = {"US": "USD", "GB": "GBP", "DE": "EUR", "ZA": "USD", "NO": "NOK", "KR": "KRW", "JP": "JPY"}
CURRENCY_OF |= {"AU": "AUD", "DK": "DKK", "CZ": "CZK", "PL": "PLN", "RU": "RUB", "TH": "THB"}
# VND for one unit, roughly as the years went.
RATES = {
    "USD": (21_000, 25_400),
    "EUR": (27_500, 27_800),
    "GBP": (33_000, 32_500),
    "NOK": (3_600, 2_400),
    "KRW": (19, 18.5),
    "JPY": (215, 168),
    "AUD": (20_000, 16_700),
    "DKK": (3_700, 3_700),
    "CZK": (1_050, 1_100),
    "PLN": (6_600, 6_400),
    "RUB": (680, 310),
    "THB": (660, 740),
}
TITLES = {
    Sector.EDUCATION: ["Xây dựng trường mầm non {place}", "Học bổng và đồ dùng học tập cho học sinh nghèo {place}"],
    Sector.VOCATIONAL_TRAINING: [
        "Dạy nghề cho thanh niên nông thôn {place}",
        "Đào tạo nghề cho người khuyết tật {place}",
    ],
    Sector.HEALTH: ["Nâng cao năng lực trạm y tế {place}", "Chăm sóc sức khỏe bà mẹ và trẻ em {place}"],
    Sector.WATER_SANITATION: ["Cấp nước sạch và nhà vệ sinh trường học {place}", "Nước sạch cho cộng đồng {place}"],
    Sector.AGRICULTURE: ["Sinh kế bền vững cho hộ nghèo {place}", "Phát triển chăn nuôi bò sinh sản {place}"],
    Sector.RURAL_DEVELOPMENT: ["Xây dựng cầu dân sinh {place}", "Đường giao thông nông thôn {place}"],
    Sector.SOCIAL_PROTECTION: ["Hỗ trợ người khuyết tật và nạn nhân chất độc da cam {place}", "Nhà tình nghĩa {place}"],
    Sector.WOMEN_CHILDREN: ["Bảo vệ trẻ em và bình đẳng giới {place}", "Phát triển vùng dựa vào trẻ em {place}"],
    Sector.ENVIRONMENT: ["Trồng rừng ngập mặn ven biển {place}", "Thích ứng với biến đổi khí hậu {place}"],
    Sector.DISASTER_PREVENTION: ["Nhà tránh lũ đa năng {place}", "Phòng chống thiên tai dựa vào cộng đồng {place}"],
    Sector.EMERGENCY_RELIEF: ["Cứu trợ khẩn cấp sau lũ lụt {place}", "Hỗ trợ khắc phục hậu quả bão {place}"],
    Sector.MINE_ACTION: [
        "Rà phá bom mìn, vật nổ sau chiến tranh {place}",
        "Giáo dục phòng tránh tai nạn bom mìn {place}",
    ],
}
OWNERS = {
    Sector.EDUCATION: "Sở Giáo dục và Đào tạo",
    Sector.VOCATIONAL_TRAINING: "Sở Lao động - Thương binh và Xã hội",
    Sector.HEALTH: "Sở Y tế",
    Sector.WATER_SANITATION: "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn",
    Sector.AGRICULTURE: "Sở Nông nghiệp và Môi trường",
    Sector.RURAL_DEVELOPMENT: "Ủy ban nhân dân {place}",
    Sector.SOCIAL_PROTECTION: "Hội Chữ thập đỏ tỉnh",
    Sector.WOMEN_CHILDREN: "Hội Liên hiệp Phụ nữ tỉnh",
    Sector.ENVIRONMENT: "Sở Nông nghiệp và Môi trường",
    Sector.DISASTER_PREVENTION: "Ban Chỉ huy Phòng chống thiên tai tỉnh",
    Sector.EMERGENCY_RELIEF: "Liên hiệp các tổ chức hữu nghị tỉnh",
    Sector.MINE_ACTION: "Bộ Chỉ huy Quân sự tỉnh",
}
PROJECTS_PER_YEAR = 9


def owed_reports(rng: random.Random, project: AidProject, today: datetime.date, staff, *, narrative) -> list:
    """The reports running aid owes (none before it starts). Nearly all that fell due came in, all of settled
    aid's: a few owners are late, and the alerts page lists them. `narrative(rng)` writes a received one's
    text (the demo and `generate_load` draw alike)."""
    if project.actual_start is None:
        return []
    rows = []
    for kind, period_start, period_end, due_on in report_schedule(start=project.start, end=project.end):
        received = due_on < today and (project.status == AidProject.Status.SETTLED or rng.random() > 0.05)
        rows.append(
            ProgressReport(
                project=project,
                kind=kind,
                period_start=period_start,
                period_end=period_end,
                due_on=due_on,
                submitted_on=due_on - datetime.timedelta(days=rng.randint(0, 10)) if received else None,
                narrative=narrative(rng) if received else "",
                submitted_by=staff if received else None,
            )
        )
    return rows


def _in_text(name: str) -> str:
    """A commune or ward as running text writes it: "xã Mai Hoa", "phường Thành Sen"; the list of
    communes keeps the name as it is ("Xã Mai Hoa")."""
    for unit in ("Xã ", "Phường "):
        if name.startswith(unit):
            return unit.lower() + name[len(unit) :]
    return name


def _rate(currency: str, year: int, rng: random.Random) -> Decimal:
    if currency == "VND":
        return Decimal(1)
    first, last = RATES[currency]
    share = (year - 2013) / 13
    return Decimal(str(round((first + (last - first) * share) * rng.uniform(0.99, 1.01), 2)))


def seed(*, today: datetime.date, password: str) -> list[str]:
    if AidProject.objects.filter(code__startswith="VT-").exists():
        return [f"{AidProject.objects.count()} aid projects (already present)"]
    rng = random.Random("demo-aid")
    staff = get_user_model().objects.filter(username="staff").first()
    province = get_user_model().objects.filter(username="province").first()
    donors = []
    for name, local, kind, country in DONORS:
        partner, _created = Partner.objects.get_or_create(
            name=name,
            country=country,
            defaults={"name_local": local, "kind": kind, "since": datetime.date(2013, 1, 1)},
        )
        donors.append(partner)
    communes = list(Commune.objects.all())
    since = settings.AID_SINCE_YEAR

    # 1. The projects, a few more starting each year; the last ones still waiting for a decision.
    plans = []
    for year in range(since, today.year + 1):
        count = PROJECTS_PER_YEAR + (1 if year % 3 == 0 else 0)
        for number in range(1, count + 1):
            sector = rng.choice(list(Sector))
            kind = rng.choices(list(AidProject.Kind), [1, 8, 3])[0]
            start = datetime.date(year, rng.randint(1, 11), rng.randint(1, 28))
            months = rng.randint(1, 4) if kind == AidProject.Kind.NON_PROJECT else rng.randint(12, 48)
            end = add_months(start, months) - datetime.timedelta(days=1)
            plans.append(
                {"code": f"VT-{year}-{number:03d}", "sector": sector, "kind": kind, "start": start, "end": end}
            )
    # Which of this year's and last year's are not yet running.
    waiting = [plan for plan in plans if plan["start"] > today - datetime.timedelta(days=60)]
    for plan in waiting:
        plan["start"] = max(plan["start"], today + datetime.timedelta(days=rng.randint(20, 120)))
        plan["end"] = add_months(plan["start"], 12)

    projects, donor_links, commune_links = [], [], []
    for plan in plans:
        donor_list = rng.sample(donors, rng.choices([1, 2], [5, 1])[0])
        places = rng.sample(communes, rng.randint(1, 4))
        place = _in_text(places[0].name)
        currency = (
            "VND"
            if donor_list[0].kind == Partner.Kind.OVERSEAS_VIETNAMESE and rng.random() < 0.5
            else (CURRENCY_OF.get(donor_list[0].country.code, "USD"))
        )
        sector = plan["sector"]
        project = AidProject(
            code=plan["code"],
            title=rng.choice(TITLES[sector]).format(place=f"tại {place}"),
            summary=f"Hỗ trợ người dân {place} và các địa phương lân cận; kết quả được đo bằng số người hưởng lợi "
            "và công trình bàn giao.",
            kind=plan["kind"],
            sector=sector,
            managing_agency=f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}",
            aid_owner=OWNERS[sector].format(place=place),
            beneficiaries=rng.randint(80, 6000),
            planned_start=plan["start"],
            planned_end=plan["end"],
            currency=currency,
            exchange_rate=_rate(currency, plan["start"].year, rng),
            commitment_amount=Decimal(0),
            counterpart_vnd=Decimal(rng.choice([0, 0, 50, 100, 200, 500]) * 1_000_000),
            created_by=staff,
        )
        projects.append(project)
        donor_links.append(donor_list)
        commune_links.append(places)

    # 2. Each year's disbursements: a total inside the band, shared among the projects running then.
    low, high = settings.AID_YEARLY_BAND
    amounts = {index: Decimal(0) for index in range(len(projects))}
    tranches = []
    for year in range(since, today.year + 1):
        elapsed = 1 if year < today.year else max(0.3, (today - datetime.date(year, 1, 1)).days / 365)
        target = Decimal(rng.randint(int(low * 1.08), int(high * 0.94))) * Decimal(str(elapsed))
        target = (
            max(target, Decimal(low) * Decimal("1.02"))
            if year < today.year
            else max(target, Decimal(low) * Decimal("1.02"))
        )
        running = [
            index
            for index, plan in enumerate(plans)
            if plan not in waiting and plan["start"].year <= year <= plan["end"].year
        ]
        weights = [rng.uniform(0.5, 2.0) for _ in running]
        share_total = sum(weights)
        for index, weight in zip(running, weights, strict=True):
            plan = plans[index]
            first = max(plan["start"], datetime.date(year, 1, 1))
            last = min(plan["end"], datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
            if last < first:
                continue
            vnd = (target * Decimal(weight) / Decimal(str(share_total))).quantize(Decimal(1_000_000))
            parts = rng.randint(1, 3)
            for part in range(parts):
                day = first + datetime.timedelta(days=(last - first).days * (part + 1) // (parts + 1))
                tranches.append((index, day, vnd / parts))
                amounts[index] += vnd / parts

    # 3. Commitments follow what the donors paid; lifecycles follow the dates.
    for index, project in enumerate(projects):
        plan = plans[index]
        paid = amounts[index]
        ended = plan["end"] < today
        planned_total = (
            paid * Decimal(str(rng.uniform(1.0, 1.12))) if ended else paid * Decimal(str(rng.uniform(1.6, 2.4)))
        )
        if plan in waiting:
            planned_total = Decimal(rng.randint(400, 4000) * 1_000_000)
        project.commitment_amount = (planned_total / project.exchange_rate).quantize(Decimal("0.01"))
        project.commitment_vnd = vnd_equivalent(project.commitment_amount, project.exchange_rate)
        decision = plan["start"] - datetime.timedelta(days=rng.randint(20, 90))
        Status = AidProject.Status
        if plan in waiting:
            project.status = rng.choice([Status.PROPOSED, Status.UNDER_APPRAISAL, Status.APPROVED])
        elif ended:
            project.status = Status.SETTLED if plan["end"] < today - datetime.timedelta(days=240) else Status.COMPLETED
            project.actual_start, project.actual_end = plan["start"], plan["end"]
        else:
            project.status = Status.ADJUSTED if rng.random() < 0.15 else Status.IMPLEMENTING
            project.actual_start = plan["start"]
        if project.status not in (Status.PROPOSED, Status.UNDER_APPRAISAL):
            project.decision_number = f"{rng.randint(100, 3999)}/QĐ-UBND"
            project.decision_date = min(decision, today - datetime.timedelta(days=1))
            project.decision_body = f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}"
    # One approval left unstarted for too long (it may be revoked), one revoked, two rejected.
    extra = [
        ("VT-2025-090", AidProject.Status.APPROVED, today - datetime.timedelta(days=230)),
        ("VT-2024-090", AidProject.Status.REVOKED, datetime.date(today.year - 2, 9, 10)),
        ("VT-2023-090", AidProject.Status.REJECTED, None),
        ("VT-2021-090", AidProject.Status.REJECTED, None),
    ]
    for code, status, decided in extra:
        rejected = decided is None
        decided = decided or datetime.date(int(code[3:7]), 5, 12)
        project = AidProject(
            code=code,
            title="Hỗ trợ sinh kế cho hộ nghèo ven biển",
            summary="Nhà tài trợ chưa chuyển vốn sau khi dự án được phê duyệt.",
            kind=AidProject.Kind.PROJECT,
            sector=Sector.AGRICULTURE,
            managing_agency=f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}",
            aid_owner="Sở Nông nghiệp và Môi trường",
            beneficiaries=450,
            planned_start=decided + datetime.timedelta(days=30),
            planned_end=decided + datetime.timedelta(days=760),
            currency="USD",
            exchange_rate=Decimal(25_300),
            commitment_amount=Decimal(60_000),
            commitment_vnd=Decimal(60_000 * 25_300),
            status=status,
            decision_number="" if rejected else "2150/QĐ-UBND",
            decision_date=None if rejected else decided,
            decision_body="" if rejected else f"Ủy ban nhân dân tỉnh {settings.PORTAL_PROVINCE_NAME}",
            created_by=staff,
        )
        projects.append(project)
        donor_links.append([donors[9]])
        commune_links.append(rng.sample(communes, 2))
    AidProject.objects.bulk_create(projects)
    with totals.kept_once():  # the links' figures are gathered, then covered by the rebuild at the end
        for project, donor_list, places in zip(projects, donor_links, commune_links, strict=True):
            project.donors.set(donor_list)
            project.communes.set(places)

        disbursements = []
        for index, day, vnd in tranches:
            project = projects[index]
            rate = project.exchange_rate
            amount = (vnd / rate).quantize(Decimal("0.01"))
            disbursements.append(
                Disbursement(
                    project=project,
                    date=day,
                    amount=amount,
                    currency=project.currency,
                    exchange_rate=rate,
                    amount_vnd=vnd_equivalent(amount, rate),
                    form=Disbursement.Form.IN_KIND if rng.random() < 0.15 else Disbursement.Form.CASH,
                    note="Đợt giải ngân theo kế hoạch",
                    recorded_by=staff,
                )
            )
        Disbursement.objects.bulk_create(disbursements, batch_size=1000)
        totals.rebuild()  # bulk_create sends no signal: what was disbursed each year, from all of them

    # 4. Events and the reports owed; nearly all past reports came in on time.
    events, reports = [], []
    trail = {
        AidProject.Status.PROPOSED: ["proposed"],
        AidProject.Status.UNDER_APPRAISAL: ["proposed", "under_appraisal"],
        AidProject.Status.APPROVED: ["proposed", "under_appraisal", "approved"],
        AidProject.Status.REJECTED: ["proposed", "under_appraisal", "rejected"],
        AidProject.Status.REVOKED: ["proposed", "under_appraisal", "approved", "revoked"],
        AidProject.Status.IMPLEMENTING: ["proposed", "under_appraisal", "approved", "implementing"],
        AidProject.Status.ADJUSTED: ["proposed", "under_appraisal", "approved", "implementing", "adjusted"],
        AidProject.Status.COMPLETED: ["proposed", "under_appraisal", "approved", "implementing", "completed"],
        AidProject.Status.SETTLED: ["proposed", "under_appraisal", "approved", "implementing", "completed", "settled"],
    }
    for project in projects:
        moment = datetime.datetime.combine(
            (project.decision_date or project.planned_start) - datetime.timedelta(days=60), datetime.time(9)
        )
        previous = ""
        for step in trail[project.status]:
            actor = province if step in ("approved", "rejected", "revoked", "adjusted") else staff
            events.append(
                AidEvent(
                    project=project,
                    actor=actor,
                    from_status=previous,
                    to_status=step,
                    created_at=moment.replace(tzinfo=datetime.UTC),
                )
            )
            previous = step
            moment += datetime.timedelta(days=30)
        reports += owed_reports(
            rng, project, today, staff, narrative=lambda rng: "Dự án thực hiện đúng tiến độ, giải ngân theo kế hoạch."
        )
    AidEvent.objects.bulk_create(events, batch_size=1000)
    ProgressReport.objects.bulk_create(reports, batch_size=1000)
    return [f"{len(projects)} aid projects, {len(disbursements)} disbursements, {len(reports)} progress reports"]
