"""The aid records as an IATI 2.03 activity file (https://iatistandard.org/en/iati-standard/203/).

`iati_problems(project)` says, in the user's language, why a record cannot be published yet: the
rules of the standard that its schema does not check (a description, a funding partner, a sector
with its DAC code, actual dates that are not in the future…). `iati_activities_xml(projects)` writes
one `<iati-activities>` document of the records that have none, in the element order of the schema;
it refuses a record that has a problem rather than writing a file the IATI validator rejects.

Which records are published, and as what (ActivityStatus codelist):

    proposed, under appraisal   1 Pipeline/identification   not published
    rejected                    5 Cancelled                 not published
    approved                    1 Pipeline/identification   published
    implementing, adjusted      2 Implementation            published
    completed                   3 Finalisation              published
    settled                     4 Closed                    published
    revoked                     5 Cancelled                 published

A dossier being proposed or appraised is the province's internal deliberation, and a rejected one
never became aid: neither is an activity to publish. From the approving decision on the aid is a
public commitment; when that approval is later revoked the activity stays in the file as Cancelled,
because IATI asks publishers to mark an activity cancelled rather than make it disappear.
"Completed" maps to Finalisation (the work is done, the completion report and the settlement are
outstanding) and "settled" to Closed.

What the file says, and the choices made for it:

- The union is the reporting organisation (AID_IATI_REPORTING_ORG_REF / _TYPE) and reports as a
  secondary reporter: it reproduces the donors' and aid owners' activities, it is responsible for
  none of them, and IATI tools then do not count the money twice when a donor publishes too.
- The identifier is "<reporting org ref>-<aid code>"; the default language is Vietnamese (the
  records are kept in Vietnamese), the default currency the commitment's, the recipient country
  Việt Nam at 100 %, the one sector its OECD DAC purpose code at 100 % (vocabulary 1).
- Participating organisations: every donor as funding (1), with its type from the partner's kind;
  the managing agency as accountable (2); the aid owner as implementing (4). The agency and the
  owner are free text in the records, so they have a name but no identifier or type. A private
  individual donor is published as "Nhà tài trợ cá nhân", never by name.
- Each beneficiary commune is a location (its official code as the reference, reach 2 = intended
  beneficiaries, class 1 = administrative region); the code is not one of IATI's gazetteers, so it
  is not given as a location-id.
- The commitment is an outgoing commitment (transaction 2) dated by the approving decision, and
  each disbursement a disbursement (transaction 3) from the first donor to the aid owner, in its
  own currency, described by its form (cash, in kind) and its note. No budget element: IATI budgets
  cover at most a year, and the records hold only the whole commitment.
- Foreign non-governmental aid is non-refundable: default finance type 110 (standard grant);
  programmes and projects are aid type C01 (project-type interventions); non-project aid has no
  matching aid type and gives none. Aid in a humanitarian DAC sector (7xxxx) is flagged
  humanitarian.
"""

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from aid_projects.models import CURRENCIES, DAC_CODES, AidProject, Disbursement

Status = AidProject.Status

IATI_VERSION = "2.03"
LANGUAGE = "vi"
RECIPIENT_COUNTRY = "VN"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ACTIVITY_STATUS = {
    Status.PROPOSED: "1",
    Status.UNDER_APPRAISAL: "1",
    Status.APPROVED: "1",
    Status.REJECTED: "5",
    Status.IMPLEMENTING: "2",
    Status.ADJUSTED: "2",
    Status.COMPLETED: "3",
    Status.SETTLED: "4",
    Status.REVOKED: "5",
}
PUBLISHED = (
    Status.APPROVED,
    Status.IMPLEMENTING,
    Status.ADJUSTED,
    Status.COMPLETED,
    Status.SETTLED,
    Status.REVOKED,
)
STARTED = (Status.IMPLEMENTING, Status.ADJUSTED, Status.COMPLETED, Status.SETTLED)
FINISHED = (Status.COMPLETED, Status.SETTLED)
COMMITTED = (Status.APPROVED, Status.IMPLEMENTING, Status.ADJUSTED, Status.COMPLETED, Status.SETTLED)

# OrganisationType codelist, by the partner directory's kinds (associations.models.Partner.Kind).
ORGANISATION_TYPES = {
    "foreign_ngo": "21",  # International NGO
    "international_organization": "40",  # Multilateral
    "overseas_vietnamese": "90",  # Other
    "individual": "90",  # Other
    "embassy": "10",  # Government
    "foreign_locality": "11",  # Local Government
    "friendship_organization": "21",  # International NGO
    "other": "90",  # Other
}
INDIVIDUAL_DONOR = "Nhà tài trợ cá nhân"  # the file's language is Vietnamese whatever the user's
FORMS = {Disbursement.Form.CASH: "Tiền mặt", Disbursement.Form.IN_KIND: "Hiện vật"}

