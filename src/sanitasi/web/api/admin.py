from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sanitasi.web.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")
    search_fields = ("user__username",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # issued by ``python -m sanitasi.web.manage api_token <username>``
