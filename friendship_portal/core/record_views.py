"""Generic pages for a kind of record: list (filter, search, paginate, export), detail with its
history, create/edit forms (with inline rows) and delete with confirmation.

An app describes a kind of record once with a `RecordPages` and gets its five views and URLs;
every view asks the same permissions as the services (`<app>.view_<model>` …).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, FieldError, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from friendship_portal.core.display import column_label, column_reader, column_text, format_number
from friendship_portal.core.excel import DATE, DATETIME, NUMBER, PLAIN, TEXT, Column, build_workbook, stream_workbook
from friendship_portal.core.records import (
    StaleEdit,
    history_entries,
    permission_name,
    record_delete,
    record_save,
    record_version,
    record_version_check,
    require_permission,
)
from friendship_portal.core.reports import ReportKind, report_request
from friendship_portal.core.reports import register as register_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Inline:
    """Rows edited on the parent's form (a plan's focus tasks, a partner's contacts)."""

    formset_class: Any
    title: str
    columns: list[str]
    related_name: str
    history: Callable[[models.Model], models.QuerySet]


# Every list of record pages, by its URL name, for the export jobs.
LISTS: dict[str, "RecordPages"] = {}
LIST_EXPORT = "portal.list_export"


@dataclass
class RecordPages:
    model: type[models.Model]
    url_name: str  # "member" → member_list, member_detail, member_create, member_update, member_delete
    url_path: str  # "members"
    namespace: str
    form_class: Any
    filterset_class: Any
    scope: Callable  # scope(user, queryset) → what the user may see
    list_columns: list[str]
    detail_fields: list[str]
    search_fields: list[str] = field(default_factory=list)
    select_related: list[str] = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    inlines: list[Inline] = field(default_factory=list)
    annotate: dict = field(default_factory=dict)
    can_create: bool = True
    can_delete: bool = True
    plain_number_columns: tuple = ("year", "birth_year")
    # Values a new record starts with (e.g. a delegation's direction), and the service that saves.
    new_values: dict = field(default_factory=dict)
    save: Callable = record_save
    # More for the list page: a template of its own, and figures it shows above the rows.
    list_template: str = "records/list.html"
    list_context: Callable | None = None
    # The columns that link to the record (by name); the first one when none are named.
    linked_columns: tuple = ()
    # Columns worked out from the record rather than read from a field: name → function(record).
    computed: dict = field(default_factory=dict)
    # Another page that shows one record, when the app has its own ("delegations:detail").
    detail_url_name: str = ""
    # What one record of these pages is called when the model's name is too wide ("outbound delegation").
    record_name: str = ""
    # A row that calls for action stands out in the list: record → a short reason ("" when none).
    needs_attention: Callable | None = None
    # The columns a phone (under 768 px) shows, so they fit without scrolling sideways; all when empty.
    phone_columns: tuple = ()
    # How many records the list holds when nothing narrows it (no filter, no search), from a kept figure:
    # user → count, instead of counting a large table for every page.
    count_in_all: Callable | None = None
    # A search of their own (queryset, text → the matching records in the list's order) instead of
    # `icontains` on each of `search_fields`, and how many records in all match a text when nothing else
    # narrows the list: text → count.
    search: Callable | None = None
    count_searched: Callable | None = None

    def __post_init__(self):
        LISTS[self.list_key] = self  # a long export is run by a job, which finds the list here

    @property
    def verbose_name(self) -> str:
        return str(self.record_name or self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def url(self, action: str, **kwargs) -> str:
        if action == "detail" and self.detail_url_name:
            return reverse(self.detail_url_name, kwargs=kwargs)
        return reverse(f"{self.namespace}:{self.url_name}_{action}", kwargs=kwargs or None)

    def cell_text(self, record, name: str) -> str:
        return str(self.computed[name](record)) if name in self.computed else column_text(record, name)

    def row_reader(self) -> Callable:
        """`record → the listed columns' values as a workbook holds them` (dates and numbers as such,
        choices by their label, yes/no in words), each column's reading worked out once: an export
        calls it for every row."""
        yes, no = _("Yes"), _("No")

        def reader(name: str) -> Callable:
            if name in self.computed:
                compute = self.computed[name]
                return lambda record: str(compute(record))
            read = column_reader(self.model, name)

            def value(record):
                found = read(record)
                return (yes if found else no) if isinstance(found, bool) else found

            return value

        readers = [reader(name) for name in self.list_columns]
        return lambda record: [read(record) for read in readers]

    def base_queryset(self):
        queryset = self.model._default_manager.select_related(*self.select_related)
        if self.annotate:
            queryset = queryset.annotate(**self.annotate)
        return queryset

    @property
    def list_key(self) -> str:
        return f"{self.namespace}:{self.url_name}_list"

    def urls(self) -> list:
        views = {"list": ("", RecordListView), "update": ("<int:pk>/edit/", RecordUpdateView)}
        if not self.detail_url_name:
            views["detail"] = ("<int:pk>/", RecordDetailView)
        if self.can_create:
            views["create"] = ("new/", RecordCreateView)
        if self.can_delete:
            views["delete"] = ("<int:pk>/delete/", RecordDeleteView)
        prefix = f"{self.url_path}/" if self.url_path else ""
        return [
            path(f"{prefix}{suffix}", view.as_view(pages=self), name=f"{self.url_name}_{action}")
            for action, (suffix, view) in views.items()
        ]


def export_file_name(pages: RecordPages) -> str:
    return f"{slugify(pages.url_path or pages.url_name)}-{timezone.localdate():%Y%m%d}.xlsx"


def _build_list_export(job, progress) -> tuple[str, bytes]:
    """The job of a long export: the list as its requester sees it with the same filters, every row,
    written in streaming mode."""
    pages = LISTS[job.params["list"]]
    request = HttpRequest()
    request.GET = QueryDict(job.params.get("query", ""))
    request.user = job.requested_by
    view = RecordListView(pages=pages)
    view.setup(request)  # the requester's rights and scope, as on the list page
    _filterset, _search, queryset = view.filtered(request)
    total = job.params.get("rows") or 0
    content = stream_workbook(
        title=pages.verbose_name_plural,
        heading=export_heading(pages),
        headers=export_columns(pages, queryset),
        rows=map(pages.row_reader(), queryset.iterator(chunk_size=2000)),
        progress=progress,
        total=total,
    )
    return export_file_name(pages), content


def export_heading(pages: RecordPages) -> str:
    return _("List of %(records)s") % {"records": pages.verbose_name_plural}


# The most characters a number of a kind of field shows: counts stay under ten million, amounts
# under a million billion đồng (a wider column would waste the page for a value that never comes).
INTEGER_DIGITS = {"SmallIntegerField": 5, "PositiveSmallIntegerField": 5}
COUNT_DIGITS, AMOUNT_DIGITS = 7, 15


def _grouped_length(digits: int) -> int:
    return digits + (digits - 1) // 3


def _kind_and_width(model_field) -> tuple[str, int]:
    """What an export's column holds and how many characters its longest value takes, from its field."""
    if model_field is None or model_field.is_relation:
        return TEXT, 0
    if isinstance(model_field, models.BooleanField):
        return TEXT, 5
    if getattr(model_field, "multiple", False):  # several countries in one cell
        return TEXT, 0
    if model_field.choices:
        return TEXT, max((len(str(label)) for _value, label in model_field.flatchoices), default=0)
    if isinstance(model_field, models.DateTimeField):
        return DATETIME, 0
    if isinstance(model_field, models.DateField):
        return DATE, 0
    if isinstance(model_field, models.DecimalField):
        digits = min((model_field.max_digits or AMOUNT_DIGITS) - (model_field.decimal_places or 0), AMOUNT_DIGITS)
        decimals = min(model_field.decimal_places or 0, 4)
        return NUMBER, _grouped_length(digits) + (decimals + 1 if decimals else 0)
    if isinstance(model_field, (models.IntegerField, models.FloatField)):
        return NUMBER, _grouped_length(INTEGER_DIGITS.get(model_field.get_internal_type(), COUNT_DIGITS))
    if isinstance(model_field, models.CharField) and model_field.max_length:
        return TEXT, model_field.max_length
    return TEXT, 0  # long text, countries: the usual width, wrapped


def export_columns(pages: RecordPages, queryset) -> list[Column]:
    """Each listed column with the kind of its values and the length of its longest, known from the
    model's field (or the list's annotation) before any row is read: the streamed export's widths."""
    columns = []
    for name in pages.list_columns:
        header = column_label(pages.model, name, pages.labels)
        if name in pages.plain_number_columns:
            columns.append(Column(header, PLAIN, 4))
            continue
        if name in pages.computed:
            columns.append(Column(header, TEXT))
            continue
        try:
            model_field = pages.model._meta.get_field(name)
        except FieldDoesNotExist:
            annotation = queryset.query.annotations.get(name)
            try:
                model_field = annotation.output_field if annotation is not None else None
            except FieldError:
                model_field = None
        columns.append(Column(header, *_kind_and_width(model_field)))
    return columns


def _list_export_title(params: dict) -> str:
    pages = LISTS.get(params.get("list", ""))
    name = pages.verbose_name_plural if pages else params.get("list", "")
    return _("Export: %(list)s (%(count)s rows)") % {"list": name, "count": format_number(params.get("rows") or 0)}


def _clean_list_export(params: dict) -> dict:
    if params.get("list") not in LISTS:
        raise ValidationError(_("Unknown list."))
    return {"list": params["list"], "query": str(params.get("query", ""))[:2000], "rows": int(params.get("rows") or 0)}


register_report(
    ReportKind(
        key=LIST_EXPORT,
        label=gettext_lazy("Export of a list (.xlsx)"),
        build=_build_list_export,
        title=_list_export_title,
        clean=_clean_list_export,
        permission="portal.has_any_role",
        # Only its requester reads it: the rows are the ones their role lets them see.
        can_read=lambda user, job: False,
        on_reports_page=False,
    )
)


def add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def warn_ignored_filters(request, filterset) -> None:
    """Say which filters the list leaves out because their value could not be read (the address was
    edited by hand, or a choice no longer exists); each shows its reason under its field."""
    if not filterset.is_bound or filterset.is_valid():
        return
    form = filterset.form
    labels = [str(form.fields[name].label) for name in form.errors if name in form.fields]
    if labels:
        messages.warning(
            request,
            _("These filters are not applied, their values could not be read: %(filters)s.")
            % {"filters": ", ".join(labels)},
        )


def style_filter_form(form) -> None:
    """Bootstrap's small controls for a filter panel."""
    for form_field in form.fields.values():
        widget = form_field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]
        is_select = getattr(widget, "input_type", "") == "select"
        widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"


