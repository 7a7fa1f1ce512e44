"""The role matrix: every page of the URL map, opened by every role, GET and POST, against a table.

The pages come from walking the URL configuration (`get_resolver()`, every include), so a new page
cannot be forgotten: a pattern with no row in `EXPECTED` fails, and its failure prints the row the
portal answers today, ready to paste; a row that matches no page fails too.

Each row reads, for GET and then for POST (an empty body; the test client does not enforce CSRF),
one status per role in the order of `ROLES`:

    anonymous, union staff, the leader of the record's own association (leader.laos), a leader of
    another association (leader.russia), the provincial office, the administrator (the role, with
    is_staff, not a superuser) and a superuser made as `createsuperuser` makes one (no role).

Parameters are filled from one world of records built once for the module, every record of an
association belonging to Việt Nam–Lào; a workflow step is asked of a record in a state the step
leaves from (the approval of an endorsed plan, the endorsement of a submitted one …), so the table
shows who may take it, not only who may look. Each request runs in its own savepoint: what a POST
writes is gone before the next role asks.

What the table says comes from the rules (`friendship_portal/core/roles.py` and each app's
`permissions.py`): staff change everything; a leader sees and changes their own association's
records, reads the scholarships and the aid, and nothing of another association; the provincial
office reads everything and decides; the administrator and the superuser read everything (and the
superuser keeps the administrator's rights) but take no workflow step, and neither opens a
classified file, which only leaders of the delegation's association and the provincial office open.

Rows of more than one record of a page (a classified file beside a plain one, a union-wide partner
beside an association's, the budget summary beside a trip report) are named `<url name> [<what>]`.
Two addresses that are not patterns are rows too: a static file (WhiteNoise serves it to everyone)
and the classified file's own path under MEDIA_URL, which nothing serves.

Django's admin is covered by rule, not pattern by pattern: its index and each registered model's
change list (rows `admin:index`, `admin:<app>_<model>_changelist`). The admin ships some 225
patterns (add, change, delete, history of every model, password pages, autocomplete …) whose
answers are the same few ModelAdmin permission checks per model as its change list, while the
portal's own rules live in its services and pages; a model registered in the admin without a row
fails the test as a page does.
"""

import datetime
import logging
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from aid_projects.models import AidProject
from delegations.models import Attachment, Delegation
from delegations.reports import KIND as TRIP_REPORT
from friendship_portal.core import register
from friendship_portal.core.models import Job
from tests import factories, samples
from tests.aid_projects import factories as aid
from tests.clock import at
from tests.delegations import factories as trips
from tests.scholarships import factories as scholarships
from tests.urlmap import routes

# The delegation tests' day: a Monday, a week before the factories' trip (11–15/05/2026).
TODAY = datetime.date(2026, 5, 4)
ROLES = ("anonymous", "staff", "leader.laos", "leader.russia", "provincial_office", "administrator", "superuser")
S = Delegation.Status

