"""Forms that make something are handled once per form sent.

The form carries a one-time token (`{% once_token %}`, in its template); the view is decorated with
`once_per_form`. The first POST stores the token in the same transaction as what the view writes; a
second POST of the same form (a double click, the browser's "resend") finds the token, writes
nothing, and is sent where the first one went with a message saying so. A form that comes back with
errors leaves its token unused, so the corrected form can be sent.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from friendship_portal.core.models import FormSubmission

FIELD = "submission"


def new_token() -> str:
    return uuid.uuid4().hex


def once_per_form(view):
    @wraps(view)
    def once(request, *args, **kwargs):
        token = request.POST.get(FIELD, "")[:64] if request.method == "POST" else ""
        if not token:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    sent = FormSubmission.objects.create(token=token, user=request.user)
            except IntegrityError:
                sent = None
            if sent is None:
                first = FormSubmission.objects.filter(token=token).first()
                messages.info(request, _("This form had already been sent; it was taken into account once."))
                return redirect(first.redirect_to if first and first.redirect_to else request.path)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and response.get("Location"):
                sent.redirect_to = response["Location"][:500]
                sent.save(update_fields=["redirect_to"])
            else:
                # The form came back (errors): nothing was made, and the corrected form may be sent.
                transaction.set_rollback(True)
            return response

    return once
