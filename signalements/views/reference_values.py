"""Pages des listes de référence du signalement, réservées à la Miprof (administrateurs) : 403 pour les autres."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.audit import log_access
from accounts.models import AccessAction
from accounts.reauth import recent_auth_required
from mniop.forms import add_service_errors
from mniop.roles import role_required
from signalements.enums import ReferenceCategory
from signalements.forms.reference_values import (
    ReferenceCategoryFilterForm,
    ReferenceValueCreateForm,
    ReferenceValueUpdateForm,
)
from signalements.models import ReferenceValue
from signalements.permissions import can_manage_reference_values
from signalements.services.reference_values import (
    add_reference_value,
    relabel_reference_value,
    restore_reference_value,
    retire_reference_value,
)


def reference_manager_required(view):
    """L'administration de la Miprof seulement ; toute modification redemande mot de passe et second facteur s'ils
    datent de plus de quelques minutes (`accounts.reauth`)."""
    return role_required(can_manage_reference_values)(recent_auth_required(view, only_writes=True))


def list_url(category):
    return f"{reverse('signalements:reference_value_list')}?categorie={category}#liste-{category}"


@reference_manager_required
def reference_value_list(request):
    form = ReferenceCategoryFilterForm(request.GET or None)
    values = ReferenceValue.objects.order_by("category", "position", "label")
    selected = form.cleaned_data["categorie"] if form.is_valid() else ""
    if selected:
        values = values.in_category(selected)
    by_category = {category: [] for category in ReferenceCategory if not selected or category == selected}
    for value in values:
        by_category[ReferenceCategory(value.category)].append(value)
    log_access(request, action=AccessAction.SEARCH, model=ReferenceValue)
    return render(
        request,
        "signalements/reference_value_list.html",
        {"form": form, "groups": list(by_category.items())},
    )


@reference_manager_required
def reference_value_create(request):
    category = request.GET.get("categorie")
    initial = {"category": category} if category in ReferenceCategory.values else {}
    form = ReferenceValueCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            value = add_reference_value(
                category=form.cleaned_data["category"],
                label=form.cleaned_data["label"],
                code=form.cleaned_data["code"] or None,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.CREATE, obj=value)
            messages.success(request, f"« {value.label} » a été ajoutée à la liste {value.get_category_display()}.")
            return redirect(list_url(value.category))
    return render(request, "signalements/reference_value_create.html", {"form": form})


@reference_manager_required
def reference_value_update(request, public_id):
    value = get_object_or_404(ReferenceValue, public_id=public_id)
    form = ReferenceValueUpdateForm(request.POST or None, initial={"label": value.label})
    if request.method == "POST" and form.is_valid():
        try:
            value = relabel_reference_value(value=value, label=form.cleaned_data["label"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            log_access(request, action=AccessAction.UPDATE, obj=value)
            messages.success(request, f"Le libellé est désormais « {value.label} ».")
            return redirect(list_url(value.category))
    else:
        log_access(request, action=AccessAction.READ, obj=value)
    return render(request, "signalements/reference_value_update.html", {"form": form, "value": value})


def _change_retirement(request, public_id, service, done_message):
    value = get_object_or_404(ReferenceValue, public_id=public_id)
    try:
        value = service(value=value, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        log_access(request, action=AccessAction.UPDATE, obj=value)
        messages.success(request, done_message.format(label=value.label))
    return redirect(list_url(value.category))


@require_POST
@reference_manager_required
def reference_value_retire(request, public_id):
    return _change_retirement(
        request,
        public_id,
        retire_reference_value,
        "« {label} » est retirée : elle n'est plus proposée mais reste lisible dans les signalements existants.",
    )


@require_POST
@reference_manager_required
def reference_value_restore(request, public_id):
    return _change_retirement(request, public_id, restore_reference_value, "« {label} » est de nouveau proposée.")
