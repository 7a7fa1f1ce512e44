"""Saving and deleting records under the rules, and reading their change history.

Every app's create/edit/delete goes through `record_save` and `record_delete`, so the admin,
commands and views obey the same permissions (`<app>.add_<model>`, `change_`, `delete_`,
registered with the `rules` package by each app) and every change lands in the history with
the user who made it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django_countries import countries as country_names
from django_countries.fields import CountryField

from friendship_portal.core.display import person_name


def permission_name(model: type[models.Model] | models.Model, action: str) -> str:
    meta = model._meta
    return f"{meta.app_label}.{action}_{meta.model_name}"


def _refuse(action: str) -> PermissionDenied:
    if action == "add":
        return PermissionDenied(
            _(
                "Your role does not allow adding this record here: association leaders add records "
                "only to their own association, and the provincial office only reads."
            )
        )
    if action == "delete":
        return PermissionDenied(_("Only union staff may delete records."))
    return PermissionDenied(
        _(
            "Your role does not allow changing this record: association leaders change only their own "
            "association's records, and the provincial office only reads."
        )
    )


def require_permission(actor, action: str, record: models.Model | None = None, *, model=None) -> None:
    """Raise PermissionDenied, saying why, unless `actor` may do `action` on `record`."""
    if not actor.has_perm(permission_name(model or record, action), record):
        raise _refuse(action)


@transaction.atomic
def record_save(
    *,
    actor,
    instance: models.Model,
    children: Iterable[models.Model] = (),
    deleted_children: Iterable[models.Model] = (),
    reason: str = "",
) -> models.Model:
    """Create or update `instance` (with its inline children) if `actor` may; validate first.

    For an update the right is checked against the stored record as well as the new values, so
    a record cannot be moved out of, or into, an association the actor does not lead.
    """
    model = type(instance)
    if instance.pk:
        stored = model._default_manager.select_for_update().get(pk=instance.pk)
        require_permission(actor, "change", stored)
        require_permission(actor, "change", instance)
    else:
        require_permission(actor, "add", instance)
    instance.full_clean()
    instance._history_user = actor
    if reason:
        instance._change_reason = reason
    instance.save()
    for child in deleted_children:
        child._history_user = actor
        child.delete()
    for child in children:
        _attach_to_parent(child, instance)
        child._history_user = actor
        child.full_clean()
        child.save()
    return instance


def _attach_to_parent(child: models.Model, parent: models.Model) -> None:
    """Point a new child row at its parent, which may have been saved only now."""
    for model_field in child._meta.concrete_fields:
        if model_field.many_to_one and model_field.related_model is type(parent):
            if getattr(child, model_field.attname) is None:
                setattr(child, model_field.name, parent)
            return


@transaction.atomic
def record_delete(*, actor, instance: models.Model) -> None:
    """Delete `instance` if `actor` may and nothing else still refers to it."""
    require_permission(actor, "delete", instance)
    instance._history_user = actor
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        blocking = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
        names = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        raise ValidationError(
            _("This record cannot be deleted while other records refer to it: %(names)s.") % {"names": ", ".join(names)}
        ) from error


# --- change history -------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    user: str
    kind: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


HISTORY_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _m2m_ids(model_field, rows) -> list:
    """The related ids in simple-history's record of a many-to-many field (one dict per link)."""
    key = model_field.m2m_reverse_field_name()
    return [row[key] for row in rows or () if row.get(key) is not None]


