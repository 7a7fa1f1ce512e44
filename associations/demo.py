"""Demo data for the associations: the union's people, branches, plans, activities and partners.

Deterministic (a seeded random generator) and idempotent (every record is found by its natural
key before it is created), so `seed_demo` can run on every start.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from associations.models import (
    Activity,
    Association,
    Branch,
    LaoProvince,
    LeaderAccount,
    LeadershipPosition,
    Member,
    Partner,
    PartnerContact,
    WorkPlan,
    WorkPlanItem,
    association_ranks,
)
from friendship_portal.core.register import issuing_body, union_body

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phan", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Dương", "Đinh", "Thái", "Phạm"]
MIDDLE_MALE = ["Văn", "Đức", "Hữu", "Xuân", "Quang", "Minh", "Đình", "Trọng", "Công"]
MIDDLE_FEMALE = ["Thị", "Thị Thu", "Thị Minh", "Thị Hồng", "Ngọc", "Thị Thanh", "Thị Kim"]
GIVEN_MALE = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Thắng",
    "Long",
    "Sơn",
    "Hải",
    "Nam",
    "Quân",
    "Bình",
    "Toàn",
    "Phúc",
    "Khánh",
    "Lợi",
]
GIVEN_FEMALE = [
    "Hương",
    "Lan",
    "Hoa",
    "Mai",
    "Hằng",
    "Thủy",
    "Nga",
    "Hà",
    "Linh",
    "Trang",
    "Yến",
    "Vân",
    "Oanh",
    "Nhung",
]
WORKPLACES = [
    "Sở Ngoại vụ Hà Tĩnh",
    "Trường Đại học Hà Tĩnh",
    "Trường Cao đẳng Y tế Hà Tĩnh",
    "Bệnh viện Đa khoa tỉnh",
    "Sở Giáo dục và Đào tạo",
    "Báo Hà Tĩnh",
    "Đài Phát thanh - Truyền hình Hà Tĩnh",
    "UBND phường Thành Sen",
    "Công ty CP Gang thép Hưng Nghiệp Formosa",
    "Hội Cựu chiến binh tỉnh",
    "Tỉnh đoàn Hà Tĩnh",
    "Trường Cao đẳng Kỹ thuật Việt – Đức Hà Tĩnh",
    "Hội Liên hiệp Phụ nữ tỉnh",
    "Cảng Vũng Áng",
]
COLLECTIVES = [
    ("Trường Đại học Hà Tĩnh", "Hiệu trưởng"),
    ("Trường Cao đẳng Y tế Hà Tĩnh", "Hiệu trưởng"),
    ("Hội Cựu chiến binh tỉnh Hà Tĩnh", "Chủ tịch Hội"),
    ("Tỉnh đoàn Hà Tĩnh", "Bí thư Tỉnh đoàn"),
    ("Công ty CP Du lịch Thiên Cầm", "Giám đốc"),
    ("Hợp tác xã Nông nghiệp Đức Thọ", "Chủ nhiệm"),
]
POSITIONS = ["Chuyên viên", "Giảng viên", "Bác sĩ", "Cán bộ hưu trí", "Doanh nhân", "Kỹ sư"]
PLACES = [
    "Phường Thành Sen",
    "Phường Trần Phú",
    "Xã Hương Sơn",
    "Xã Đức Thọ",
    "Xã Nghi Xuân",
    "Xã Can Lộc",
    "Xã Thạch Hà",
    "Xã Cẩm Xuyên",
    "Phường Bắc Hồng Lĩnh",
    "Xã Kỳ Anh",
    "Xã Vũ Quang",
    "Xã Hương Khê",
]

ASSOCIATION_DETAILS = {
    # code: (founded, members, branches, chair (name, main job), vice-chair, secretary general)
    "laos": (
        datetime.date(2001, 7, 18),
        160,
        8,
        ("Trần Báu Hà", "Phó Chủ tịch UBND tỉnh"),
        ("Đặng Ngọc Sơn", "Giám đốc Sở Ngoại vụ"),
        ("Nguyễn Thị Hằng", "Phó Chủ tịch Liên hiệp"),
    ),
    "russia": (
        datetime.date(2004, 1, 30),
        90,
        5,
        ("Lê Ngọc Châu", "Hiệu trưởng Trường Đại học Hà Tĩnh"),
        ("Võ Hồng Hải", "Giám đốc Bệnh viện Đa khoa tỉnh"),
        ("Phan Thị Mai", "Trưởng phòng Sở Ngoại vụ"),
    ),
    "thailand": (
        datetime.date(2010, 8, 6),
        60,
        4,
        ("Hoàng Văn Long", "Phó Giám đốc Sở Công Thương"),
        ("Bùi Thị Lan", "Giám đốc Trung tâm Xúc tiến đầu tư"),
        ("Dương Quang Tuấn", "Chuyên viên Sở Ngoại vụ"),
    ),
    "czech_slovakia": (
        datetime.date(2012, 10, 28),
        45,
        3,
        ("Đinh Xuân Dũng", "Phó Giám đốc Sở Y tế"),
        ("Hồ Thị Thu Hương", "Giảng viên Trường Đại học Hà Tĩnh"),
        ("Thái Văn Nam", "Chuyên viên Sở Ngoại vụ"),
    ),
    "poland": (
        datetime.date(2014, 2, 2),
        40,
        3,
        ("Đỗ Minh Khánh", "Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch"),
        ("Nguyễn Thị Vân", "Hiệu phó Trường THPT chuyên Hà Tĩnh"),
        ("Lê Trọng Bình", "Chuyên viên Sở Ngoại vụ"),
    ),
}

PARTNERS = [
    # name, local name, kind, country, Lao province ISO, association code (None: the whole union), since
    (
        "Ủy ban Mặt trận Lào xây dựng đất nước tỉnh Bôlykhămxay",
        "ແນວລາວສ້າງຊາດ ແຂວງບໍລິຄຳໄຊ",
        "foreign_locality",
        "LA",
        "LA-BL",
        "laos",
        datetime.date(1999, 3, 1),
    ),
    (
        "Hội Hữu nghị Lào – Việt Nam tỉnh Khăm Muộn",
        "ສະມາຄົມມິດຕະພາບລາວ-ຫວຽດນາມ ແຂວງຄຳມ່ວນ",
        "friendship_organization",
        "LA",
        "LA-KH",
        "laos",
        datetime.date(2005, 6, 1),
    ),
    (
        "Sở Ngoại vụ tỉnh Savannakhet",
        "ພະແນກການຕ່າງປະເທດ ແຂວງສະຫວັນນະເຂດ",
        "foreign_locality",
        "LA",
        "LA-SV",
        "laos",
        datetime.date(2008, 9, 1),
    ),
    (
        "Ban Công tác đặc biệt Thủ đô Viêng Chăn",
        "ຄະນະກຳມະການພິເສດ ນະຄອນຫຼວງວຽງຈັນ",
        "foreign_locality",
        "LA",
        "LA-VT",
        "laos",
        datetime.date(1999, 1, 1),
    ),
    ("Tổng Lãnh sự quán nước CHDCND Lào tại Đà Nẵng", "", "embassy", "LA", None, None, datetime.date(2000, 1, 1)),
    (
        "Hội Hữu nghị Nga – Việt",
        "Общество российско-вьетнамской дружбы",
        "friendship_organization",
        "RU",
        None,
        "russia",
        datetime.date(2006, 5, 9),
    ),
    (
        "Trung tâm Khoa học và Văn hóa Nga tại Hà Nội",
        "Российский центр науки и культуры в Ханое",
        "embassy",
        "RU",
        None,
        "russia",
        datetime.date(2012, 1, 1),
    ),
    (
        "Hội người Việt Nam tại tỉnh Nakhon Phanom",
        "",
        "overseas_vietnamese",
        "TH",
        None,
        "thailand",
        datetime.date(2011, 3, 1),
    ),
    (
        "Tổng Lãnh sự quán Thái Lan tại Savannakhet",
        "สถานกงสุลใหญ่ ณ แขวงสะหวันนะเขต",
        "embassy",
        "TH",
        None,
        "thailand",
        datetime.date(2013, 1, 1),
    ),
    (
        "Đại sứ quán Cộng hòa Séc tại Việt Nam",
        "Velvyslanectví České republiky v Hanoji",
        "embassy",
        "CZ",
        None,
        "czech_slovakia",
        datetime.date(2012, 10, 28),
    ),
    (
        "Đại sứ quán Cộng hòa Ba Lan tại Việt Nam",
        "Ambasada RP w Hanoi",
        "embassy",
        "PL",
        None,
        "poland",
        datetime.date(2014, 2, 2),
    ),
    (
        "Tổ chức Tầm nhìn Thế giới (World Vision)",
        "World Vision International",
        "foreign_ngo",
        "US",
        None,
        None,
        datetime.date(2013, 4, 1),
    ),
    (
        "Quỹ Nhi đồng Liên Hợp Quốc (UNICEF)",
        "United Nations Children's Fund",
        "international_organization",
        "US",
        None,
        None,
        datetime.date(2015, 1, 1),
    ),
    ("Tổ chức Plan International", "Plan International", "foreign_ngo", "GB", None, None, datetime.date(2016, 6, 1)),
    (
        "Tổ chức Kinderhilfe Vietnam",
        "Kinderhilfe Vietnam e.V.",
        "foreign_ngo",
        "DE",
        None,
        None,
        datetime.date(2017, 3, 1),
    ),
    # The partners the delegations meet in the place they visit (delegations/demo.py).
    (
        "Ban Công tác đặc biệt tỉnh Bôlykhămxay",
        "ຄະນະກຳມະການພິເສດ ແຂວງບໍລິຄຳໄຊ",
        "foreign_locality",
        "LA",
        "LA-BL",
        "laos",
        datetime.date(1999, 1, 1),
    ),
    (
        "Hội Hữu nghị Lào – Việt Nam",
        "ສະມາຄົມມິດຕະພາບລາວ-ຫວຽດນາມ",
        "friendship_organization",
        "LA",
        "LA-VT",
        "laos",
        datetime.date(2001, 7, 18),
    ),
    (
        "Hội Hữu nghị Lào – Việt Nam tỉnh Hủa Phăn",
        "ສະມາຄົມມິດຕະພາບລາວ-ຫວຽດນາມ ແຂວງຫົວພັນ",
        "friendship_organization",
        "LA",
        "LA-HO",
        "laos",
        datetime.date(2015, 3, 1),
    ),
    ("Trường Đại học Xuphanuvông", "ມະຫາວິທະຍາໄລສຸພານຸວົງ", "other", "LA", "LA-LP", "laos", datetime.date(2012, 9, 1)),
    (
        "Phòng Thương mại tỉnh Udon Thani",
        "หอการค้าจังหวัดอุดรธานี",
        "other",
        "TH",
        None,
        "thailand",
        datetime.date(2016, 5, 1),
    ),
    (
        "Hội người Việt Nam tại Cộng hòa Séc",
        "Svaz Vietnamců v ČR",
        "overseas_vietnamese",
        "CZ",
        None,
        "czech_slovakia",
        datetime.date(2013, 1, 1),
    ),
    (
        "Hội người Việt Nam tại Ba Lan",
        "Stowarzyszenie Wietnamczyków w Polsce",
        "overseas_vietnamese",
        "PL",
        None,
        "poland",
        datetime.date(2014, 2, 2),
    ),
    (
        "Hội Hữu nghị Ba Lan – Việt Nam",
        "Towarzystwo Przyjaźni Polsko-Wietnamskiej",
        "friendship_organization",
        "PL",
        None,
        "poland",
        datetime.date(2014, 2, 2),
    ),
]
LAO_CONTACTS = [
    "Khamphouvong Sisavath",
    "Bounmy Phommachanh",
    "Souksavanh Keobounphanh",
    "Vilayvanh Inthavong",
    "Somphone Douangdy",
    "Thongsavanh Phengsouvanh",
    "Chanthaly Sayavong",
]

ACTIVITIES = {
    "laos": [
        ("anniversary", "Kỷ niệm Ngày thiết lập quan hệ ngoại giao Việt Nam – Lào (18/7)", 7, 18),
        ("anniversary", "Kỷ niệm Quốc khánh nước CHDCND Lào (2/12)", 12, 2),
        ("new_year_greetings", "Chúc Tết cổ truyền Bunpimay các tỉnh bạn Lào", 4, 12),
        ("exchange", "Giao lưu văn nghệ, thể thao với lưu học sinh Lào", 11, 8),
        ("training", "Tập huấn công tác đối ngoại nhân dân cho chi hội cơ sở", 9, 20),
    ],
    "russia": [
        ("anniversary", "Kỷ niệm Ngày Chiến thắng phát xít (9/5)", 5, 9),
        ("anniversary", "Kỷ niệm Ngày thiết lập quan hệ ngoại giao Việt Nam – Nga (30/1)", 1, 30),
        ("exchange", "Gặp mặt cựu lưu học sinh, chuyên gia từng học tập, công tác tại Nga", 11, 7),
    ],
    "thailand": [
        ("anniversary", "Kỷ niệm Ngày thiết lập quan hệ ngoại giao Việt Nam – Thái Lan (6/8)", 8, 6),
        ("exchange", "Giao lưu với cộng đồng người Việt tại Nakhon Phanom", 3, 15),
    ],
    "czech_slovakia": [
        ("anniversary", "Kỷ niệm Quốc khánh Cộng hòa Séc (28/10)", 10, 28),
        ("meeting", "Gặp mặt hội viên đầu xuân", 2, 20),
    ],
    "poland": [
        ("anniversary", "Kỷ niệm Ngày thiết lập quan hệ ngoại giao Việt Nam – Ba Lan (4/2)", 2, 4),
        ("charity", "Trao quà cho học sinh nghèo vượt khó cùng đối tác Ba Lan", 6, 1),
    ],
}
PLAN_TASKS = [
    ("Tổ chức các hoạt động kỷ niệm ngày lễ lớn của hai nước", "Ít nhất 2 hoạt động"),
    ("Phát triển hội viên và chi hội cơ sở", "Kết nạp 10 hội viên mới"),
    ("Vận động viện trợ phi chính phủ nước ngoài", "1 dự án mới"),
    ("Sơ kết 6 tháng, tổng kết năm công tác hội", "Đúng thời hạn"),
]

ACCOUNTS = [
    # username, first name, last name, roles, association led, staff site (/admin/). Nobody is a
    # superuser: the administrator's rights come from the administrator role, and take no workflow step.
    ("staff", "Hương", "Nguyễn Thị", ["union_staff"], None, False),
    ("leader.laos", "Sơn", "Đặng Ngọc", ["association_leader"], "laos", False),
    ("leader.russia", "Hải", "Võ Hồng", ["association_leader"], "russia", False),
    # Every association's plans are endorsed by a leader of its own: its vice-chair (ASSOCIATION_DETAILS).
    ("leader.thailand", "Lan", "Bùi Thị", ["association_leader"], "thailand", False),
    ("leader.czech_slovakia", "Hương", "Hồ Thị Thu", ["association_leader"], "czech_slovakia", False),
    ("leader.poland", "Vân", "Nguyễn Thị", ["association_leader"], "poland", False),
    ("province", "Dũng", "Hoàng Trung", ["provincial_office"], None, False),
    ("admin", "Quân", "Phan Minh", ["administrator"], None, True),
]


def _person(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}", Member.Gender.MALE
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}", Member.Gender.FEMALE


def seed_accounts(*, password: str) -> dict:
    """The demo accounts, each given the demo password again on every run."""
    User = get_user_model()
    users = {}
    for username, first_name, last_name, roles, led, admin_site in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@huunghihatinh.example"
        user.is_superuser = False
        user.is_staff = admin_site
        user.set_password(password)
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        if led:
            LeaderAccount.objects.update_or_create(
                user=user, defaults={"association": Association.objects.get(code=led)}
            )
        users[username] = user
    return users


def seed_associations(*, today: datetime.date) -> None:
    provinces = {province.iso_code: province for province in LaoProvince.objects.all()}
    associations = {association.code: association for association in Association.objects.all()}
    for code, (founded, member_total, branch_total, *leaders) in ASSOCIATION_DETAILS.items():
        association = associations[code]
        rng = random.Random(f"demo-{code}")  # one generator per association: reruns draw the same data
        if not association.founded_on:
            association.founded_on = founded
            association.address = "Số 02 đường Nguyễn Tất Thành, phường Thành Sen, tỉnh Hà Tĩnh"
            association.phone = "0239 3855 123"
            association.save()
        branches = [
            Branch.objects.get_or_create(
                association=association,
                name=f"Chi hội {PLACES[(index + association.display_order) % len(PLACES)].replace('Xã ', '').replace('Phường ', '')}",
                defaults={
                    "location": PLACES[(index + association.display_order) % len(PLACES)],
                    "founded_on": founded + datetime.timedelta(days=400 * (index + 1)),
                    "head_name": _person(rng)[0],
                },
            )[0]
            for index in range(branch_total)
        ]
        _seed_members(rng, association, branches, member_total, founded, today)
        for role, (name, main_job) in zip(
            (
                LeadershipPosition.Role.CHAIR,
                LeadershipPosition.Role.VICE_CHAIR,
                LeadershipPosition.Role.SECRETARY_GENERAL,
            ),
            leaders,
            strict=True,
        ):
            LeadershipPosition.objects.get_or_create(
                association=association,
                person_name=name,
                role=role,
                term_label="2022–2027",
                defaults={
                    "term_start": datetime.date(2022, 6, 15),
                    "term_end": datetime.date(2027, 6, 15),
                    "is_concurrent": role != LeadershipPosition.Role.SECRETARY_GENERAL or code == "laos",
                    "main_job": main_job,
                },
            )
        _seed_plans_and_activities(rng, association, today)
    rng = random.Random("demo-partners")
    for name, local, kind, country, province, association_code, since in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            name=name,
            country=country,
            defaults={
                "name_local": local,
                "kind": kind,
                "lao_province": provinces.get(province),
                "association": associations.get(association_code),
                "since": since,
            },
        )
        if created and country == "LA":
            PartnerContact.objects.create(
                partner=partner,
                full_name=rng.choice(LAO_CONTACTS),
                position="Trưởng ban Đối ngoại",
                phone="+856 20 5555 0101",
            )


def _seed_members(rng, association, branches, total, founded, today) -> None:
    people, seen = [], set()
    while len(people) < total:
        name, gender = _person(rng)
        if name not in seen:
            seen.add(name)
            people.append((name, gender))
    members, rank = [], association_ranks().get(association.pk, 0)  # bulk_create calls no save()
    for index, (name, gender) in enumerate(people):
        collective = index < len(COLLECTIVES) and association.code in ("laos", "russia")
        joined = founded + datetime.timedelta(days=rng.randint(0, (today - founded).days))
        status = Member.Status.ACTIVE if index % 12 else Member.Status.LEFT
        members.append(
            Member(
                association=association,
                association_rank=rank,
                branch=rng.choice(branches),
                kind=Member.Kind.COLLECTIVE if collective else Member.Kind.INDIVIDUAL,
                full_name=COLLECTIVES[index][0] if collective else name,
                gender="" if collective else gender,
                birth_year=None if collective else rng.randint(1950, 1998),
                position=COLLECTIVES[index][1] if collective else rng.choice(POSITIONS),
                workplace="" if collective else rng.choice(WORKPLACES),
                representative=_person(rng)[0] if collective else "",
                headcount=rng.randint(20, 300) if collective else None,
                phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                joined_on=joined,
                status=status,
                status_changed_on=None
                if status == Member.Status.ACTIVE
                else min(today, joined + datetime.timedelta(days=900)),
            )
        )
    existing = set(association.members.values_list("full_name", flat=True))
    # Bulk creation skips the history rows of ordinary saves: record the "created" rows for them.
    created = Member.objects.bulk_create([member for member in members if member.full_name not in existing])
    Member.history.bulk_history_create(created, default_change_reason="Dữ liệu mẫu")


def _seed_plans_and_activities(rng, association, today) -> None:
    for year in range(today.year - 2, today.year + 1):
        plan, _ = WorkPlan.objects.get_or_create(
            association=association,
            year=year,
            defaults={
                "title": f"Kế hoạch công tác năm {year} của {association.name}",
                "adopted_on": datetime.date(year, 1, 15),
            },
        )
        for position, (title, target) in enumerate(PLAN_TASKS, start=1):
            finished = year < today.year or position <= 2
            WorkPlanItem.objects.get_or_create(
                plan=plan,
                title=title,
                defaults={
                    "position": position,
                    "target": target,
                    "due_on": datetime.date(year, 12, 15),
                    "status": WorkPlanItem.Status.DONE if finished else WorkPlanItem.Status.IN_PROGRESS,
                    "outcome": "Hoàn thành theo kế hoạch." if finished else "",
                },
            )
        anniversary_item = plan.items.get(position=1)
        for kind, title, month, day in ACTIVITIES[association.code]:
            held_on = datetime.date(year, month, day)
            if held_on > today:
                continue
            Activity.objects.get_or_create(
                association=association,
                title=f"{title} năm {year}",
                held_on=held_on,
                defaults={
                    "kind": kind,
                    "location": "Hà Tĩnh",
                    "participants": rng.randint(30, 250),
                    "plan_item": anniversary_item if kind == "anniversary" else None,
                },
            )


def seed(*, today: datetime.date, password: str) -> list[str]:
    """Called by `seed_demo`: the accounts, then the associations' records."""
    users = seed_accounts(password=password)
    seed_associations(today=today)
    seed_signers()
    return [f"{len(users)} demo accounts: {', '.join(users)}"]


# Who signs the union's documents in the demo; each association's are signed by its chair.
UNION_CHAIR = "Lê Văn Khánh"


def seed_signers() -> None:
    """The signers' names the administrator would keep, where none is kept yet."""
    union = union_body()
    if not union.signer_name:
        union.signer_name = UNION_CHAIR
        union.save(update_fields=["signer_name"])
    for association in Association.objects.all():
        details = ASSOCIATION_DETAILS.get(association.code)
        body = issuing_body(association.code, name=association.name)
        if details and not body.signer_name:
            body.signer_name = details[3][0]
            body.save(update_fields=["signer_name"])
