from django.template import Context, Template


def test_vnd_filter_writes_dots_between_thousands():
    rendered = Template("{% load portal %}{{ amount|vnd }} / {{ count|number }}").render(
        Context({"amount": 6_500_000_000, "count": 3069})
    )
    assert rendered == "6.500.000.000 đ / 3.069"


def test_vnd_filter_leaves_nothing_for_no_amount():
    assert Template("{% load portal %}[{{ amount|vnd }}]").render(Context({"amount": None})) == "[]"


def test_person_filter_puts_the_family_name_first(django_user_model):
    user = django_user_model(username="huong", first_name="Hương", last_name="Nguyễn Thị")
    nameless = django_user_model(username="ketoan")
    rendered = Template("{% load portal %}{{ a|person }} / {{ b|person }}").render(Context({"a": user, "b": nameless}))
    assert rendered == "Nguyễn Thị Hương / ketoan"
