"""Les pages de la notification statistique anonyme : le court formulaire (depuis la page de départ du signalement)
et la confirmation. Vues minces : la portée vient de `visible_to`, les règles du service."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts.audit import log_access
from accounts.models import AccessAction
from mniop.forms import add_service_errors
from signalements.forms.anonymous_notifications import AnonymousNotificationForm
from signalements.models import AnonymousNotification
from signalements.permissions import filing_refusal
from signalements.services.anonymous_notifications import file_anonymous_notification


def anonymous_notification_create(request):
    refusal = filing_refusal(request.user)
    if refusal is not None:
        return render(request, "signalements/intake/filing_refused.html", {"reason": refusal}, status=403)
    form = AnonymousNotificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notification = file_anonymous_notification(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return render(request, "signalements/intake/filing_refused.html", {"reason": str(error)}, status=403)
        else:
            log_access(request, action=AccessAction.CREATE, obj=notification)
            return redirect("signalements:anonymous_notification_detail", public_id=notification.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "signalements/anonymous_notification_form.html", {"form": form}, status=status)


def anonymous_notification_detail(request, public_id):
    notification = get_object_or_404(
        AnonymousNotification.objects.visible_to(request.user)
        .select_related("departement", "identifying_body")
        .prefetch_related("exploitation_forms"),
        public_id=public_id,
    )
    log_access(request, action=AccessAction.READ, obj=notification)
    return render(request, "signalements/anonymous_notification_detail.html", {"notification": notification})
