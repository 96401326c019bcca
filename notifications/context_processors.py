from notifications.models import Notification


def unread_notifications(request):
    """Le nombre de notifications non lues, pour l'en-tête. Les gabarits appellent la fonction : une requête au plus,
    et seulement si l'en-tête l'affiche."""
    user = getattr(request, "user", None)
    cache = {}

    def unread_notification_count():
        if "count" not in cache:
            cache["count"] = Notification.objects.for_user(user).unread().count()
        return cache["count"]

    return {"unread_notification_count": unread_notification_count}