# One status per role for GET, then for POST, each in the order of ROLES:
#     anonymous staff leader.laos leader.russia provincial_office administrator superuser
EXPECTED = {
    # The wiring and the core: home, accounts, language, health, policy reports, jobs.
    # Nobody in the world has an authenticator yet: new backup codes are refused, the page sends to the profile.
    "backup_codes": "302 302 302 302 302 302 302 | 302 403 403 403 403 403 403",
    # The browsers' policy reports: POST only, open to all; an empty body is no report.
    "csp_report": "405 405 405 405 405 405 405 | 400 400 400 400 400 400 400",
    # The register of outgoing documents is for whoever reads everything: not a leader, even for a document of
    # their own association's (which they open as the trip report job's file, see report_download).
    "choices": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "choices [donors]": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "choices [branches]": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "choices [members]": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "document_register": "302 200 403 403 200 200 200 | 302 200 403 403 200 200 200",
    "document_register_file": "302 200 403 403 200 200 200 | 302 200 403 403 200 200 200",
    "healthz": "200 200 200 200 200 200 200 | 405 405 405 405 405 405 405",
    "home": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    # A job is staff's (they asked for it): its requester and union staff follow an import and retry a job;
    # who reads a report is the report kind's say (the trip report: whoever sees the delegation).
    "import_job": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "import_retry": "302 405 405 405 405 405 405 | 302 302 403 403 403 403 403",
    # Signed in, the login page sends home; logging out is a POST (Django 5).
    "login": "200 302 302 302 302 302 302 | 200 302 302 302 302 302 302",
    "login_code": "302 302 302 302 302 302 302 | 302 302 302 302 302 302 302",
    "logout": "302 405 405 405 405 405 405 | 302 302 302 302 302 302 302",
    "notifications": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "password_change": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "password_change_done": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "profile": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "report_download": "302 200 200 403 200 200 200 | 302 200 200 403 200 200 200",
    "report_download [budget summary]": "302 200 403 403 200 200 200 | 302 200 403 403 200 200 200",
    "report_retry": "302 405 405 405 405 405 405 | 302 302 403 403 403 403 403",
    "report_status": "302 200 200 403 200 200 200 | 302 200 200 403 200 200 200",
    "report_status [budget summary]": "302 200 403 403 200 200 200 | 302 200 403 403 200 200 200",
    "reports": "302 200 200 200 200 200 200 | 302 200 403 403 200 200 200",
    "set_language": "302 302 302 302 302 302 302 | 302 302 302 302 302 302 302",
    "two_factors_setup": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "two_factors_turn_off": "302 405 405 405 405 405 405 | 302 200 200 200 200 200 200",
    # Aid: every role reads, union staff manage, the provincial office decides (approve, reject, adjust, revoke).
    "aid_projects:alerts": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "aid_projects:disbursement_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:donor_detail": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "aid_projects:donors": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "aid_projects:iati": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "aid_projects:import": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:import_template": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "aid_projects:index": "302 302 302 302 302 302 302 | 302 302 302 302 302 302 302",
    "aid_projects:project_adjust": "302 403 403 403 200 403 403 | 302 403 403 403 200 403 403",
    "aid_projects:project_approve": "302 403 403 403 200 403 403 | 302 403 403 403 200 403 403",
    "aid_projects:project_complete": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:project_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:project_detail": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "aid_projects:project_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "aid_projects:project_reject": "302 403 403 403 200 403 403 | 302 403 403 403 200 403 403",
    "aid_projects:project_revoke": "302 403 403 403 200 403 403 | 302 403 403 403 200 403 403",
    "aid_projects:project_send_to_appraisal": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "aid_projects:project_settle": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:project_start": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:project_update": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:report_submit": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "aid_projects:yearly": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    # Associations: a leader reads and changes their own association's records only; staff delete.
    "associations:activity_create": "302 200 200 200 403 403 403 | 302 200 200 200 403 403 403",
    "associations:activity_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "associations:activity_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:activity_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:activity_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    "associations:association_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:association_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:association_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    "associations:branch_create": "302 200 200 200 403 403 403 | 302 200 200 200 403 403 403",
    "associations:branch_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "associations:branch_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:branch_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:branch_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    "associations:leadership_create": "302 200 200 200 403 403 403 | 302 200 200 200 403 403 403",
    "associations:leadership_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "associations:leadership_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:leadership_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:leadership_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    "associations:member_create": "302 200 200 200 403 403 403 | 302 200 200 200 403 403 403",
    "associations:member_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "associations:member_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:member_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:member_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    "associations:partner_create": "302 200 200 200 403 403 403 | 302 200 200 200 403 403 403",
    "associations:partner_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "associations:partner_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:partner_detail [union-wide]": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:partner_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:partner_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    "associations:plan_create": "302 200 200 200 403 403 403 | 302 200 200 200 403 403 403",
    "associations:plan_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "associations:plan_detail": "302 200 200 403 200 200 200 | 302 405 405 405 405 405 405",
    "associations:plan_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "associations:plan_update": "302 200 200 403 403 403 403 | 302 200 200 403 403 403 403",
    # Delegations: the draft plan (page, edit, submit, cancel, files), each step on a plan in the state it
    # leaves from; classified files open to the plan's association's leader and the provincial office only.
    "delegations:approve": "302 403 403 403 200 403 403 | 302 403 403 403 200 403 403",
    "delegations:attachment_add": "302 405 405 405 405 405 405 | 302 302 302 403 403 403 403",
    "delegations:attachment_download": "302 200 200 403 200 200 200 | 302 200 200 403 200 200 200",
    # Not even union staff: `see_classified` is the provincial office or the plan's association's leader.
    "delegations:attachment_download [classified]": "302 403 200 403 200 403 403 | 302 403 200 403 200 403 403",
    "delegations:cancel": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:close": "302 405 405 405 405 405 405 | 302 403 403 403 302 403 403",
    "delegations:detail": "302 200 200 403 200 200 200 | 302 200 200 403 200 200 200",
    "delegations:endorse": "302 405 405 405 405 405 405 | 302 403 302 403 403 403 403",
    "delegations:inbound_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:inbound_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "delegations:inbound_update": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:outbound_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:outbound_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "delegations:outbound_update": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:overdue": "302 200 403 403 200 200 200 | 302 200 403 403 200 200 200",
    "delegations:overview": "302 302 302 302 302 302 302 | 302 302 302 302 302 302 302",
    "delegations:recovery": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:reject": "302 403 403 403 200 403 403 | 302 403 403 403 200 403 403",
    "delegations:report": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:report_document": "302 405 405 405 405 405 405 | 302 302 403 403 403 403 403",
    "delegations:return": "302 403 200 403 403 403 403 | 302 403 200 403 403 403 403",
    "delegations:submit": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "delegations:waiting": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    # Scholarships: every role reads, union staff write.
    "scholarships:alerts": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "scholarships:award_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:budget": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "scholarships:import": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:import_template": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "scholarships:index": "302 302 302 302 302 302 302 | 302 302 302 302 302 302 302",
    "scholarships:institution_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:institution_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "scholarships:institution_detail": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "scholarships:institution_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "scholarships:institution_update": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:payments": "302 200 200 200 200 200 200 | 302 200 403 403 403 403 403",
    "scholarships:student_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:student_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "scholarships:student_detail": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "scholarships:student_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "scholarships:student_update": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:yearlybudget_create": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    "scholarships:yearlybudget_delete": "302 200 403 403 403 403 403 | 302 302 403 403 403 403 403",
    "scholarships:yearlybudget_detail": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "scholarships:yearlybudget_list": "302 200 200 200 200 200 200 | 302 405 405 405 405 405 405",
    "scholarships:yearlybudget_update": "302 200 403 403 403 403 403 | 302 200 403 403 403 403 403",
    # The overview: every role; a leader opens only their own association's page (404 for another's).
    "dashboard": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    # Another association's page is not found for a leader (404, as tests/dashboard/test_pages.py wants),
    # where the record pages refuse (403).
    "dashboard_association": "302 200 200 404 200 200 200 | 302 200 200 404 200 200 200",
    "dashboard_country": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "dashboard_lao_province": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    "dashboard_print": "302 200 200 200 200 200 200 | 302 200 200 200 200 200 200",
    # Not patterns: a static file is served to everyone; the media folder is served to no one.
    "media [classified file]": "404 404 404 404 404 404 404 | 404 404 404 404 404 404 404",
    "static [favicon]": "200 200 200 200 200 200 200 | 405 405 405 405 405 405 405",
    # The admin by rule (see the module's note): is_staff opens it; the administrator role has the model
    # permissions its migration grants (not the attachments' nor the trip reports'), the superuser all.
    "admin:aid_projects_aidproject_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:aid_projects_commune_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:aid_projects_disbursement_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:aid_projects_progressreport_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_activity_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_association_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_branch_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_laoprovince_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_leaderaccount_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_leadershipposition_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_member_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_partner_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:associations_workplan_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:auth_group_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:auth_user_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:axes_accessattempt_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:axes_accessfailurelog_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:axes_accesslog_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    # The superuser's list leaves the classified files out (see the test of the admin's attachments below).
    "admin:delegations_attachment_changelist": "302 302 302 302 302 403 200 | 302 302 302 302 302 403 200",
    "admin:delegations_delegation_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:delegations_recoveryrecord_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:delegations_tripreport_changelist": "302 302 302 302 302 403 200 | 302 302 302 302 302 403 200",
    "admin:django_celery_beat_clockedschedule_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:django_celery_beat_crontabschedule_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:django_celery_beat_intervalschedule_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:django_celery_beat_periodictask_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:django_celery_beat_solarschedule_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:friendship_portal_issuingbody_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:index": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:otp_static_staticdevice_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:otp_totp_totpdevice_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:scholarships_award_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:scholarships_institution_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:scholarships_student_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
    "admin:scholarships_yearlybudget_changelist": "302 302 302 302 302 200 200 | 302 302 302 302 302 200 200",
}


