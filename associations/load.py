"""Synthetic rows of the associations for benchmarks, written by `generate_load` (the overview's command).

`generate` writes `scale` times what the demo (`demo.py`) makes: branches, members, leadership positions,
yearly plans and their focus tasks, activities, partners and their contacts. Every value is drawn from the
`rng` it is given and every date from `today`, so the same seed writes the same rows. Rows are written with
`bulk_create` in batches and keep no history (nobody made them).

A plan is one per association and year (a constraint), so plans cannot grow with the scale: the load
fills the association's free years since its founding, and multiplies the focus tasks instead.

The other apps' load modules take people's and places' names from here, the ground they stand on.
"""

import datetime
import random
import unicodedata

from django.contrib.auth import get_user_model
from django.db import reset_queries

from associations import demo
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
    association_ranks,
)

BATCH = 5000

# What the demo makes for one unit of scale, as counted after seed_demo (members and branches per
# association are read from demo.py).
PARTNERS = 42
CONTACTS = 9
ACTIVITIES = 42
PLANS_PER_ASSOCIATION = 3
TASKS_PER_ASSOCIATION = 12
POSITIONS_PER_ASSOCIATION = 3

# ---------------------------------------------------------------------------------------------------------
# Names of people
# ---------------------------------------------------------------------------------------------------------

