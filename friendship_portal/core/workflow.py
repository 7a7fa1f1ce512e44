"""Workflows: one table per workflow, one way to take a step.

An app describes its workflow once (`<app>/workflow.py`): each state with the badge style it shows,
and each step with the state it leads to, the states it leaves from (per variant, such as a
delegation's direction), the permission that takes it, its label, icon and button style, and
whether a record in its source states waits for whoever may take it. The services take steps
through `Workflow.take`; the views and templates list the steps a user has now with `available`;
the waiting lists are a query built from the same table (`waiting_q`). A rule is written once.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from friendship_portal.core.display import person_name


@dataclass(frozen=True)
class Step:
    key: str
    target: str
    # The states the step leaves from: a tuple, or per variant ({"outbound": (...), "inbound": (...)}).
    sources: tuple | dict
    # The permission that takes it; None for a step only the system takes (following the dates).
    permission: str | None
    label: str = ""
    icon: str = ""
    style: str = "primary"
    # Said to whoever lacks the permission.
    refusal: str = ""
    # A record in one of the source states waits for whoever may take the step (the waiting lists).
    waits: bool = True
    # The step is offered only when ready(record) (e.g. revoking waits six months); the service checks too.
    ready: Callable | None = None
    # Taking the step again from its own target is a new step, not a repeat (an adjustment).
    repeatable: bool = False
    # Offered as a button on the record's page (False: taken elsewhere, e.g. by the daily task).
    offered: bool = True
    # The page that takes it (a URL name taking the record's pk).
    url_name: str = ""
    # The waiting list shows only the records of the user's own association (the leader scope).
    scoped: bool = False
    # The role the step is taken in, written on its event (roles.Role).
    role: str = ""
    # Separation of duties: whoever took one of these steps on the record may not take this one.
    not_after: tuple = ()
    # Said to them.
    separation_refusal: str = ""
    # A decision (approve, reject): whoever asks it of a record already decided is told by whom, when
    # and under which number, rather than shown the step as done (their own repeated click is a no-op).
    decides: bool = False

    @property
    def action(self) -> str:
        """The page's short name (the end of `url_name`): steps taken on one page share it."""
        return self.url_name.rsplit(":", 1)[-1] or self.key

    def sources_for(self, variant=None) -> tuple:
        if isinstance(self.sources, dict):
            return tuple(self.sources.get(variant, ()))
        return tuple(self.sources)

    def all_sources(self) -> set:
        if isinstance(self.sources, dict):
            return {state for states in self.sources.values() for state in states}
        return set(self.sources)


class InvalidTransition(ValidationError):
    """A step asked of a record in a state it does not leave from. An app subclasses it with its
    own sentence and its states' choices."""

    template = gettext_lazy("A record in the state “%(current)s” cannot become “%(target)s”.")
    states: type[models.TextChoices] | None = None

    def __init__(self, current: str, target: str, *, message: str = "", code: str = "invalid_transition"):
        labels = dict(self.states.choices) if self.states is not None else {}
        message = message or str(self.template) % {
            "current": labels.get(current, current),
            "target": labels.get(target, target),
        }
        super().__init__(message, code=code)
        self.current, self.target = current, target