class RecordView(View):
    pages: RecordPages = None
    template_name = ""

    def require(self, action: str, record=None):
        """Raise PermissionDenied, saying why, unless the user may do `action` (on `record`)."""
        user = self.request.user
        if user.has_perm(permission_name(self.pages.model, action), record):
            return
        if action == "view" and record is not None:
            raise PermissionDenied(_("You may not see this record: it belongs to an association you do not lead."))
        if action == "view":
            raise PermissionDenied(_("Your role gives no access to these records."))
        require_permission(user, action, record, model=self.pages.model)

    def get_record(self, pk: int):
        record = get_object_or_404(self.pages.base_queryset(), pk=pk)
        self.require("view", record)
        return record

    def context(self, **extra) -> dict:
        return {"pages": self.pages, "list_url": self.pages.url("list"), **extra}


class RecordListView(RecordView):
    def filtered(self, request):
        self.require("view")
        queryset = self.pages.scope(request.user, self.pages.base_queryset())
        filterset = self.pages.filterset_class(request.GET or None, queryset=queryset, request=request)
        # A value a filter cannot read leaves that filter out, not the others (see `ignored_filters`).
        queryset = filterset.qs if filterset.is_bound else queryset
        search = request.GET.get("q", "").strip()
        if search and self.pages.search is not None:
            queryset = self.pages.search(queryset, search)
        elif search and self.pages.search_fields:
            terms = reduce(or_, [Q(**{f"{name}__icontains": search}) for name in self.pages.search_fields])
            if any("__" in name for name in self.pages.search_fields):
                # Across a to-many relation (a delegation's members): a semi-join, so a record found
                # twice is listed once without a DISTINCT that sorts the whole table.
                terms = Q(pk__in=self.pages.model._default_manager.filter(terms).values("pk"))
            queryset = queryset.filter(terms)
        return filterset, search, queryset

    def get(self, request):
        filterset, search, queryset = self.filtered(request)
        if request.GET.get("export") == "xlsx":
            count = queryset.count()
            if count > settings.EXPORT_IN_REQUEST_MAX_ROWS:
                return self.export_as_job(request, count)
            return self.export(queryset)
        paginator = Paginator(queryset, settings.PORTAL_PAGE_SIZE)
        if self.pages.count_in_all is not None and set(request.GET) <= {"page"}:
            paginator.count = self.pages.count_in_all(request.user)  # the whole list: its kept count
        elif search and self.pages.count_searched is not None and set(request.GET) <= {"q", "page"}:
            paginator.count = self.pages.count_searched(request.user, search)
        page = paginator.get_page(request.GET.get("page"))
        columns = self.pages.list_columns
        attention = self.pages.needs_attention
        phone = self.pages.phone_columns
        rows = [
            (
                self.pages.url("detail", pk=record.pk),
                [self.pages.cell_text(record, name) for name in columns],
                attention(record) if attention else "",
            )
            for record in page.object_list
        ]
        warn_ignored_filters(request, filterset)
        style_filter_form(filterset.form)
        extra = self.pages.list_context(request) if self.pages.list_context else {}
        return render(
            request,
            self.pages.list_template,
            self.context(
                **extra,
                filterset=filterset,
                search=search,
                page=page,
                rows=rows,
                headers=[column_label(self.pages.model, name, self.pages.labels) for name in columns],
                linked_columns=[i for i, name in enumerate(columns) if name in self.pages.linked_columns] or [0],
                wide_only=[i for i, name in enumerate(columns) if phone and name not in phone],
                create_url=self.pages.url("create")
                if self.pages.can_create and request.user.has_perm(permission_name(self.pages.model, "add"))
                else "",
                is_filtered=bool(search) or any(v for k, v in request.GET.items() if k not in ("page",)),
            ),
        )

    def export(self, queryset) -> HttpResponse:
        rows = map(self.pages.row_reader(), queryset)
        content = build_workbook(
            title=self.pages.verbose_name_plural,
            heading=export_heading(self.pages),
            headers=export_columns(self.pages, queryset),
            rows=rows,
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{export_file_name(self.pages)}"'
        return response

    def export_as_job(self, request, count: int):
        """A long list is exported by a job (streamed, every row), its file offered on the reports page:
        no request is held while it is written."""
        query = request.GET.copy()
        query.pop("export", None)
        query.pop("page", None)
        job = report_request(
            kind=LIST_EXPORT,
            params={"list": self.pages.list_key, "query": query.urlencode(), "rows": count},
            actor=request.user,
        )
        messages.info(
            request,
            _("The list has %(count)s rows: its export is being prepared. Download it here when it is ready.")
            % {"count": format_number(count)},
        )
        return redirect(reverse("reports") + f"#report-job-{job.pk}")


# Links that a higher layer adds to a record's page (the overview adds the way to an association's or a
# place's dashboard page), by model label: each function takes the record and gives (url, label, test id)
# rows. The base names no app; the layer that owns the pages registers them.
RECORD_LINKS: dict[str, list[Callable]] = {}


def register_record_links(model_label: str, links: Callable) -> None:
    RECORD_LINKS.setdefault(model_label.lower(), []).append(links)


def record_links(record) -> list[tuple[str, str, str]]:
    return [link for links in RECORD_LINKS.get(record._meta.label_lower, []) for link in links(record)]


class RecordDetailView(RecordView):
    template_name = "records/detail.html"

    def get(self, request, pk: int):
        record = self.get_record(pk)
        fields = [
            (column_label(self.pages.model, name, self.pages.labels), column_text(record, name))
            for name in self.pages.detail_fields
        ]
        histories = [(self.pages.model, record.history.all())]
        inlines = []
        for inline in self.pages.inlines:
            children = list(getattr(record, inline.related_name).all())
            model = inline.formset_class.model
            inlines.append(
                {
                    "title": inline.title,
                    "headers": [column_label(model, name) for name in inline.columns],
                    "rows": [[column_text(child, name) for name in inline.columns] for child in children],
                }
            )
            histories.append((model, inline.history(record)))
        return render(
            request,
            self.template_name,
            self.context(
                record=record,
                record_links=record_links(record),
                fields=fields,
                inlines=inlines,
                history=history_entries(histories),
                edit_url=self.pages.url("update", pk=record.pk)
                if request.user.has_perm(permission_name(record, "change"), record)
                else "",
                delete_url=self.pages.url("delete", pk=record.pk)
                if self.pages.can_delete and request.user.has_perm(permission_name(record, "delete"), record)
                else "",
            ),
        )


class RecordFormView(RecordView):
    template_name = "records/form.html"

    def build(self, request, record):
        data = request.POST if request.method == "POST" else None
        form = self.pages.form_class(data, instance=record, user=request.user)
        formsets = [
            inline.formset_class(data, instance=record, prefix=inline.related_name, form_kwargs={"user": request.user})
            for inline in self.pages.inlines
        ]
        return form, formsets

    def show(self, request, form, formsets, record, *, stale_changes=None):
        return render(
            request,
            self.template_name,
            self.context(
                form=form,
                formsets=list(zip([inline.title for inline in self.pages.inlines], formsets, strict=True)),
                record=record if record.pk else None,
                detail_url=self.pages.url("detail", pk=record.pk) if record.pk else "",
                # The version the form was loaded at; after a refused save, the newer one, so that
                # saving again applies the user's values over the other person's.
                version=record_version(record),
                stale_changes=stale_changes,
            ),
        )

    def save(self, request, record):
        form, formsets = self.build(request, record)
        if not (form.is_valid() and all(formset.is_valid() for formset in formsets)):
            messages.error(request, _("Please correct the errors below."))
            return self.show(request, form, formsets, record)
        instance = form.save(commit=False)
        children, deleted = [], []
        for formset in formsets:
            formset.instance = instance
            children.extend(formset.save(commit=False))
            deleted.extend(formset.deleted_objects)
        try:
            options = form.service_options() if hasattr(form, "service_options") else {}
            with transaction.atomic():
                if record.pk:  # an edit: refused when someone saved the record since the form was loaded
                    record_version_check(model=self.pages.model, pk=record.pk, version=request.POST.get("version"))
                self.pages.save(
                    actor=request.user, instance=instance, children=children, deleted_children=deleted, **options
                )
        except StaleEdit as stale:
            messages.error(request, stale.messages[0])
            stored = self.pages.model._default_manager.get(pk=record.pk)
            merged = self.merge(request, form, stored, stale)
            return self.show(request, merged, formsets, stored, stale_changes=stale.changes)
        except ValidationError as error:
            add_errors(form, error)
            messages.error(request, _("Please correct the errors below."))
            return self.show(request, form, formsets, record)
        if hasattr(form, "save_m2m"):
            form.save_m2m()
        messages.success(request, _("Saved: %(record)s.") % {"record": instance})
        return redirect(self.pages.url("detail", pk=instance.pk))

    def merge(self, request, form, stored, stale):
        """The form shown after a refused save: the user's values, except where the other person changed
        a field the user left as it was — there, the other person's value. Saving it again loses nothing."""
        data = request.POST.copy()
        fresh = self.pages.form_class(instance=stored, user=request.user)
        for name in stale.fields:
            if name not in form.fields or stale.base is None:
                continue
            if form.cleaned_data.get(name) != getattr(stale.base, name, None):
                continue  # the user changed it too: their value stands, and they see the other's above
            value = fresh[name].value()
            if isinstance(value, list | tuple):
                data.setlist(form.add_prefix(name), [str(item) for item in value])
            else:
                shown = fresh.fields[name].widget.format_value(value)
                data[form.add_prefix(name)] = "" if shown is None else shown
        merged = self.pages.form_class(data, instance=stored, user=request.user)
        merged.is_valid()
        return merged


class RecordCreateView(RecordFormView):
    def new_record(self):
        return self.pages.model(**self.pages.new_values)

    def get(self, request):
        self.require("add")
        record = self.new_record()
        form, formsets = self.build(request, record)
        return self.show(request, form, formsets, record)

    def post(self, request):
        self.require("add")
        return self.save(request, self.new_record())


class RecordUpdateView(RecordFormView):
    def get(self, request, pk: int):
        record = self.get_record(pk)
        self.require("change", record)
        form, formsets = self.build(request, record)
        return self.show(request, form, formsets, record)

    def post(self, request, pk: int):
        record = self.get_record(pk)
        self.require("change", record)
        return self.save(request, record)


class RecordDeleteView(RecordView):
    template_name = "records/confirm_delete.html"

    def get(self, request, pk: int):
        record = self.get_record(pk)
        self.require("delete", record)
        return render(
            request,
            self.template_name,
            self.context(record=record, detail_url=self.pages.url("detail", pk=record.pk)),
        )

    def post(self, request, pk: int):
        record = self.get_record(pk)
        self.require("delete", record)
        try:
            record_delete(actor=request.user, instance=record)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(self.pages.url("detail", pk=pk))
        messages.success(request, _("Deleted: %(record)s.") % {"record": record})
        return redirect(self.pages.url("list"))
