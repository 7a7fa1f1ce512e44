"""One spelling of each Lao province everywhere: the Vietnamese name of the reference data (loaded from
associations/data/lao_provinces.csv, the domain's list), on the student list, the dashboard, the
province's own page and the union review document; a column of Lao provinces is headed "Tỉnh (Lào)"."""

import csv
import datetime
import io
import re
import unicodedata
from pathlib import Path

import docx
import lxml.html
import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from associations.models import LaoProvince
from friendship_portal.overview.summaries import CLOSEST_LAO_PARTNERS, review_document
from tests.scholarships.factories import EnrollmentFactory, StudentFactory, province

REFERENCE = Path(settings.BASE_DIR) / "associations" / "data" / "lao_provinces.csv"


@pytest.fixture
def clock_day():
    return datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def vietnamese(clock):
    cache.clear()  # the dashboard keeps its figures in the cache
    with translation.override("vi"):
        yield
    cache.clear()


def fold(text: str) -> str:
    """Lower case without accents, one character for one ("Savẳnnakhẹt" → "savannakhet"), so that a
    match in the folded text is the same stretch of the original."""
    return "".join(unicodedata.normalize("NFD", char)[0] for char in text.lower().replace("đ", "d"))


def spellings(text: str, name: str) -> set[str]:
    """Every way `name` is written in `text`, accents and all."""
    folded = fold(text)
    return {text[match.start() : match.end()] for match in re.finditer(rf"\b{re.escape(fold(name))}\b", folded)}


def page_text(response) -> str:
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode()).text_content()


def review_text() -> str:
    document = docx.Document(io.BytesIO(review_document(2026, "first_half")))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_reference_data_is_the_domain_list(db):
    with open(REFERENCE, encoding="utf-8") as handle:
        expected = {row["iso_code"]: row["name_vi"] for row in csv.DictReader(handle)}
    assert len(expected) == 18
    assert dict(LaoProvince.objects.values_list("iso_code", "name_vi")) == expected
    assert expected["LA-SV"] == "Savannakhet"
    assert expected["LA-BL"] == "Bôlykhămxay"


def test_each_province_is_written_one_way_on_pages_and_in_the_review(cast, login):
    savannakhet = province("LA-SV")
    EnrollmentFactory(student=StudentFactory(full_name="Vilayvanh Phommachanh", lao_province=savannakhet))
    client = login(cast.staff)

    list_page = page_text(client.get(reverse("scholarships:student_list")))
    dashboard = page_text(client.get(reverse("dashboard")))
    place_page = page_text(client.get(reverse("dashboard_lao_province", args=[savannakhet.pk])))
    review = review_text()

    for where, text in {
        "the student list": list_page,
        "the dashboard": dashboard,
        "the province's page": place_page,
        "the union review": review,
    }.items():
        assert spellings(text, savannakhet.name_vi) == {"Savannakhet"}, where
    partners = LaoProvince.objects.filter(iso_code__in=CLOSEST_LAO_PARTNERS)
    for partner in partners:  # Bôlykhămxay, Khăm Muộn, Savannakhet, Thủ đô Viêng Chăn
        assert spellings(review, partner.name_vi) == {partner.name_vi}
    assert "các tỉnh Bôlykhămxay, Khăm Muộn, Savannakhet và Thủ đô Viêng Chăn." in review
    # The filter of the student list offers every province, each as the reference data writes it.
    for reference in LaoProvince.objects.all():
        assert spellings(list_page, reference.name_vi) <= {reference.name_vi}


def test_a_column_of_lao_provinces_is_headed_tinh_lao(cast, login):
    EnrollmentFactory(student=StudentFactory(lao_province=province("LA-SV")))
    client = login(cast.staff)

    student_list = lxml.html.fromstring(client.get(reverse("scholarships:student_list")).content.decode())
    headers = [header.text_content().strip() for header in student_list.xpath("//table//thead//th")]
    assert "Tỉnh (Lào)" in headers
    dashboard = lxml.html.fromstring(client.get(reverse("dashboard")).content.decode())
    (table,) = dashboard.xpath('//*[@data-testid="table-provinces"]')
    assert table.xpath(".//thead//th")[0].text_content().strip() == "Tỉnh (Lào)"
