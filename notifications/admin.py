from django.contrib import admin

from mniop.admin import ReadOnlyModelAdmin
from notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "template", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "template"]
    exclude = ["recipient", "link"]
