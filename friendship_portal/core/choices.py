"""Choices too many to write into a page: a select names a source, the page carries only the chosen
options, and the browser asks `/choices/<source>/?q=…` for the rest as the user types.

An app registers its sources (`register(ChoiceSource(...))`) in its `choices.py`, imported by its
`ready()`. A source says which records a user may choose (the same queryset the form validates
against) and which fields a search looks in; the endpoint answers in pages of `PAGE_SIZE`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

PAGE_SIZE = 20
LONGEST_SEARCH = 100
BIGGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class ChoiceSource:
    key: str
    # The records `user` may choose, as the form that uses the source offers them.
    queryset: Callable[[object], QuerySet]
    search_fields: tuple[str, ...]
    permission: str
    label: Callable[[object], str] = str
    ordering: tuple[str, ...] = field(default=())


SOURCES: dict[str, ChoiceSource] = {}


def register(source: ChoiceSource) -> ChoiceSource:
    SOURCES[source.key] = source
    return source


def choices_url(key: str) -> str:
    return reverse("choices", kwargs={"key": key})


def search(source: ChoiceSource, user, text: str, page: int) -> tuple[list[dict], bool]:
    """One page of the choices whose searched fields contain `text`, and whether more follow."""
    queryset = source.queryset(user)
    text = text.strip()[:LONGEST_SEARCH]
    if text:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": text}) for name in source.search_fields)))
    if source.ordering:
        queryset = queryset.order_by(*source.ordering)
    start = (page - 1) * PAGE_SIZE
    records = list(queryset[start : start + PAGE_SIZE + 1])
    results = [{"value": str(record.pk), "text": source.label(record)} for record in records[:PAGE_SIZE]]
    return results, len(records) > PAGE_SIZE


@require_GET
def choices_view(request, key: str):
    source = SOURCES.get(key)
    if source is None:
        raise Http404(_("No such list of choices."))
    if not request.user.has_perm(source.permission):
        raise PermissionDenied(_("Your role gives no access to these records."))
    page = request.GET.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and 0 < int(page) <= 10_000 else 1
    results, more = search(source, request.user, request.GET.get("q", ""), page)
    return JsonResponse({"results": results, "more": more})


def _chosen_ids(values) -> list[int]:
    """The ids among the submitted values; a value that is no id chooses nothing (the field says why)."""
    texts = [str(value) for value in values]
    return [int(text) for text in texts if text.isascii() and text.isdigit() and int(text) <= BIGGEST_ID]


class RemoteChoicesMixin:
    """A select of a model choice field that writes only the chosen options into the page."""

    def __init__(self, source: str, attrs=None):
        super().__init__(attrs)
        self.source = source

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-remote"] = choices_url(self.source)
        context["widget"]["attrs"]["data-placeholder"] = str(_("Type to search…"))
        return context

    def optgroups(self, name, value, attrs=None):
        iterator = self.choices
        chosen = _chosen_ids(value)
        records = list(iterator.queryset.filter(pk__in=chosen)) if chosen else []
        options = []
        if not self.allow_multiple_selected:
            empty_label = getattr(getattr(iterator, "field", None), "empty_label", None) or ""
            options.append(self.create_option(name, "", empty_label, not records, 0, attrs=attrs))
        for record in records:
            option_value, label = iterator.choice(record)
            options.append(self.create_option(name, option_value, label, True, len(options), attrs=attrs))
        return [(None, options, 0)]


class RemoteSelect(RemoteChoicesMixin, forms.Select):
    pass


class RemoteSelectMultiple(RemoteChoicesMixin, forms.SelectMultiple):
    pass