def _display(model: type[models.Model], name: str, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        names = [str(related.get((model_field.related_model, pk), pk)) for pk in _m2m_ids(model_field, value)]
        return ", ".join(sorted(names)) or "—"
    if isinstance(model_field, CountryField):
        # One country, a list, a "CZ,SK" string or django-countries' own iterable of several.
        codes = value.split(",") if isinstance(value, str) else list(value) if hasattr(value, "__iter__") else [value]
        return ", ".join(str(getattr(code, "name", None) or country_names.name(code)) for code in codes if code) or "—"
    if model_field.is_relation:
        return str(related.get((model_field.related_model, value), value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M" if isinstance(value, datetime) else "%d/%m/%Y")
    return str(value)


IGNORED_FIELDS = {"created_at", "updated_at"}


@dataclass
class M2MChange:
    field: str
    old: list
    new: list


def _m2m_links(rows: list) -> dict:
    """{(field name, history id): the links recorded with that version}, one query per many-to-many
    field for all the versions (simple-history's own diff reads them twice for every version)."""
    if not rows:
        return {}
    found: dict = defaultdict(list)
    for model_field in getattr(rows[0], "_history_m2m_fields", ()):
        through = getattr(rows[0], model_field.name).model  # the historical through table (no query)
        names = [
            f.name for f in through._meta.fields if f.editable and f.name not in ("id", "m2m_history_id", "history")
        ]
        reverse = model_field.m2m_reverse_field_name()
        for link in (
            through.objects.filter(history__in=[row.history_id for row in rows])
            .order_by(reverse)
            .values("history_id", *names)
        ):
            history_id = link.pop("history_id")
            found[(model_field.name, history_id)].append(link)
    return found


def _as_recorded(model: type[models.Model], row) -> models.Model:
    """The record as a version of its history saw it, built from the version's own fields: simple-history's
    `row.instance` would read the record again for the fields its history leaves out (kept figures), once a
    version."""
    return model(**{field.attname: getattr(row, field.attname) for field in row.tracked_fields})


def history_entries(records: Iterable[tuple[models.Model, models.QuerySet]], limit: int = 100) -> list[HistoryEntry]:
    """The change history of a record and its inline children, newest first.

    `records` pairs a model with a queryset of its historical rows. Runs one query per
    queryset plus one per related model named in the changes, whatever the history's length.
    """
    pairs: list[tuple[type[models.Model], object, object | None]] = []
    links: dict = {}
    for model, history in records:
        rows = list(history.select_related("history_user").order_by("-history_id")[:limit])[::-1]
        links.update(_m2m_links(rows))
        previous_by_id: dict = {}
        for row in rows:
            object_id = getattr(row, model._meta.pk.attname)
            pairs.append((model, row, previous_by_id.get(object_id)))
            previous_by_id[object_id] = row

    deltas = []
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for model, row, previous in pairs:
        changes = []
        if previous is not None and row.history_type == "~":
            m2m_names = [field.name for field in getattr(row, "_history_m2m_fields", ())]
            delta = row.diff_against(previous, excluded_fields=m2m_names)
            changes = [c for c in delta.changes if c.field not in IGNORED_FIELDS]
            for name in m2m_names:
                old, new = links.get((name, previous.history_id), []), links.get((name, row.history_id), [])
                if old != new:
                    changes.append(M2MChange(name, old, new))
            for change in changes:
                model_field = model._meta.get_field(change.field)
                if model_field.many_to_many:
                    wanted[model_field.related_model].update(_m2m_ids(model_field, change.old + change.new))
                elif model_field.is_relation:
                    wanted[model_field.related_model].update(v for v in (change.old, change.new) if v)
        deltas.append((model, row, changes))

    related = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related[(related_model, obj.pk)] = obj

    entries = []
    for model, row, changes in deltas:
        entries.append(
            HistoryEntry(
                when=row.history_date,
                user=person_name(row.history_user),
                kind=HISTORY_KINDS.get(row.history_type, "changed"),
                subject=f"{model._meta.verbose_name}: {_as_recorded(model, row)}",
                changes=[
                    FieldChange(
                        label=str(model._meta.get_field(c.field).verbose_name),
                        old=_display(model, c.field, c.old, related),
                        new=_display(model, c.field, c.new, related),
                    )
                    for c in changes
                ],
                reason=row.history_change_reason or "",
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


# --- versions: two people editing the same record ---------------------------------------------


class StaleEdit(ValidationError):
    """The record was saved by someone else since the form was loaded; `changes` says what they did."""

    def __init__(self, changes: list, *, fields: list[str] = (), base: models.Model | None = None):
        super().__init__(
            _("Someone else saved this record after you opened it; nothing of yours was saved.")
            + " "
            + _("Read their changes below, then save again to apply yours."),
            code="stale",
        )
        # What they changed, as entries to show and as field names; the record as the form had it.
        self.changes, self.fields, self.base = changes, list(fields), base


def record_version(record: models.Model) -> int:
    """The record's version: the number of its latest history row (every save writes one)."""
    if record.pk is None:
        return 0
    latest = record.history.model.objects.filter(**{record._meta.pk.attname: record.pk}).aggregate(
        latest=models.Max("history_id")
    )["latest"]
    return latest or 0


def record_version_check(*, model: type[models.Model], pk, version) -> None:
    """Within the saving transaction: lock the record and refuse if it changed since `version` (the
    form's), saying what changed; a missing or unreadable version is not checked."""
    try:
        expected = int(version)
    except (TypeError, ValueError):
        return
    stored = model._default_manager.select_for_update().get(pk=pk)
    if record_version(stored) == expected:
        return
    newer = stored.history.filter(history_id__gte=expected)
    entries = [entry for entry in history_entries([(model, newer)]) if entry.kind != "created"]
    loaded = newer.filter(history_id=expected).first()
    latest = newer.order_by("-history_id").first()
    fields = latest.diff_against(loaded).changed_fields if loaded is not None and latest is not None else []
    raise StaleEdit(entries, fields=fields, base=loaded.instance if loaded is not None else None)
