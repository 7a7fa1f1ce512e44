"""Union staff keep the aid records and move them through appraisal, implementation and
settlement; the provincial office decides (approves, rejects, adjusts, revokes); every role reads
them: aid is the province's, not one association's."""

import rules

from friendship_portal.core.roles import has_any_role, is_provincial_office, is_union_staff

for model_name in ("aidproject", "disbursement", "progressreport", "commune", "aidevent"):
    rules.add_perm(f"aid_projects.view_{model_name}", has_any_role)
for model_name in ("aidproject", "disbursement", "progressreport"):
    rules.add_perm(f"aid_projects.add_{model_name}", is_union_staff)
    rules.add_perm(f"aid_projects.change_{model_name}", is_union_staff)
rules.add_perm("aid_projects.delete_aidproject", rules.predicates.always_deny)  # revoked or rejected, never deleted
rules.add_perm("aid_projects.delete_disbursement", is_union_staff)
rules.add_perm("aid_projects.delete_progressreport", rules.predicates.always_deny)
rules.add_perm("aid_projects.manage_aid", is_union_staff)
rules.add_perm("aid_projects.decide_aid", is_provincial_office)
rules.add_perm("aid_projects.import_aid", is_union_staff)
rules.add_perm("aid_projects.export_iati", has_any_role)


def scope_all(user, queryset):
    """Everyone with a role reads every aid record."""
    return queryset if has_any_role(user) else queryset.none()