# --- the pages of the URL map --------------------------------------------------------------------


def admin_rows() -> set[str]:
    """The admin by rule: its index and the change list of every model registered in it."""
    return {"admin:index"} | {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    }


ROUTES = routes()
PATTERNS = {name: pattern for route, name, pattern in ROUTES if name}
PAGES = sorted(name for route, name, _ in ROUTES if name and not route.startswith("admin/"))
UNNAMED = sorted(route for route, name, _ in ROUTES if name is None and not route.startswith("admin/"))

# Rows of a second record of a page: row → (URL name, the world's record).
VARIANTS = {
    "delegations:attachment_download [classified]": ("delegations:attachment_download", "classified_attachment"),
    "associations:partner_detail [union-wide]": ("associations:partner_detail", "union_partner"),
    "report_download [budget summary]": ("report_download", "budget_job"),
    "report_status [budget summary]": ("report_status", "budget_job"),
    "choices [donors]": ("choices", "donor_choices"),
    "choices [branches]": ("choices", "branch_choices"),
    "choices [members]": ("choices", "member_choices"),
}
# Addresses that are no pattern: row → the address, from the world.
ADDRESSES = {
    "static [favicon]": lambda world: "/static/favicon.svg",
    "media [classified file]": lambda world: "/media/" + world["classified_file_name"],
}

