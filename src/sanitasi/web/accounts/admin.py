from __future__ import annotations

from django.contrib import admin

from sanitasi.web.accounts.models import UserProfile


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "city_kode", "agency_code", "kecamatan_kode", "province_kode")
    list_filter = ("role", "city_kode")