# Vietnamese family names, as often as they are met (Nguyễn is nearly four in ten).
SURNAMES = (
    ["Nguyễn"] * 12
    + ["Trần"] * 4
    + ["Lê"] * 4
    + ["Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"] * 2
    + ["Huỳnh", "Vũ", "Ngô", "Dương", "Lý", "Đinh", "Thái", "Trịnh", "Mai", "Cao", "Lưu", "Chu", "Tạ", "Hà"]
    + ["Lương", "Kiều", "Đoàn", "Từ", "Nghiêm", "Tôn", "Đậu", "Chế"]
)
MIDDLE_MALE = ["Văn", "Đức", "Hữu", "Xuân", "Quang", "Minh", "Đình", "Trọng", "Công", "Thanh", "Ngọc", "Mạnh"]
MIDDLE_MALE += ["Tiến", "Anh", "Bá", "Duy", "Khắc", "Viết", "Sỹ", "Quốc", "Văn", "Văn", "Đức"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thị Thu", "Thị Minh", "Thị Hồng", "Ngọc", "Thị Thanh", "Thị Kim", "Thị Mai"]
MIDDLE_FEMALE += ["Thị Lan", "Thị Thùy", "Thị Hải", "Phương", "Thị Bích", "Thị Ngọc", "Khánh", "Thị Hoài"]
GIVEN_MALE = ["Hùng", "Dũng", "Tuấn", "Thắng", "Long", "Sơn", "Hải", "Nam", "Quân", "Bình", "Toàn", "Phúc"]
GIVEN_MALE += ["Khánh", "Lợi", "Cường", "Hiếu", "Trung", "Hòa", "Thành", "Đạt", "Vinh", "Hưng", "Lâm", "Tùng"]
GIVEN_MALE += ["Kiên", "Hoàng", "Huy", "Tâm", "Nghĩa", "Thuận", "Chiến", "Quý", "Phong", "Tài", "Việt", "Đông"]
GIVEN_FEMALE = ["Hương", "Lan", "Hoa", "Mai", "Hằng", "Thủy", "Nga", "Hà", "Linh", "Trang", "Yến", "Vân"]
GIVEN_FEMALE += ["Oanh", "Nhung", "Thảo", "Phương", "Huyền", "Loan", "Ngân", "Hạnh", "Dung", "Giang", "Nhàn"]
GIVEN_FEMALE += ["Tâm", "Thơ", "Hiền", "Quyên", "Ly", "Anh", "Châu", "Thắm", "Hồng", "Xuân", "Quỳnh", "Diệp"]

LAO_FAMILY = ["Phommachanh", "Sisavath", "Keobounphanh", "Inthavong", "Douangdy", "Phengsouvanh", "Sayavong"]
LAO_FAMILY += ["Vongsa", "Chanthavong", "Souvannavong", "Xaysana", "Manivong", "Siphandone", "Luangrath"]
LAO_FAMILY += ["Khounvilay", "Thammavong", "Bounnhavong", "Sengdara", "Phanthavong", "Vilaysack", "Keomany"]
LAO_FAMILY += ["Phimmasone", "Soukhaseum", "Xayavong", "Sihalath", "Vongphachanh", "Rattanavong", "Boupha"]
LAO_FAMILY += ["Phetsarath", "Sysouphanh", "Kommadam", "Norasing", "Thepphavong", "Sounthala", "Khamvongsa"]
LAO_FAMILY += ["Vorachit", "Saysompheng", "Douangchak", "Ounkham", "Chanthasone", "Lattanavong", "Phoummavong"]
LAO_GIVEN_MALE = ["Bounmy", "Somphone", "Khamla", "Souksavanh", "Thongsavanh", "Vanxay", "Phonesavanh"]
LAO_GIVEN_MALE += ["Sengphet", "Khamphou", "Bounthanh", "Anousone", "Sivixay", "Kongkeo", "Khamsing", "Somsak"]
LAO_GIVEN_MALE += ["Thongchanh", "Bounleuth", "Viengkham", "Phouvong", "Sisouk", "Khamsay", "Somchit", "Xaysomphone"]
LAO_GIVEN_MALE += ["Bounkeo", "Chanthone", "Khampheng", "Outhai", "Souliya", "Thanongsak", "Vilasack"]
LAO_GIVEN_FEMALE = ["Vilayvanh", "Chanthaly", "Manivanh", "Souphaphone", "Noy", "Keomany", "Daovone"]
LAO_GIVEN_FEMALE += ["Phetsamone", "Bouavanh", "Khonesavanh", "Malaythong", "Vanida", "Sengdao", "Thipphavanh"]
LAO_GIVEN_FEMALE += ["Souksakhone", "Viengsavanh", "Amphone", "Khamphet", "Sisomphone", "Latdavanh", "Soudavanh"]
LAO_GIVEN_FEMALE += ["Vatsana", "Bounpheng", "Chansamone", "Latsamy", "Mayouly", "Phailin", "Sonexay"]

# Given names (male, female) and family names (male form, female form) of the partners' people.
FOREIGN_NAMES = {
    "RU": (
        ["Ivan", "Sergei", "Aleksandr", "Dmitri", "Nikolai", "Vladimir", "Mikhail", "Andrei", "Yuri", "Oleg"],
        ["Olga", "Natalia", "Elena", "Tatiana", "Irina", "Svetlana", "Anna", "Marina", "Yulia", "Galina"],
        [(name, name + "a") for name in ["Petrov", "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Volkov"]]
        + [(name, name + "a") for name in ["Morozov", "Novikov", "Fedorov", "Lebedev", "Kozlov", "Orlov"]],
    ),
    "TH": (
        ["Somchai", "Somsak", "Prasert", "Anan", "Wichai", "Sompong", "Nattapong", "Kittisak", "Surachai"],
        ["Suda", "Malee", "Pranee", "Siriporn", "Wanida", "Kanya", "Ratana", "Porntip", "Jintana"],
        [(name, name) for name in ["Wongsakul", "Srisuk", "Chaiyaphum", "Saelim", "Thongdee", "Boonmee"]]
        + [(name, name) for name in ["Rattanakorn", "Phromsri", "Kaewmanee", "Sukprasert", "Chanthavong"]],
    ),
    "CZ": (
        ["Jan", "Petr", "Tomáš", "Martin", "Pavel", "Jiří", "Lukáš", "Josef", "Karel"],
        ["Jana", "Eva", "Petra", "Lucie", "Hana", "Kateřina", "Lenka", "Veronika"],
        [("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Dvořák", "Dvořáková"), ("Černý", "Černá")]
        + [("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"), ("Horák", "Horáková")],
    ),
    "SK": (
        ["Ján", "Peter", "Michal", "Marek", "Juraj", "Milan"],
        ["Mária", "Zuzana", "Katarína", "Monika", "Ivana"],
        [("Horváth", "Horváthová"), ("Kováč", "Kováčová"), ("Varga", "Vargová"), ("Tóth", "Tóthová")],
    ),
    "PL": (
        ["Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marek", "Michał", "Jan"],
        ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa"],
        [("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik")]
        + [("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska")],
    ),
    "DE": (
        ["Klaus", "Stefan", "Thomas", "Andreas", "Michael", "Jürgen", "Frank"],
        ["Sabine", "Petra", "Claudia", "Anja", "Birgit", "Monika"],
        [(name, name) for name in ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner"]],
    ),
    "JP": (
        ["Hiroshi", "Takeshi", "Kenji", "Satoshi", "Makoto"],
        ["Yuki", "Akiko", "Keiko", "Naoko", "Emi"],
        [(name, name) for name in ["Tanaka", "Suzuki", "Sato", "Takahashi", "Watanabe", "Ito", "Yamamoto"]],
    ),
    "KR": (
        ["Min-jun", "Ji-hoon", "Sung-min", "Dong-hyun"],
        ["Seo-yeon", "Ji-woo", "Hye-jin", "Eun-ji"],
        [(name, name) for name in ["Kim", "Lee", "Park", "Choi", "Jung", "Kang"]],
    ),
    "": (  # English names, for every other country
        ["John", "David", "Michael", "James", "Robert", "Peter", "Thomas", "Richard", "Mark", "Paul"],
        ["Sarah", "Emily", "Mary", "Susan", "Karen", "Laura", "Jennifer", "Helen", "Anne"],
        [(name, name) for name in ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Anderson", "Mitchell"]]
        + [(name, name) for name in ["Clark", "Walker", "Wright", "Harris", "Martin", "Evans"]],
    ),
}
FAMILY_NAME_FIRST = {"KR"}

# ---------------------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------------------

COUNTRY_NAMES = {
    "LA": "Lào",
    "RU": "Liên bang Nga",
    "TH": "Thái Lan",
    "CZ": "Cộng hòa Séc",
    "SK": "Slovakia",
    "PL": "Ba Lan",
    "US": "Hoa Kỳ",
    "GB": "Vương quốc Anh",
    "DE": "Đức",
    "FR": "Pháp",
    "JP": "Nhật Bản",
    "KR": "Hàn Quốc",
    "AU": "Australia",
    "NO": "Na Uy",
    "DK": "Đan Mạch",
    "NL": "Hà Lan",
    "SE": "Thụy Điển",
    "CH": "Thụy Sĩ",
    "CA": "Canada",
    "BE": "Bỉ",
}
CITIES = {
    "RU": ["Moskva", "Saint Petersburg", "Kazan", "Novosibirsk", "Vladivostok", "Yekaterinburg", "Krasnodar"],
    "TH": ["Bangkok", "Nakhon Phanom", "Udon Thani", "Sakon Nakhon", "Khon Kaen", "Mukdahan", "Nong Khai"],
    "CZ": ["Praha", "Brno", "Ostrava", "Plzeň", "Olomouc", "Cheb", "Liberec"],
    "SK": ["Bratislava", "Košice", "Žilina", "Nitra"],
    "PL": ["Warszawa", "Kraków", "Gdańsk", "Wrocław", "Łódź", "Poznań", "Lublin"],
    "US": ["New York", "San Francisco", "Seattle", "Houston", "Washington", "Boston"],
    "GB": ["London", "Manchester", "Birmingham", "Edinburgh"],
    "DE": ["Berlin", "Hamburg", "München", "Köln", "Leipzig"],
    "FR": ["Paris", "Lyon", "Marseille", "Toulouse"],
    "JP": ["Tokyo", "Osaka", "Nagoya", "Fukuoka"],
    "KR": ["Seoul", "Busan", "Incheon", "Daegu"],
    "AU": ["Sydney", "Melbourne", "Brisbane", "Perth"],
}
CITIES_DEFAULT = ["thủ đô"]
# Districts of Laos, for partners below the province.
LAO_DISTRICTS = ["Paksan", "Thakhek", "Pakkading", "Khamkeut", "Viengthong", "Borikhan", "Thaphabath", "Hinboun"]
LAO_DISTRICTS += ["Xaybouathong", "Nongbok", "Mahaxay", "Yommalath", "Boualapha", "Gnommalath", "Nakai"]
LAO_DISTRICTS += ["Xebangfai", "Xaybouly", "Outhoumphone", "Atsaphangthong", "Songkhone", "Champhone", "Phin"]
LAO_DISTRICTS += ["Sepon", "Viengxay", "Xamneua", "Xiengkhor", "Pek", "Kham", "Nonghet", "Sanamxay", "Phouvong"]
# Communes, wards and bodies of Hà Tĩnh, for branches, workplaces and activities.
HA_TINH_PLACES = ["Phường Thành Sen", "Phường Trần Phú", "Phường Bắc Hồng Lĩnh", "Phường Nam Hồng Lĩnh"]
HA_TINH_PLACES += ["Phường Hà Huy Tập", "Phường Sông Trí", "Phường Hải Ninh", "Phường Vũng Áng", "Phường Hoành Sơn"]
HA_TINH_PLACES += ["Xã " + name for name in ["Hương Sơn", "Sơn Hồng", "Sơn Tiến", "Sơn Tây", "Sơn Giang", "Tứ Mỹ"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Kim Hoa", "Đức Thọ", "Đức Minh", "Đức Quang", "Đức Thịnh", "Vũ Quang"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Mai Hoa", "Thượng Đức", "Nghi Xuân", "Đan Hải", "Tiên Điền", "Cổ Đạm"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Can Lộc", "Hồng Lộc", "Tùng Lộc", "Trường Lưu", "Gia Hanh", "Xuân Lộc"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Đồng Lộc", "Hương Khê", "Hà Linh", "Hương Bình", "Phúc Trạch"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Thạch Hà", "Lộc Hà", "Mai Phụ", "Đông Kinh", "Việt Xuyên", "Thạch Khê"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Cẩm Xuyên", "Thiên Cầm", "Yên Hòa", "Cẩm Bình", "Cẩm Hưng", "Cẩm Duệ"]]
HA_TINH_PLACES += ["Xã " + name for name in ["Kỳ Xuân", "Kỳ Anh", "Kỳ Văn", "Kỳ Khang", "Kỳ Hoa", "Kỳ Lạc"]]
ORGANIZATIONS = ["Trường Đại học Hà Tĩnh", "Trường Cao đẳng Y tế Hà Tĩnh", "Bệnh viện Đa khoa tỉnh"]
ORGANIZATIONS += ["Trường THPT chuyên Hà Tĩnh", "Trường THPT Phan Đình Phùng", "Trường THPT Nguyễn Du"]
ORGANIZATIONS += ["Sở Ngoại vụ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Báo Hà Tĩnh"]
ORGANIZATIONS += ["Đài Phát thanh - Truyền hình Hà Tĩnh", "Hội Cựu chiến binh tỉnh", "Tỉnh đoàn Hà Tĩnh"]
ORGANIZATIONS += ["Hội Liên hiệp Phụ nữ tỉnh", "Cảng Vũng Áng", "Công ty CP Du lịch Thiên Cầm", "Sở Công Thương"]
ORGANIZATIONS += ["Trường Cao đẳng Kỹ thuật Việt – Đức Hà Tĩnh", "Bộ Chỉ huy Quân sự tỉnh", "Công an tỉnh"]
POSITIONS = ["Chuyên viên", "Giảng viên", "Bác sĩ", "Cán bộ hưu trí", "Doanh nhân", "Kỹ sư", "Giáo viên"]
POSITIONS += ["Trưởng phòng", "Phó Trưởng phòng", "Điều dưỡng", "Phóng viên", "Sinh viên", "Nông dân", "Kế toán"]
MAIN_JOBS = ["Phó Giám đốc Sở Ngoại vụ", "Trưởng phòng Sở Ngoại vụ", "Hiệu phó Trường Đại học Hà Tĩnh"]
MAIN_JOBS += ["Phó Giám đốc Sở Y tế", "Phó Giám đốc Sở Công Thương", "Giám đốc Trung tâm Xúc tiến đầu tư"]
MAIN_JOBS += ["Chuyên viên Văn phòng UBND tỉnh", "Phó Chủ tịch Liên hiệp các tổ chức hữu nghị tỉnh"]
MAIN_JOBS += ["Trưởng ban Tuyên giáo Tỉnh ủy", "Phó Giám đốc Bệnh viện Đa khoa tỉnh", "Giảng viên chính"]

# ---------------------------------------------------------------------------------------------------------
# What the rows say
# ---------------------------------------------------------------------------------------------------------

LAO_PARTNERS = ["Sở Ngoại vụ {place}", "Hội Hữu nghị Lào – Việt Nam {place}", "Sở Y tế {place}"]
LAO_PARTNERS += ["Ủy ban Mặt trận Lào xây dựng đất nước {place}", "Sở Giáo dục và Thể thao {place}"]
LAO_PARTNERS += ["Đoàn Thanh niên Nhân dân Cách mạng Lào {place}", "Hội Liên hiệp Phụ nữ Lào {place}"]
LAO_PARTNERS += ["Bệnh viện {place}", "Trường Cao đẳng Sư phạm {place}", "Sở Nông nghiệp và Lâm nghiệp {place}"]
LAO_PARTNERS += ["Sở Công Thương {place}", "Sở Lao động và Phúc lợi xã hội {place}", "Bộ Chỉ huy Quân sự {place}"]
LAO_PARTNERS += ["Sở Thông tin, Văn hóa và Du lịch {place}", "Chính quyền huyện {district}, {place}"]
LAO_PARTNERS += ["Trường Trung học phổ thông huyện {district}, {place}", "Bệnh viện huyện {district}, {place}"]
CITY_PARTNERS = ["Hội Hữu nghị {country} – Việt Nam tại {city}", "Chính quyền thành phố {city}"]
CITY_PARTNERS += ["Trường Đại học Tổng hợp {city}", "Phòng Thương mại và Công nghiệp {city}"]
CITY_PARTNERS += ["Trung tâm Văn hóa thành phố {city}", "Hội Cựu chiến binh {city}", "Bệnh viện thành phố {city}"]
OVERSEAS = ["Hội người Việt Nam tại {city}", "Hội doanh nhân Việt Nam tại {city}"]
OVERSEAS += ["Hội đồng hương Hà Tĩnh tại {city}", "Cộng đồng người Việt Nam tại {city}"]
NGO_FIRST = ["Hope", "Bright Future", "Children's", "Green", "Global", "Mekong", "Friends of Vietnam", "Village"]
NGO_FIRST += ["Helping Hands", "Clean Water", "Humanity", "Sunrise", "Open Hearts", "River", "Family", "Education"]
NGO_SECOND = ["Foundation", "International", "Fund", "Alliance", "Network", "Initiative", "Trust", "Aid", "Relief"]
INTERNATIONAL = ["Văn phòng {agency} tại Việt Nam", "Dự án {agency} khu vực Bắc Trung Bộ"]
AGENCIES = ["UNDP", "UNICEF", "UNFPA", "UN Women", "FAO", "WHO", "IOM", "ILO", "UNESCO", "IFAD", "WFP"]
EMBASSIES = ["Đại sứ quán {country} tại Việt Nam", "Tổng Lãnh sự quán {country} tại Thành phố Hồ Chí Minh"]
EMBASSIES += ["Tổng Lãnh sự quán {country} tại Đà Nẵng", "Văn phòng Thương mại {country} tại Hà Nội"]
DONOR_COUNTRIES = ["US", "US", "GB", "DE", "FR", "JP", "KR", "AU", "NO", "DK", "NL", "SE", "CH", "CA", "BE"]
# Which association looks after the partners of a country.
ASSOCIATION_OF = {"LA": "laos", "RU": "russia", "TH": "thailand", "CZ": "czech_slovakia", "SK": "czech_slovakia"}
ASSOCIATION_OF |= {"PL": "poland"}

BRANCH_OF = ["Chi hội {place}", "Chi hội {organization}", "Chi hội {organization} – {place}"]
PLAN_TASKS = [task for task, _target in demo.PLAN_TASKS]
PLAN_TASKS += ["Tuyên truyền về quan hệ hữu nghị truyền thống", "Phối hợp đón, làm việc với các đoàn vào"]
PLAN_TASKS += ["Kiện toàn Ban Chấp hành và các chi hội", "Hỗ trợ lưu học sinh Lào học tập tại tỉnh"]
PLAN_TASKS += ["Tổ chức gặp mặt hội viên nhân dịp Tết", "Tham gia các hoạt động đối ngoại của tỉnh"]
PLAN_TASKS += ["Xây dựng quỹ hội", "Giao lưu văn hóa, thể thao với đối tác", "Khen thưởng hội viên tiêu biểu"]
TARGETS = ["Ít nhất 2 hoạt động", "Kết nạp 10 hội viên mới", "1 dự án mới", "Đúng thời hạn", "100% chi hội"]
TARGETS += ["Ít nhất 4 số bản tin", "3 đoàn", "50 suất quà", "Ít nhất 1 hội nghị"]
ACTIVITY_TITLES = {
    Activity.Kind.ANNIVERSARY: ["Kỷ niệm Ngày thành lập {association}", "Mít tinh kỷ niệm quan hệ hữu nghị"],
    Activity.Kind.NEW_YEAR_GREETINGS: ["Gặp mặt hội viên đầu xuân", "Thăm, chúc Tết đối tác {country}"],
    Activity.Kind.EXCHANGE: ["Giao lưu văn hóa, thể thao tại {place}", "Giao lưu với lưu học sinh tại {place}"],
    Activity.Kind.TRAINING: ["Tập huấn công tác đối ngoại nhân dân tại {place}", "Bồi dưỡng nghiệp vụ cho chi hội"],
    Activity.Kind.MEETING: ["Hội nghị sơ kết 6 tháng", "Hội nghị Ban Chấp hành mở rộng", "Tọa đàm hữu nghị"],
    Activity.Kind.CHARITY: ["Trao quà cho học sinh nghèo vượt khó tại {place}", "Thăm, tặng quà gia đình chính sách"],
    Activity.Kind.OTHER: ["Triển lãm ảnh về quan hệ hữu nghị", "Tham gia Ngày hội văn hóa các dân tộc"],
}
ACTIVITY_KINDS = list(ACTIVITY_TITLES)
ACTIVITY_WEIGHTS = [4, 2, 3, 1, 2, 2, 1]


# ---------------------------------------------------------------------------------------------------------
# Helpers the other apps' load modules use too
# ---------------------------------------------------------------------------------------------------------


def vietnamese_name(rng: random.Random) -> tuple[str, str]:
    """A Vietnamese full name and its gender ("male" or "female")."""
    if rng.random() < 0.5:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}", "male"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}", "female"


def lao_name(rng: random.Random) -> tuple[str, str]:
    """A Lao full name in Latin letters, given name first, and its gender."""
    if rng.random() < 0.5:
        return f"{rng.choice(LAO_GIVEN_MALE)} {rng.choice(LAO_FAMILY)}", "male"
    return f"{rng.choice(LAO_GIVEN_FEMALE)} {rng.choice(LAO_FAMILY)}", "female"


def foreign_name(rng: random.Random, country: str) -> str:
    """A person's name as it is written in `country` (a Lao name for Laos, a Vietnamese one for Việt Nam)."""
    if country == "LA":
        return lao_name(rng)[0]
    if country == "VN":
        return vietnamese_name(rng)[0]
    male, female, families = FOREIGN_NAMES.get(country, FOREIGN_NAMES[""])
    is_male = rng.random() < 0.55
    given = rng.choice(male if is_male else female)
    family = rng.choice(families)[0 if is_male else 1]
    return f"{family} {given}" if country in FAMILY_NAME_FIRST else f"{given} {family}"


def ascii_slug(text: str) -> str:
    """`Nguyễn Thị Hằng` → `nguyenthihang`, for made-up e-mail addresses."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in plain.lower() if char.isascii() and char.isalnum())


def phone(rng: random.Random, country: str = "VN") -> str:
    if country == "VN":
        return f"0{rng.choice('35789')}{rng.randint(10_000_000, 99_999_999)}"
    if country == "LA":
        return f"+856 20 {rng.randint(5000, 9999)} {rng.randint(1000, 9999)}"
    return f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(100_000, 999_999)}"


def lao_place(province: LaoProvince) -> str:
    """`tỉnh Khăm Muộn`, `thủ đô Viêng Chăn`: how a Lao province reads inside a name."""
    name = province.name_vi
    if name.startswith(("Thủ đô", "Tỉnh")):
        return name[0].lower() + name[1:]
    return f"tỉnh {name}"


def city(rng: random.Random, country: str) -> str:
    return rng.choice(CITIES.get(country, CITIES_DEFAULT))


def unique_name(rng: random.Random, taken: set, make) -> str:
    """A name `make()` draws that is not in `taken` (a few tries, then the last one numbered), added to it."""
    name = ""
    for _try in range(12):
        name = make()
        if name not in taken:
            break
    else:
        base, number = name, 2
        while f"{base} ({number})" in taken:
            number += 1
        name = f"{base} ({number})"
    taken.add(name)
    return name


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def write(model, rows: list, batch_size: int = BATCH) -> list:
    """Write the rows in batches of `batch_size`; their primary keys are set afterwards.

    With DEBUG on, Django keeps the text of every query it ran: a batch's INSERT is a megabyte, so the log
    is emptied after each write (a large load would otherwise hold gigabytes of it)."""
    written = model.objects.bulk_create(rows, batch_size=batch_size)
    reset_queries()
    return written


# ---------------------------------------------------------------------------------------------------------
# The checks generate_load makes before it writes
# ---------------------------------------------------------------------------------------------------------

DEMO_ACCOUNTS = tuple(row[0] for row in demo.ACCOUNTS)


def foreign_rows() -> list[str]:
    """What in this app's part of the database neither seed_demo nor generate_load wrote: accounts other
    than the demo's (ACCOUNTS in demo.py)."""
    others = get_user_model().objects.exclude(username__in=DEMO_ACCOUNTS)
    count = others.count()
    if not count:
        return []
    example = others.order_by("pk").values_list("username", flat=True).first()
    return [f"{count} account(s) other than the demo's (for example “{example}”)"]


# ---------------------------------------------------------------------------------------------------------
# The load
# ---------------------------------------------------------------------------------------------------------


def generate(*, scale: int, rng: random.Random, today: datetime.date, tag: str, stdout=None) -> list[str]:
    associations = list(Association.objects.order_by("display_order", "pk"))
    if not associations:
        return ["no association to load (the migrations make them)"]
    provinces = list(LaoProvince.objects.order_by("iso_code"))
    new_branches, branches = _branches(rng, associations, scale, today)
    members = _members(rng, associations, branches, scale, today)
    positions = _positions(rng, associations, members, scale, today)
    plans, tasks = _plans(rng, associations, scale, today)
    partners = _partners(rng, associations, provinces, scale, today)
    contacts = _contacts(rng, partners, scale)
    activities = _activities(rng, associations, scale, today)
    return [
        f"{new_branches} branches, {len(members)} members, {positions} leadership positions",
        f"{plans} yearly plans (one per association and year), {tasks} focus tasks, {activities} activities",
        f"{len(partners)} partners, {contacts} contact persons",
    ]


def _founded(association: Association) -> datetime.date:
    return association.founded_on or datetime.date(2005, 1, 1)


def _per_unit(association: Association, index: int, default: int) -> int:
    details = demo.ASSOCIATION_DETAILS.get(association.code)
    return details[index] if details else default


def _branches(rng, associations, scale, today) -> tuple[int, dict[int, list[Branch]]]:
    """How many branches were made, and every branch of each association (old and new, for the members)."""
    taken = {(association_id, name) for association_id, name in Branch.objects.values_list("association_id", "name")}
    rows, everything = [], {}
    for association in associations:
        names = {name for association_id, name in taken if association_id == association.pk}
        founded = _founded(association)
        for _index in range(_per_unit(association, 2, 4) * scale):

            def make():
                template = rng.choice(BRANCH_OF)
                place = rng.choice(HA_TINH_PLACES).removeprefix("Xã ").removeprefix("Phường ")
                return template.format(place=place, organization=rng.choice(ORGANIZATIONS))

            started = day_between(rng, founded, today)
            dissolved = rng.random() < 0.05 and started < today
            rows.append(
                Branch(
                    association=association,
                    name=unique_name(rng, names, make),
                    location=rng.choice(HA_TINH_PLACES),
                    founded_on=started,
                    dissolved_on=day_between(rng, started, today) if dissolved else None,
                    head_name=vietnamese_name(rng)[0],
                    phone=phone(rng),
                )
            )
    write(Branch, rows)
    for branch in Branch.objects.order_by("pk").only("pk", "association_id"):
        everything.setdefault(branch.association_id, []).append(branch)
    return len(rows), everything


def _members(rng, associations, branches, scale, today) -> list[Member]:
    rows, ranks = [], association_ranks()  # bulk_create calls no save()
    Status = Member.Status
    for association in associations:
        founded = _founded(association)
        own = branches.get(association.pk, [])
        for _index in range(_per_unit(association, 1, 40) * scale):
            collective = rng.random() < 0.03
            name, gender = vietnamese_name(rng)
            joined = day_between(rng, founded, today)
            status = rng.choices([Status.ACTIVE, Status.LEFT, Status.SUSPENDED, Status.DECEASED], [88, 7, 2, 3])[0]
            if collective and status == Status.DECEASED:
                status = Status.LEFT
            email = f"{ascii_slug(name)}{rng.randint(1, 999)}@thu.example" if rng.random() < 0.3 else ""
            rows.append(
                Member(
                    association=association,
                    association_rank=ranks.get(association.pk, 0),
                    branch=rng.choice(own) if own and rng.random() < 0.9 else None,
                    kind=Member.Kind.COLLECTIVE if collective else Member.Kind.INDIVIDUAL,
                    full_name=rng.choice(ORGANIZATIONS) if collective else name,
                    gender="" if collective else gender,
                    birth_year=None if collective else rng.randint(max(1940, today.year - 85), today.year - 20),
                    position="" if collective else rng.choice(POSITIONS),
                    workplace="" if collective else rng.choice(ORGANIZATIONS),
                    representative=name if collective else "",
                    headcount=rng.randint(10, 400) if collective else None,
                    phone=phone(rng),
                    email=email,
                    address=rng.choice(HA_TINH_PLACES) + ", tỉnh Hà Tĩnh",
                    joined_on=joined,
                    status=status,
                    status_changed_on=None if status == Status.ACTIVE else day_between(rng, joined, today),
                )
            )
    return write(Member, rows)


def _positions(rng, associations, members, scale, today) -> int:
    """Seats of the leadership over the terms since each association began, five years a term."""
    Role = LeadershipPosition.Role
    by_association = {}
    for member in members:
        if member.kind == Member.Kind.INDIVIDUAL:
            by_association.setdefault(member.association_id, []).append(member)
    rows = []
    for association in associations:
        first = _founded(association).year + 1
        terms = list(range(first, today.year + 1, 5)) or [today.year]
        seats = dict.fromkeys(terms, 0)
        people = by_association.get(association.pk, [])
        for index in range(POSITIONS_PER_ASSOCIATION * scale):
            term = terms[index % len(terms)]
            seat = seats[term]
            seats[term] += 1
            current = term + 5 > today.year  # the demo holds the current term's chair, vice-chair and secretary
            roles = [Role.CHAIR, Role.VICE_CHAIR, Role.VICE_CHAIR, Role.SECRETARY_GENERAL]
            if current:
                role = Role.STANDING_MEMBER if seat < 8 else Role.EXECUTIVE_MEMBER
            elif seat < len(roles):
                role = roles[seat]
            else:
                role = Role.STANDING_MEMBER if seat < 12 else Role.EXECUTIVE_MEMBER
            member = rng.choice(people) if people and rng.random() < 0.4 else None
            concurrent = rng.random() < 0.85
            rows.append(
                LeadershipPosition(
                    association=association,
                    person_name=member.full_name if member else vietnamese_name(rng)[0],
                    member=member,
                    role=role,
                    term_label=f"{term}–{term + 5}",
                    term_start=datetime.date(term, 6, 15),
                    term_end=datetime.date(term + 5, 6, 15),
                    is_concurrent=concurrent,
                    main_job=rng.choice(MAIN_JOBS) if concurrent or rng.random() < 0.5 else "",
                    phone=phone(rng),
                )
            )
    write(LeadershipPosition, rows)
    return len(rows)


def _plans(rng, associations, scale, today) -> tuple[int, int]:
    taken = set(WorkPlan.objects.values_list("association_id", "year"))
    plans, tasks = [], []
    for association in associations:
        free = [
            year
            for year in range(today.year, max(1990, _founded(association).year) - 1, -1)
            if (association.pk, year) not in taken
        ]
        new = [
            WorkPlan(
                association=association,
                year=year,
                title=f"Kế hoạch công tác năm {year} của {association.name}",
                adopted_on=datetime.date(year, 1, rng.randint(5, 28)),
                summary="Tiếp tục củng cố tổ chức hội, mở rộng quan hệ hữu nghị với đối tác.",
            )
            for year in free[: PLANS_PER_ASSOCIATION * scale]
        ]
        plans += write(WorkPlan, new)
        # The focus tasks go to the new plans, or to those the association had when every year is taken.
        owners = new or list(WorkPlan.objects.filter(association=association).order_by("year"))
        if not owners:
            continue
        positions = {plan.pk: 100 for plan in owners}  # after the demo's few
        for index in range(TASKS_PER_ASSOCIATION * scale):
            plan = owners[index % len(owners)]
            positions[plan.pk] += 1
            if plan.year < today.year:
                status = rng.choices([WorkPlanItem.Status.DONE, WorkPlanItem.Status.NOT_DONE], [85, 15])[0]
            elif plan.year == today.year:
                status = rng.choice(list(WorkPlanItem.Status))
            else:
                status = WorkPlanItem.Status.PLANNED
            tasks.append(
                WorkPlanItem(
                    plan=plan,
                    position=positions[plan.pk],
                    title=rng.choice(PLAN_TASKS),
                    target=rng.choice(TARGETS),
                    due_on=datetime.date(plan.year, rng.randint(3, 12), 15),
                    status=status,
                    outcome="Hoàn thành theo kế hoạch." if status == WorkPlanItem.Status.DONE else "",
                )
            )
    write(WorkPlanItem, tasks)
    return len(plans), len(tasks)


def _partners(rng, associations, provinces, scale, today) -> list[Partner]:
    by_code = {association.code: association for association in associations}
    taken = {(name, str(country)) for name, country in Partner.objects.values_list("name", "country")}
    taken |= {(row[0], row[3]) for row in demo.PARTNERS}  # seed_demo finds its partners by name, even later
    names: dict[str, set] = {}
    for name, country in taken:
        names.setdefault(country, set()).add(name)
    city_countries = sorted(code for code in ASSOCIATION_OF if code != "LA")
    rows = []
    for _index in range(PARTNERS * scale):
        draw = rng.random()
        province = None
        if draw < 0.32:  # Laos: provinces, districts and their bodies
            country = "LA"
            province = rng.choice(provinces) if provinces else None
            kind = rng.choice([Partner.Kind.FOREIGN_LOCALITY, Partner.Kind.FRIENDSHIP_ORGANIZATION])

            def make(province=province):
                place = lao_place(province) if province else "Lào"
                return rng.choice(LAO_PARTNERS).format(place=place, district=rng.choice(LAO_DISTRICTS))

        elif draw < 0.55:  # the other associations' countries
            country = rng.choice(city_countries)
            kind = rng.choice([Partner.Kind.FOREIGN_LOCALITY, Partner.Kind.FRIENDSHIP_ORGANIZATION])

            def make(country=country):
                return rng.choice(CITY_PARTNERS).format(country=COUNTRY_NAMES[country], city=city(rng, country))

        elif draw < 0.9:  # donors of aid
            country = rng.choice(DONOR_COUNTRIES)
            kind = rng.choices(
                [
                    Partner.Kind.FOREIGN_NGO,
                    Partner.Kind.OVERSEAS_VIETNAMESE,
                    Partner.Kind.INDIVIDUAL,
                    Partner.Kind.INTERNATIONAL_ORGANIZATION,
                ],
                [60, 15, 15, 10],
            )[0]

            def make(country=country, kind=kind):
                return _donor_name(rng, kind, country)

        else:  # embassies and consulates
            country = rng.choice(["LA", "RU", "TH", "CZ", "SK", "PL", *DONOR_COUNTRIES])
            kind = Partner.Kind.EMBASSY

            def make(country=country):
                return rng.choice(EMBASSIES).format(country=COUNTRY_NAMES.get(country, country))

        name = unique_name(rng, names.setdefault(country, set()), make)
        code = ASSOCIATION_OF.get(country)
        association = by_code.get(code) if code and rng.random() < 0.85 else None
        slug = ascii_slug(name)[:40] or "partner"
        rows.append(
            Partner(
                name=name,
                name_local=_donor_local(name) if kind == Partner.Kind.FOREIGN_NGO else "",
                kind=kind,
                country=country,
                lao_province=province if country == "LA" else None,
                association=association,
                address=city(rng, country) if country != "LA" else (province.name_vi if province else ""),
                website=f"https://{slug}.example" if rng.random() < 0.4 else "",
                email=f"contact@{slug}.example" if rng.random() < 0.5 else "",
                phone=phone(rng, country),
                since=day_between(rng, datetime.date(1995, 1, 1), today),
                is_active=rng.random() < 0.92,
            )
        )
    return write(Partner, rows)


def _donor_name(rng, kind, country) -> str:
    if kind == Partner.Kind.FOREIGN_NGO:
        return f"Tổ chức {rng.choice(NGO_FIRST)} {rng.choice(NGO_SECOND)}"
    if kind == Partner.Kind.OVERSEAS_VIETNAMESE:
        return rng.choice(OVERSEAS).format(city=city(rng, country))
    if kind == Partner.Kind.INDIVIDUAL:
        if rng.random() < 0.5:
            name, gender = vietnamese_name(rng)
            title = "Ông" if gender == "male" else "Bà"
            return f"{title} {name} (Việt kiều {COUNTRY_NAMES.get(country, country)})"
        return f"{rng.choice(['Ông', 'Bà'])} {foreign_name(rng, country)}"
    return rng.choice(INTERNATIONAL).format(agency=rng.choice(AGENCIES))


def _donor_local(name: str) -> str:
    return name.removeprefix("Tổ chức ")


def _contacts(rng, partners, scale) -> int:
    if not partners:
        return 0
    rows = []
    for _index in range(CONTACTS * scale):
        partner = rng.choice(partners)
        country = str(partner.country)
        rows.append(
            PartnerContact(
                partner=partner,
                full_name=foreign_name(rng, country),
                position=rng.choice(["Trưởng ban Đối ngoại", "Chánh Văn phòng", "Điều phối viên", "Giám đốc"]),
                phone=phone(rng, country),
                email=f"{ascii_slug(partner.name)[:20]}{rng.randint(1, 99)}@partner.example",
            )
        )
    write(PartnerContact, rows)
    return len(rows)


def _activities(rng, associations, scale, today) -> int:
    tasks: dict[tuple[int, int], list[int]] = {}
    for task_id, association_id, year in WorkPlanItem.objects.values_list("pk", "plan__association_id", "plan__year"):
        tasks.setdefault((association_id, year), []).append(task_id)
    partners: dict[int, list[int]] = {}
    for partner_id, association_id in Partner.objects.filter(association__isnull=False).values_list(
        "pk", "association_id"
    ):
        partners.setdefault(association_id, []).append(partner_id)
    # The associations share the activities as in the demo (the Lao association holds the most).
    weights = [len(demo.ACTIVITIES.get(association.code, [1, 1])) for association in associations]
    rows = []
    for _index in range(ACTIVITIES * scale):
        association = rng.choices(associations, weights)[0]
        held_on = day_between(rng, max(_founded(association), today - datetime.timedelta(days=365 * 15)), today)
        kind = rng.choices(ACTIVITY_KINDS, ACTIVITY_WEIGHTS)[0]
        countries = [country.code for country in association.countries] or ["LA"]
        title = rng.choice(ACTIVITY_TITLES[kind]).format(
            association=association.short_name,
            country=COUNTRY_NAMES.get(countries[0], ""),
            place=rng.choice(HA_TINH_PLACES),
        )
        year_tasks = tasks.get((association.pk, held_on.year))
        own_partners = partners.get(association.pk)
        rows.append(
            Activity(
                association=association,
                kind=kind,
                title=f"{title} năm {held_on.year}",
                held_on=held_on,
                location=rng.choice(HA_TINH_PLACES),
                participants=rng.randint(20, 400),
                partner_id=rng.choice(own_partners) if own_partners and rng.random() < 0.3 else None,
                plan_item_id=rng.choice(year_tasks) if year_tasks and rng.random() < 0.5 else None,
            )
        )
    write(Activity, rows)
    return len(rows)