CASES = sorted({*PAGES, *(admin_rows() & set(PATTERNS)), *VARIANTS, *ADDRESSES})

# Where a page's record comes from, by its URL name (the first expression that matches wins).
ARGUMENTS = [
    (r"^associations:association_", "association"),
    (r"^associations:branch_", "branch"),
    (r"^associations:member_", "member"),
    (r"^associations:leadership_", "leadership"),
    (r"^associations:plan_", "plan"),
    (r"^associations:activity_", "activity"),
    (r"^associations:partner_", "partner"),
    (r"^delegations:inbound_", "inbound"),
    (r"^delegations:attachment_download$", "attachment"),
    (r"^delegations:(endorse|return)$", "submitted"),
    (r"^delegations:(approve|reject)$", "endorsed"),
    (r"^delegations:(report|report_document)$", "returned"),
    (r"^delegations:close$", "reported"),
    (r"^delegations:recovery$", "recovery"),
    (r"^delegations:", "draft"),  # the page, its edit form, submit, cancel, attach
    (r"^scholarships:(student_|award_create$)", "student"),
    (r"^scholarships:institution_", "institution"),
    (r"^scholarships:yearlybudget_", "budget"),
    (r"^aid_projects:project_(approve|reject)$", "under_appraisal"),
    (r"^aid_projects:project_(start|revoke)$", "approved"),
    (r"^aid_projects:(project_adjust|project_complete|disbursement_create)$", "implementing"),
    (r"^aid_projects:project_settle$", "completed"),
    (r"^aid_projects:project_", "proposed"),  # the page, its edit form, send for appraisal
    (r"^aid_projects:report_submit$", "progress_report"),
    (r"^aid_projects:donor_detail$", "donor"),
    (r"^aid_projects:import_template$", "import_kind"),
    (r"^choices$", "partner_choices"),
    (r"^dashboard_lao_province$", "lao_province"),
    (r"^dashboard_country$", "country"),
    (r"^dashboard_association$", "association"),
    (r"^document_register_file$", "outgoing_document"),
    (r"^import_", "import_job"),
    (r"^report_", "trip_report_job"),
]


