"""Réglage des délais (administration de la Miprof) et préférences de rappel (chaque personne)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.reauth import recent_auth_required
from mniop.forms import add_service_errors
from mniop.roles import role_required
from orientation.forms import ClockSettingsForm, NotificationPreferenceForm
from orientation.models import ClockSettings, NotificationPreference
from orientation.permissions import can_manage_clock_settings
from orientation.services.clocks import update_clock_settings


@role_required(can_manage_clock_settings)
@recent_auth_required(only_writes=True)
def clock_settings(request):
    form = ClockSettingsForm(request.POST or None, instance=ClockSettings.current())
    if request.method == "POST" and form.is_valid():
        try:
            update_clock_settings(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Délais enregistrés : ils s'appliquent aux prochaines étapes.")
            return redirect("orientation:clock_settings")
    return render(request, "orientation/clock_settings.html", {"form": form})


def notification_preferences(request):
    preference, _ = NotificationPreference.objects.get_or_create(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Préférences de rappel enregistrées.")
        return redirect("orientation:notification_preferences")
    return render(request, "orientation/notification_preferences.html", {"form": form})