@dataclass
class Workflow:
    model: type[models.Model]
    event_model: type[models.Model]
    # The event's foreign key to the record ("delegation", "project").
    event_field: str
    steps: Iterable[Step]
    # Bootstrap colour of each state's badge (success, info, warning, danger, primary, dark, secondary).
    state_styles: dict = field(default_factory=dict)
    state_field: str = "status"
    # The field whose value picks a step's sources when they differ by variant (e.g. "direction").
    variant_field: str | None = None
    # Raised for a step asked in a state it does not leave from (the app's own sentence).
    invalid_transition: type[InvalidTransition] = InvalidTransition
    # Run the model's full_clean before saving a step.
    full_clean: bool = False
    # inside(record, event, step): more writes in the step's transaction (e.g. lay out reports).
    inside: Callable | None = None
    # after_commit(record, event, step): side effects once the step is committed (notices, documents).
    after_commit: Callable | None = None
    # scope_q(user) → Q narrowing the waiting list of a scoped step to the user's own records.
    scope_q: Callable | None = None

    def __post_init__(self):
        self.steps = {step.key: step for step in self.steps}

    # --- reading the table --------------------------------------------------------------------

    def step(self, key: str) -> Step:
        return self.steps[key]

    def style_of(self, state: str) -> str:
        return self.state_styles.get(state, "secondary")

    def _variant(self, record):
        return getattr(record, self.variant_field) if self.variant_field else None

    def leaves_from(self, record, step: Step) -> bool:
        return getattr(record, self.state_field) in step.sources_for(self._variant(record))

    def may(self, actor, step: Step, record=None) -> bool:
        """Whether `actor` holds the step's right (on `record` when given), by their roles alone (a
        superuser holds none); the system holds none."""
        if step.permission is None or actor is None or not actor.is_active:
            return False
        return (
            rules.has_perm(step.permission, actor, record)
            if record is not None
            else rules.has_perm(step.permission, actor)
        )

    def available(self, record, user, *, taken: set | None = None) -> list[Step]:
        """The steps `user` may take on `record` now, in the table's order. `taken` is what
        `taken_by` read for a whole list at once (a page of many records asks once)."""
        return [
            step
            for step in self.steps.values()
            if step.offered
            and self.leaves_from(record, step)
            and self.may(user, step, record)
            and (step.ready is None or step.ready(record))
            and not self.took_earlier(user, step, record, taken=taken)
        ]

    def taken_by(self, actor, records) -> set:
        """(record id, state reached) of every step `actor` took on `records`: one query."""
        events = self.event_model.objects.filter(**{f"{self.event_field}__in": list(records)}, actor=actor)
        return set(events.values_list(f"{self.event_field}_id", "to_status"))

    def took_earlier(self, actor, step: Step, record, *, taken: set | None = None) -> bool:
        """Whether `actor` took one of the steps that keep them from taking `step` on `record`."""
        if not step.not_after or actor is None:
            return False
        targets = {self.steps[key].target for key in step.not_after}
        if taken is not None:
            return any((record.pk, target) in taken for target in targets)
        return self.event_model.objects.filter(
            **{self.event_field: record}, actor=actor, to_status__in=targets
        ).exists()

    def waiting_q(self, user) -> Q:
        """The records whose next step is `user`'s to take, as a filter on the model: the states of
        every such step gathered into one `IN` per variant (and per scope), so that a count of them
        reads the state's index alone."""
        # {scoped: {variant (None: every variant): states}}
        states: dict[bool, dict] = {False: {}, True: {}}
        for step in self.steps.values():
            if not step.waits or not self.may(user, step):
                continue
            scoped = bool(step.scoped and self.scope_q is not None)
            by_variant = states[scoped]
            if isinstance(step.sources, dict):
                for variant, sources in step.sources.items():
                    by_variant.setdefault(variant, set()).update(sources)
            else:
                by_variant.setdefault(None, set()).update(step.sources)
        condition = Q(pk__in=[])
        for scoped, by_variant in states.items():
            here = Q(pk__in=[])
            for variant, sources in sorted(by_variant.items(), key=lambda item: str(item[0])):
                same = Q(**{f"{self.state_field}__in": sorted(sources)})
                if variant is not None:
                    same &= Q(**{self.variant_field: variant})
                here |= same
            if by_variant:
                condition |= here & self.scope_q(user) if scoped else here
        return condition

    # --- taking a step --------------------------------------------------------------------------

    def decided_states(self) -> set:
        return {step.target for step in self.steps.values() if step.decides}

    def _decided_by_another(self, record, current: str, step: Step, actor, changes: dict) -> InvalidTransition | None:
        event = (
            self.event_model.objects.filter(**{self.event_field: record}, to_status=current)
            .select_related("actor")
            .order_by("-created_at", "-pk")
            .first()
        )
        same_person = event is not None and event.actor_id == getattr(actor, "pk", None)
        same_decision = all(getattr(record, name, value) == value for name, value in changes.items())
        if same_person and same_decision and current == step.target:
            return None
        labels = dict(self.model._meta.get_field(self.state_field).choices)
        return self.invalid_transition(
            current,
            step.target,
            code="already_decided",
            message=_("This was already decided: “%(state)s” by %(name)s on %(date)s, decision %(number)s.")
            % {
                "state": labels.get(current, current),
                "name": person_name(event.actor) if event and event.actor else _("the system"),
                "date": f"{timezone.localtime(event.created_at):%d/%m/%Y %H:%M}" if event else "—",
                "number": getattr(record, "decision_number", "") or "—",
            },
        )

    def require(self, actor, step: Step, record=None) -> None:
        if step.permission is None:
            if actor is not None:
                raise PermissionDenied(_("Only the system takes this step."))
            return
        if not self.may(actor, step, record):
            raise PermissionDenied(step.refusal or _("Your role does not allow this step."))

    def take(
        self,
        key: str,
        *,
        record_id: int,
        actor,
        comment: str = "",
        changes: dict | None = None,
        check: Callable | None = None,
        saves: Iterable[str] = (),
    ):
        """Take step `key` on the record: lock it, check the actor's right and its state, apply
        `changes`, run `check(record)` (which may refuse with a ValidationError or set more fields,
        named in `saves`), save only those fields, write the event, and queue the side effects
        after the commit. Taking a step that already happened returns the record unchanged.
        """
        step = self.steps[key]
        with transaction.atomic():
            record = self.model.objects.select_for_update().get(pk=record_id)
            self.require(actor, step, record)
            current = getattr(record, self.state_field)
            if step.decides and current in self.decided_states():
                decided = self._decided_by_another(record, current, step, actor, changes or {})
                if decided is not None:
                    raise decided
            if current == step.target and not step.repeatable:
                return record
            if not self.leaves_from(record, step):
                raise self.invalid_transition(current, step.target)
            if self.took_earlier(actor, step, record):
                raise PermissionDenied(step.separation_refusal or _("Someone else must take this step."))
            changes = dict(changes or {})
            for name, value in changes.items():
                setattr(record, name, value)
            if check is not None:
                check(record)
            if self.full_clean:
                record.full_clean()
            setattr(record, self.state_field, step.target)
            fields = [self.state_field, *changes, *saves]
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                fields.append("updated_at")
            record._history_user = actor
            record.save(update_fields=list(dict.fromkeys(fields)))
            event = self.event_model.objects.create(
                **{self.event_field: record},
                actor=actor,
                from_status=current,
                to_status=step.target,
                comment=comment,
                actor_role=step.role if actor is not None else "",
            )
            if self.inside is not None:
                self.inside(record, event, step)
            if self.after_commit is not None:
                transaction.on_commit(lambda: self.after_commit(record, event, step))
        return record
