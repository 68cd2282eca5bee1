"""Province and national pages with 100 cities (issue 11 item 2; goal < 1 s).

Run ``python benchmarks/province_page.py [--cities N] [--repeat R]``. It creates a throwaway
SQLite database in a temporary ``SANITASI_HOME``, loads the Kota Solok demo (and builds its
summary from its plan run), adds N synthetic cities (regions, an active plan and a stored
summary each, as ``refresh_summaries`` leaves them; 60 % in province 91, the rest in 92),
then requests ``/provinces/91/`` and ``/national/`` as the national viewer and prints the
first and the median of the following response times (ms) and the number of queries.
Figures vary with the machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def _setup() -> None:
    os.environ.setdefault("SANITASI_HOME", tempfile.mkdtemp(prefix="sanitasi-bench-prov-"))
    os.environ.setdefault("SANITASI_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    import django

    django.setup()


def _synthetic(n: int) -> None:
    from sanitasi.web.geography.models import Region
    from sanitasi.web.monitoring import period
    from sanitasi.web.plans.models import Plan
    from sanitasi.web.regions_view import summary
    from sanitasi.web.regions_view.models import CitySummary

    quarter = summary.latest_closed_quarter(period.reporting_date())
    kodes = []
    for i in range(n):
        prov = "91" if i < n * 0.6 else "92"
        kode = f"{prov}.{i:02d}" if i < 100 else f"{prov}.{i}"
        p = Region.objects.create(
            city_kode=kode, kode=prov, nama=f"Provinsi {prov}", tingkat="provinsi"
        )
        Region.objects.create(
            city_kode=kode, kode=kode, nama=f"Kota {i}", tingkat="kabkota", parent=p
        )
        Plan.objects.create(city_kode=kode, base_year=2024, horizon=2045)
        kodes.append((kode, prov, i))
    versions = summary.current_versions([k for k, _p, _i in kodes], quarter)
    rows = []
    for kode, prov, i in kodes:
        figures = {}
        for j, ind in enumerate(
            ("pct_layak", "pct_aman", "pct_waste_pengurangan", "pct_waste_penanganan")
        ):
            den = 1000.0 + 37 * i + j
            figures[ind] = {
                "unit": "households" if j < 2 else "t/day",
                "base_den": den,
                "base_num": den * ((i * 7 + j * 13) % 100) / 100,
                "end_den": den * 1.05,
                "target_num": den * 0.9,
                "bau_num": den * 0.6,
                "national_num": den * 0.95,
                "gap_units": den * 0.35,
                "national_set": "SDG_2030",
            }
        rows.append(
            CitySummary(
                city_kode=kode,
                province_kode=prov,
                nama=f"Kota {i}",
                province_nama=f"Provinsi {prov}",
                version=versions[kode],
                base_year=2024,
                end_year=2029,
                figures=figures,
                year=quarter[0],
                quarter=quarter[1],
                expected=10,
                reported=i % 11,
                verified=i % 5,
            )
        )
    CitySummary.objects.bulk_create(rows)


def main(cities: int, repeat: int) -> None:
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from sanitasi.web.loader import load_city_folder
    from sanitasi.web.regions_view import summary

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    load_city_folder(None, demo=True, on_exists="skip")
    t0 = time.perf_counter()
    summary.build_summary("13.72")
    print(f"demo summary (plan run + monitoring): {(time.perf_counter() - t0) * 1000:,.0f} ms")
    t0 = time.perf_counter()
    _synthetic(cities)
    print(f"{cities} synthetic cities stored: {(time.perf_counter() - t0) * 1000:,.0f} ms")
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="nasional"))
    print(f"{'page':<18}{'status':>7}{'first ms':>10}{'median ms':>11}{'queries':>9}{'kB':>8}")
    for name, url in (("province 91", "/provinces/91/"), ("national", "/national/")):
        times = []
        status = size = queries = 0
        for _ in range(repeat + 1):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - t0) * 1000.0)
            status, size, queries = response.status_code, len(response.content), len(ctx)
        warm = statistics.median(times[1:]) if repeat else times[0]
        print(
            f"{name:<18}{status:>7}{times[0]:>10,.0f}{warm:>11,.0f}{queries:>9}{size / 1024:>8,.0f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    main(args.cities, args.repeat)