def argument_of(name: str) -> str | None:
    return next((key for expression, key in ARGUMENTS if re.search(expression, name)), None)


def address_of(case: str, world: dict) -> str:
    if case in ADDRESSES:
        return ADDRESSES[case](world)
    name, record = VARIANTS.get(case, (case, None))
    converters = PATTERNS[name].pattern.converters
    if not converters:
        return reverse(name)
    (argument,) = converters
    return reverse(name, kwargs={argument: world[record or argument_of(name)]})


# --- the world -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def module_clock():
    with time_machine.travel(at(TODAY), tick=False):
        yield


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    """The world's files live for the whole module, not in one test's folder; static files are found
    where they are kept, and the sessions opened for the module owe no second step, whatever
    DJANGO_DEBUG says."""
    folder = tmp_path_factory.mktemp("role-matrix-media")
    with override_settings(
        MEDIA_ROOT=folder, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True, PORTAL_OTP_REQUIRED=False
    ):
        yield folder


@pytest.fixture(scope="module", autouse=True)
def refusals_not_logged():
    """Django logs every 4xx answer as a warning with its traceback: the matrix's thousand refusals are
    not worth formatting. Server errors are still logged."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def media_root(module_media):
    """Instead of the suite's per-test folder (tests/conftest.py): the world wrote its files here."""
    return module_media


def build_world(cast) -> dict:
    laos = cast.laos
    staff = cast.staff
    now = timezone.now()
    trip = trips.DelegationFactory
    draft = trip(association=laos)
    april = {"start_date": datetime.date(2026, 4, 6)}
    reported = trips.TripReportFactory(
        delegation__association=laos, delegation__start_date=april["start_date"]
    ).delegation
    recovery = trips.RecoveryRecordFactory(delegation__association=laos, delegation__start_date=april["start_date"])
    attachment = trips.AttachmentFactory(delegation=draft)
    classified = trips.AttachmentFactory(delegation=draft, original_name="mat.pdf", is_classified=True)
    trip_report_job = Job.objects.create(
        family=Job.Family.REPORT,
        kind=TRIP_REPORT,
        params={"delegation_id": draft.pk, "final": False},
        title="Báo cáo đoàn (dự thảo)",
        requested_by=staff,
        state=Job.State.DONE,
        queued_at=now,
        finished_at=now,
    )
    trip_report_job.file.save("bao-cao-doan-du-thao.docx", ContentFile(samples.DOCX))
    budget_job = Job.objects.create(
        family=Job.Family.REPORT,
        kind="portal.budget_summary",
        params={"year": 2026},
        title="Tổng hợp kinh phí 2026",
        requested_by=staff,
        state=Job.State.DONE,
        queued_at=now,
        finished_at=now,
    )
    budget_job.file.save("tong-hop-kinh-phi-2026.xlsx", ContentFile(samples.XLSX))
    # A document of the Việt Nam–Lào association in the register of outgoing documents, its file kept.
    outgoing_document = register.outgoing_document_register(
        body=register.issuing_body(laos.code),
        type_code="BC",
        title="Báo cáo kết quả chuyến công tác",
        issued_on=TODAY,
        source=f"delegation-report:{draft.pk}",
        build=lambda number: samples.DOCX,
        actor=staff,
    )
    proposed = aid.project_in(AidProject.Status.PROPOSED)
    implementing = aid.project_in(AidProject.Status.IMPLEMENTING)
    return {
        "users": {
            "anonymous": None,
            "staff": staff,
            "leader.laos": cast.laos_leader,
            "leader.russia": cast.russia_leader,
            "provincial_office": cast.province,
            "administrator": cast.admin,
            "superuser": factories.UserFactory(username="root", is_superuser=True, is_staff=True),
        },
        "association": laos.pk,
        "branch": factories.BranchFactory(association=laos).pk,
        "member": factories.MemberFactory(association=laos).pk,
        "leadership": factories.LeadershipPositionFactory(association=laos).pk,
        "plan": factories.WorkPlanFactory(association=laos).pk,
        "activity": factories.ActivityFactory(association=laos).pk,
        "partner": factories.PartnerFactory(association=laos).pk,
        "union_partner": factories.PartnerFactory(association=None).pk,
        "draft": draft.pk,
        "submitted": trip(association=laos, status=S.SUBMITTED).pk,
        "endorsed": trip(association=laos, status=S.ENDORSED).pk,
        "returned": trip(association=laos, status=S.RETURNED, **april).pk,
        "reported": reported.pk,
        "recovery": recovery.delegation.pk,
        "inbound": trip(association=laos, inbound=True).pk,
        "attachment": attachment.pk,
        "classified_attachment": classified.pk,
        "classified_file_name": classified.file.name,
        "student": scholarships.EnrollmentFactory().student_id,
        "institution": scholarships.InstitutionFactory().pk,
        "budget": scholarships.YearlyBudgetFactory(year=TODAY.year).pk,
        "proposed": proposed.pk,
        "under_appraisal": aid.project_in(AidProject.Status.UNDER_APPRAISAL).pk,
        "approved": aid.project_in(AidProject.Status.APPROVED).pk,
        "implementing": implementing.pk,
        "completed": aid.project_in(AidProject.Status.COMPLETED).pk,
        "progress_report": implementing.reports.order_by("due_on").first().pk,
        "donor": proposed.donors.get().pk,
        "import_kind": "projects",
        "partner_choices": "partners",
        "donor_choices": "donors",
        "branch_choices": "branches",
        "member_choices": "members",
        "lao_province": scholarships.province("LA-BL").pk,
        "country": "LA",
        "import_job": Job.objects.create(
            family=Job.Family.IMPORT,
            kind="scholarships.students",
            title="sinh-vien.xlsx",
            requested_by=staff,
            state=Job.State.FAILED,
            error="Máy chủ bận.",
            queued_at=now,
            finished_at=now,
        ).pk,
        "trip_report_job": trip_report_job.pk,
        "outgoing_document": outgoing_document.pk,
        "budget_job": budget_job.pk,
    }