ORGANISATION_ROLE_FUNDING, ORGANISATION_ROLE_ACCOUNTABLE, ORGANISATION_ROLE_IMPLEMENTING = "1", "2", "4"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
TRANSACTION_COMMITMENT, TRANSACTION_DISBURSEMENT = "2", "3"
DESCRIPTION_GENERAL = "1"
SECTOR_VOCABULARY_DAC = "1"
FINANCE_TYPE_STANDARD_GRANT = "110"
AID_TYPE_PROJECT = "C01"
PROJECT_TYPE_KINDS = (AidProject.Kind.PROJECT, AidProject.Kind.PROGRAMME)
LOCATION_REACH_BENEFICIARIES = "2"
LOCATION_CLASS_ADMINISTRATIVE = "1"

_CURRENCY_CODES = {code for code, _label in CURRENCIES}
_NOT_IN_IDENTIFIER = re.compile(r"[\s/&|?]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def iati_identifier(project: AidProject) -> str:
    return f"{settings.AID_IATI_REPORTING_ORG_REF}-{project.code}"


def iati_problems(project: AidProject) -> list[str]:
    """Why `project` cannot be published to IATI yet, in the user's language; [] when it can.

    Reads the donors (one query, none when they were prefetched)."""
    problems = []
    if project.status not in ACTIVITY_STATUS:
        problems.append(_("The state “%(status)s” has no IATI activity status.") % {"status": project.status})
    elif project.status not in PUBLISHED:
        problems.append(
            _(
                "Only approved aid is published to IATI (approved, implementing, adjusted, completed, settled, "
                "or revoked as cancelled), not aid that is “%(status)s”."
            )
            % {"status": project.get_status_display()}
        )
    if _NOT_IN_IDENTIFIER.search(iati_identifier(project)):
        problems.append(
            _("The IATI identifier %(identifier)s may not contain spaces or the characters / & | ?: change the code.")
            % {"identifier": iati_identifier(project)}
        )
    if not _text(project.title):
        problems.append(_("Give the aid a title."))
    if not _text(project.summary):
        problems.append(_("Write the summary (objectives and expected results): IATI requires a description."))
    if project.pk is None or not list(project.donors.all()):
        problems.append(_("Name at least one donor: IATI requires the funding partner."))
    if project.planned_start is None:
        problems.append(_("Give the planned start."))
    if project.status in STARTED and project.actual_start is None:
        problems.append(_("Record the actual start: IATI requires it of aid that has started."))
    if project.status in FINISHED and project.actual_end is None:
        problems.append(_("Record the actual end: IATI requires it of aid that has ended."))
    today = timezone.localdate()
    if project.actual_start and project.actual_start > today:
        problems.append(_("The actual start cannot be in the future."))
    if project.actual_end and project.actual_end > today:
        problems.append(_("The actual end cannot be in the future."))
    if project.sector not in DAC_CODES:
        problems.append(_("Choose a sector: IATI requires its OECD DAC purpose code."))
    if project.currency not in _CURRENCY_CODES:
        problems.append(_("Choose the currency of the commitment: IATI requires a default currency."))
    return problems


def iati_projects(projects: Iterable[AidProject] | QuerySet) -> list[AidProject]:
    """`projects` (a queryset or records) fetched again with all the export reads, in their order and
    without repeats: five queries at most, whatever their number."""
    if isinstance(projects, QuerySet):
        ids = list(projects.values_list("pk", flat=True))
    else:
        ids = [project.pk for project in projects]
    fetched = AidProject.objects.filter(pk__in=ids).prefetch_related(
        "donors", "communes", Prefetch("disbursements", queryset=Disbursement.objects.order_by("date", "pk"))
    )
    by_pk = {project.pk: project for project in fetched}
    return [by_pk[pk] for pk in dict.fromkeys(ids) if pk in by_pk]


def iati_activities_xml(projects: Iterable[AidProject] | QuerySet) -> bytes:
    """One IATI 2.03 `<iati-activities>` document (UTF-8, with its XML declaration) of `projects`.

    Raises ValueError when there is nothing to write or a record has problems (`iati_problems`):
    filter the records with it first."""
    projects = iati_projects(projects)
    if not projects:
        raise ValueError("An IATI file holds at least one activity: there is nothing to export.")
    refused = {project.code: problems for project in projects if (problems := iati_problems(project))}
    if refused:
        raise ValueError(
            "These aid records cannot be published to IATI: "
            + " ".join(f"{code}: {' '.join(problems)}" for code, problems in refused.items())
        )
    root = etree.Element("iati-activities", {"version": IATI_VERSION, "generated-datetime": _datetime(timezone.now())})
    for project in projects:
        root.append(_activity(project))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- the parts of an activity, in the order of the schema's sequence -----------------------------


def _activity(project: AidProject) -> etree._Element:
    donors = list(project.donors.all())
    disbursements = list(project.disbursements.all())
    dac_code = DAC_CODES[project.sector]
    updated = max([project.updated_at, *(disbursement.created_at for disbursement in disbursements)])

    activity = etree.Element("iati-activity")
    activity.set("last-updated-datetime", _datetime(updated))
    activity.set(XML_LANG, LANGUAGE)
    activity.set("default-currency", project.currency)
    if dac_code.startswith("7"):  # DAC 7xxxx: emergency response, reconstruction, disaster preparedness
        activity.set("humanitarian", "1")
    activity.set("hierarchy", "1")

    _sub(activity, "iati-identifier").text = iati_identifier(project)
    reporting_org = _sub(
        activity,
        "reporting-org",
        ref=settings.AID_IATI_REPORTING_ORG_REF,
        type=settings.AID_IATI_REPORTING_ORG_TYPE,
        **{"secondary-reporter": "1"},
    )
    _narrative(reporting_org, settings.PORTAL_UNION_NAME)
    _narrative(_sub(activity, "title"), project.title)
    _narrative(_sub(activity, "description", type=DESCRIPTION_GENERAL), project.summary)

    for donor in donors:
        _organisation(activity, "participating-org", donor, role=ORGANISATION_ROLE_FUNDING)
    if _text(project.managing_agency):
        _narrative(_sub(activity, "participating-org", role=ORGANISATION_ROLE_ACCOUNTABLE), project.managing_agency)
    if _text(project.aid_owner):
        _narrative(_sub(activity, "participating-org", role=ORGANISATION_ROLE_IMPLEMENTING), project.aid_owner)

    _sub(activity, "activity-status", code=ACTIVITY_STATUS[project.status])
    for date_type, day in (
        (DATE_PLANNED_START, project.planned_start),
        (DATE_ACTUAL_START, project.actual_start),
        (DATE_PLANNED_END, project.planned_end),
        (DATE_ACTUAL_END, project.actual_end),
    ):
        if day is not None:
            _sub(activity, "activity-date", type=date_type, **{"iso-date": _date(day)})

    _sub(activity, "recipient-country", code=RECIPIENT_COUNTRY, percentage="100")
    for commune in project.communes.all():
        location = _sub(activity, "location", ref=commune.code)
        _sub(location, "location-reach", code=LOCATION_REACH_BENEFICIARIES)
        _narrative(_sub(location, "name"), commune.name)
        _sub(location, "location-class", code=LOCATION_CLASS_ADMINISTRATIVE)
    _sub(activity, "sector", vocabulary=SECTOR_VOCABULARY_DAC, code=dac_code, percentage="100")
    _sub(activity, "default-finance-type", code=FINANCE_TYPE_STANDARD_GRANT)
    if project.kind in PROJECT_TYPE_KINDS:
        _sub(activity, "default-aid-type", code=AID_TYPE_PROJECT, vocabulary="1")

    provider = donors[0] if donors else None
    if project.status in COMMITTED and project.decision_date and project.decision_date <= timezone.localdate():
        decision = _text(project.decision_number)
        _transaction(
            activity,
            project,
            kind=TRANSACTION_COMMITMENT,
            day=project.decision_date,
            amount=project.commitment_amount,
            currency=project.currency,
            description=f"Cam kết theo quyết định số {decision}" if decision else "",
            provider=provider,
        )
    for disbursement in disbursements:
        form = FORMS.get(disbursement.form, disbursement.form)
        note = _text(disbursement.note)
        _transaction(
            activity,
            project,
            kind=TRANSACTION_DISBURSEMENT,
            day=disbursement.date,
            amount=disbursement.amount,
            currency=disbursement.currency,
            description=f"{form}: {note}" if note else form,
            provider=provider,
        )
    return activity


def _transaction(activity, project, *, kind, day, amount, currency, description, provider) -> None:
    transaction = _sub(activity, "transaction")
    _sub(transaction, "transaction-type", code=kind)
    _sub(transaction, "transaction-date", **{"iso-date": _date(day)})
    value = _sub(transaction, "value", currency=currency, **{"value-date": _date(day)})
    value.text = _amount(amount)
    if _text(description):
        _narrative(_sub(transaction, "description"), description)
    if provider is not None:
        _organisation(transaction, "provider-org", provider)
    if _text(project.aid_owner):
        _narrative(_sub(transaction, "receiver-org"), project.aid_owner)


def _organisation(parent, tag: str, partner, **attributes) -> None:
    """A donor from the partner directory: its type from its kind, its name unless it is a person."""
    organisation = _sub(parent, tag, **attributes)
    organisation_type = ORGANISATION_TYPES.get(partner.kind)
    if organisation_type:
        organisation.set("type", organisation_type)
    _narrative(organisation, INDIVIDUAL_DONOR if partner.kind == "individual" else partner.name)


def _sub(parent, tag: str, **attributes) -> etree._Element:
    return etree.SubElement(parent, tag, {name: str(value) for name, value in attributes.items()})


def _narrative(parent, text: str) -> None:
    etree.SubElement(parent, "narrative").text = _text(text)


def _text(value) -> str:
    """The text with what XML 1.0 cannot hold (control characters pasted from Word or Excel) left out."""
    return _NOT_XML.sub("", str(value or "")).strip()


def _amount(value) -> str:
    """A plain decimal, no thousands separator and no exponent: 85000.00."""
    return format(Decimal(value), "f")


def _date(day: date) -> str:
    return day.isoformat()


def _datetime(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")
