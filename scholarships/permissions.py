"""Union staff keep the scholarship records; the provincial office, administrators and the
association leaders (the Việt Nam – Lào association works closest with the students) read them."""

import rules

from friendship_portal.core.roles import has_any_role, is_union_staff

for model_name in ("student", "enrollment", "award", "payment", "institution", "yearlybudget"):
    rules.add_perm(f"scholarships.view_{model_name}", has_any_role)
    rules.add_perm(f"scholarships.add_{model_name}", is_union_staff)
    rules.add_perm(f"scholarships.change_{model_name}", is_union_staff)
    rules.add_perm(f"scholarships.delete_{model_name}", is_union_staff)
rules.add_perm("scholarships.import_student", is_union_staff)
rules.add_perm("scholarships.record_payment", is_union_staff)


def scope_all(user, queryset):
    """Everyone with a role reads every scholarship record."""
    return queryset if has_any_role(user) else queryset.none()