def session_of(user) -> str:
    """A session opened for `user` (its cookie's value), once for the module: logging in again for
    each of the matrix's two thousand requests would take a third of its time."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(module_clock, module_media, cast_of_the_module, django_db_blocker) -> dict:
    """Built once, inside the transaction `cast_of_the_module` holds open around the module."""
    with django_db_blocker.unblock():
        world = build_world(cast_of_the_module)
        world["sessions"] = {role: session_of(user) for role, user in world["users"].items() if user is not None}
        return world


class StatusClient(Client):
    """The test client without what it keeps for looking into a response (a copy of every template's
    context, the exception raised): the matrix reads only the status, and a server error is a 500 in
    the row, not a crash of the test."""

    def request(self, **request):
        response = self.handler(self._base_environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


@pytest.fixture(scope="module")
def module_client() -> Client:
    return StatusClient()


def close_kept_open(response) -> None:
    """Close a response as the test client closes its own: without request_finished's
    close_old_connections, which drops a connection inside a transaction (on PostgreSQL, the module's,
    with the world in it)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# --- asking every role ---------------------------------------------------------------------------


def answer(client: Client, session: str | None, method: str, url: str) -> int:
    """One role's answer, in a savepoint rolled back at once: a POST that wrote (or logged out, or
    deleted the record) leaves nothing for the next one."""
    with transaction.atomic():
        client.cookies.clear()
        if session is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        response = getattr(client, method)(url)
        close_kept_open(response)
        transaction.set_rollback(True)
    return response.status_code


def observed_row(client: Client, world: dict, url: str) -> str:
    sessions = world["sessions"]
    return " | ".join(
        " ".join(str(answer(client, sessions.get(role), method, url)) for role in ROLES) for method in ("get", "post")
    )


