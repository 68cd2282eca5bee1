from __future__ import annotations

from django.contrib import admin

from sanitasi.web.accounts.models import LoginThrottle, UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "city_kode", "agency_code", "kecamatan_kode", "province_kode")
    list_filter = ("role", "city_kode")


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Locked user names; delete a row to unlock it before the cool-off ends."""

    list_display = ("username", "failures", "last_failure", "locked_until")
