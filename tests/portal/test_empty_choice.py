"""A select's empty choice reads "— Chọn —", not Django's untranslated "---------"."""

from django.utils import translation

from associations.forms import MemberForm


def test_a_forms_empty_choices_are_named(cast):
    with translation.override("vi"):
        form = MemberForm(user=cast.staff)
        branch, gender = str(form["branch"]), str(form["gender"])  # a record to choose, a choice list

    assert "— Chọn —" in branch and "— Chọn —" in gender
    assert "---------" not in branch + gender


def test_a_required_choice_without_an_empty_one_keeps_its_choices(cast):
    form = MemberForm(user=cast.staff)

    assert "" not in [value for value, _label in form.fields["kind"].choices]