def differences(expected: str, observed: str) -> list[str]:
    wanted, got = (row.replace("|", " ").split() for row in (expected, observed))
    cells = [(method, role) for method in ("GET", "POST") for role in ROLES]
    return [f"{method} as {role}: {a} → {b}" for (method, role), a, b in zip(cells, wanted, got, strict=True) if a != b]


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted({*CASES, *EXPECTED}))
def test_every_role_gets_what_the_table_says(case, world, module_client):
    if case not in CASES:
        pytest.fail(f"The row {case!r} matches no page of the URL map (nor a variant, nor an address): remove it.")
    observed = observed_row(module_client, world, address_of(case, world))
    if case not in EXPECTED:
        pytest.fail(
            f"{case} has no row in EXPECTED; the portal answers today (check it against the rules):\n"
            f'    "{case}": "{observed}",'
        )
    assert observed == EXPECTED[case], (
        f'{case}: the table says "{EXPECTED[case]}", the portal answers "{observed}":\n'
        + "\n".join(differences(EXPECTED[case], observed))
    )


def test_every_page_has_a_name_and_its_record():
    """A page without a name cannot be asked for by the matrix; a page with an argument needs a record."""
    assert UNNAMED == []
    unfilled = [name for name in PAGES if PATTERNS[name].pattern.converters and argument_of(name) is None]
    assert unfilled == [], "add the page's record to ARGUMENTS (and to the world)"


# --- the "Done when" ------------------------------------------------------------------------

APPROVAL = {"decision_number": "125/QĐ-UBND", "decision_date": TODAY.strftime("%d/%m/%Y"), "comment": "Đồng ý."}


def as_role(client: Client, world: dict, role: str) -> Client:
    client.cookies.clear()
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "superuser"])
def test_the_administrator_and_a_superuser_do_not_approve_a_plan_waiting_for_approval(role, world, module_client):
    client = as_role(module_client, world, role)
    plan = Delegation.objects.get(pk=world["endorsed"])
    aid_record = AidProject.objects.get(pk=world["under_appraisal"])

    plan_answer = client.post(reverse("delegations:approve", args=[plan.pk]), APPROVAL)
    aid_answer = client.post(reverse("aid_projects:project_approve", args=[aid_record.pk]), APPROVAL)

    assert (plan_answer.status_code, aid_answer.status_code) == (403, 403)
    assert Delegation.objects.get(pk=plan.pk).status == S.ENDORSED
    assert plan.events.count() == 0
    assert AidProject.objects.get(pk=aid_record.pk).status == AidProject.Status.UNDER_APPRAISAL


@pytest.mark.django_db
def test_the_same_form_approves_when_the_provincial_office_sends_it(world, module_client):
    """What the two above send is a good decision: they are refused for who they are, not for the form."""
    client = as_role(module_client, world, "provincial_office")

    client.post(reverse("delegations:approve", args=[world["endorsed"]]), APPROVAL)
    client.post(reverse("aid_projects:project_approve", args=[world["under_appraisal"]]), APPROVAL)

    assert Delegation.objects.get(pk=world["endorsed"]).status == S.APPROVED
    assert AidProject.objects.get(pk=world["under_appraisal"]).status == AidProject.Status.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "opens"),
    [
        ("administrator", False),
        ("superuser", False),
        ("leader.russia", False),
        ("staff", False),
        ("leader.laos", True),
        ("provincial_office", True),
    ],
)
def test_a_classified_file_opens_only_to_the_plans_leader_and_the_provincial_office(role, opens, world, module_client):
    attachment = Attachment.objects.get(pk=world["classified_attachment"])
    assert attachment.is_classified

    response = as_role(module_client, world, role).get(reverse("delegations:attachment_download", args=[attachment.pk]))

    if opens:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == samples.PDF
    else:
        assert response.status_code == 403
        assert not getattr(response, "streaming", False)
        assert samples.PDF not in response.content
    close_kept_open(response)


@pytest.mark.django_db
def test_the_admin_does_not_name_a_classified_file_to_the_superuser(world, module_client):
    client = as_role(module_client, world, "superuser")
    listed = client.get(reverse("admin:delegations_attachment_changelist")).content.decode()
    change = client.get(reverse("admin:delegations_attachment_change", args=[world["classified_attachment"]]))

    assert "mat.pdf" not in listed
    assert change.status_code == 302  # "does not exist": sent back to the admin's index
