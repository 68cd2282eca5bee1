"""The demo accounts of the Kota Solok demo (all with password ``demo``)."""

from __future__ import annotations

from dataclasses import dataclass

from sanitasi.web import roles

DEMO_PASSWORD = "demo"
DEMO_CITY = "13.72"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    description: str
    city_kode: str = ""
    agency_code: str = ""
    kecamatan_kode: str = ""
    province_kode: str = ""


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", roles.ADMIN, "administrator"),
    DemoUser("koordinator", roles.KOORDINATOR, "Bappeda Kota Solok", DEMO_CITY, "BAPPEDA"),
    DemoUser("opd-dlh", roles.OPD, "DLH Kota Solok", DEMO_CITY, "DLH"),
    DemoUser("opd-perkim", roles.OPD, "Dinas Perkim Kota Solok", DEMO_CITY, "PERKIM"),
    DemoUser(
        "kecamatan-ls",
        roles.KECAMATAN,
        "Kecamatan Lubuk Sikarah",
        DEMO_CITY,
        "KEC_LS",
        kecamatan_kode="13.72.01",
    ),
    DemoUser(
        "fasilitator", roles.FASILITATOR, "Fasilitator Provinsi Sumatera Barat", province_kode="13"
    ),
    DemoUser("viewer", roles.VIEWER, "Kota Solok (read only)", DEMO_CITY),
    DemoUser("nasional", roles.NATIONAL, "Bappenas / PUPR (national viewer)"),
)


def ensure_demo_users() -> list[str]:
    """Create (or reset) the demo accounts with password ``demo``; return their names."""
    from django.contrib.auth import get_user_model

    from sanitasi.web.accounts.models import UserProfile

    User = get_user_model()
    names = []
    for d in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=d.username)
        user.is_active = True
        user.is_staff = user.is_superuser = d.role == roles.ADMIN
        user.first_name = d.description[:150]
        user.set_password(DEMO_PASSWORD)
        user.save()
        UserProfile.objects.update_or_create(
            user=user,
            defaults=dict(
                role=d.role,
                city_kode=d.city_kode,
                agency_code=d.agency_code,
                kecamatan_kode=d.kecamatan_kode,
                province_kode=d.province_kode,
            ),
        )
        names.append(d.username)
    return names


def demo_logins_text() -> str:
    """The demo logins as a small table (printed by ``load_city --demo`` and ``make run``)."""
    width = max(len(d.username) for d in DEMO_USERS)
    lines = [f"Demo logins (password: {DEMO_PASSWORD}):"]
    for d in DEMO_USERS:
        lines.append(f"  {d.username:<{width}}  {d.role:<11}  {d.description}")
    return "\n".join(lines)
