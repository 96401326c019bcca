"""La page des notifications de la personne connectée : la liste, marquer une ou toutes comme lues."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from notifications.models import Notification
from notifications.services import mark_all_notifications_read, mark_notification_read


def log_access(request, **kwargs):
    """Le journal d'accès d'`accounts` (`MNIOP["ACCESS_LOGGER"]`) : `notifications` ne dépend pas d'`accounts`."""
    return import_string(settings.MNIOP["ACCESS_LOGGER"])(request, **kwargs)


def notification_list(request):
    """Les titres des notifications nomment des dossiers (référence, étape) : leur lecture est journalisée."""
    notifications = Notification.objects.for_user(request.user).order_by("-created_at", "-pk")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    log_access(request, action="search", model=Notification)
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@require_POST
def notification_mark_read(request, public_id):
    notification = get_object_or_404(Notification.objects.for_user(request.user), public_id=public_id)
    mark_notification_read(notification=notification, by=request.user)
    return redirect("notifications:notification_list")


@require_POST
def notification_mark_all_read(request):
    count = mark_all_notifications_read(by=request.user)
    if count:
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("notifications:notification_list")
