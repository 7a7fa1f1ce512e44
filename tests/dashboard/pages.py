"""Reading the dashboard's pages as a user does: the figures they write and the lists they link to."""

from lxml import html

FIGURE_VALUE = './/*[contains(concat(" ", normalize-space(@class), " "), " dash-value ")]'


def document(response):
    return html.fromstring(response.content.decode())


def by_testid(response, testid: str):
    found = document(response).xpath(f'//*[@data-testid="{testid}"]')
    assert found, f"nothing on {response.wsgi_request.get_full_path()} has data-testid={testid!r}"
    return found[0]


def figure_text(element) -> str:
    """The figure as written: the big number of a tile, else the element's own text."""
    values = element.xpath(FIGURE_VALUE)
    return (values[0] if values else element).text_content().strip()


def shown(response, testid: str) -> str:
    return figure_text(by_testid(response, testid))


def figure_links(response) -> dict[str, tuple[str, str]]:
    """Every figure that links to a list: {data-testid: (address, the figure as written)}."""
    return {
        link.get("data-testid"): (link.get("href"), figure_text(link))
        for link in document(response).xpath('//a[starts-with(@data-testid, "fig-")]')
    }


def as_number(text: str) -> int:
    """ "1.234" → 1234; "381.000.000 đ" → 381000000."""
    digits = "".join(character for character in text if character.isdigit())
    assert digits, f"{text!r} is not a figure"
    return int(digits)
