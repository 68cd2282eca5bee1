"""Web benchmark: response times of the main pages on the Kota Solok demo.

Run ``python benchmarks/web.py [--repeat N]``. It creates a throwaway SQLite database (WAL)
in a temporary ``SANITASI_HOME`` (or uses ``DATABASE_URL`` if set: then the database must be
empty), migrates, loads the demo, then requests each page through Django's test client as the
koordinator (the role that sees the most) and prints, per page, the first (cold: the plan is
computed, the cache is empty) and the median of the following requests (warm), in ms, with
the response size. Figures vary with the machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable


def _setup() -> None:
    os.environ.setdefault("SANITASI_HOME", tempfile.mkdtemp(prefix="sanitasi-bench-web-"))
    os.environ.setdefault("SANITASI_SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # CSS it ignores, not our figures


def _ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000.0


def main(repeat: int) -> None:
    _setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from sanitasi.web.loader import load_city_folder

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t1 = time.perf_counter()
    result = load_city_folder(None, demo=True, on_exists="skip")
    t2 = time.perf_counter()
    kode = result.city_kode
    print(f"migrate: {(t1 - t0) * 1000:,.0f} ms; load demo ({kode}): {(t2 - t1) * 1000:,.0f} ms")
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")

    client = Client()
    client.force_login(get_user_model().objects.get(username="koordinator"))
    pages = [
        ("dashboard", f"/cities/{kode}/"),
        ("baseline", f"/cities/{kode}/baseline/"),
        ("plan settings", f"/cities/{kode}/plan/"),
        ("sasaran", f"/cities/{kode}/plan/sasaran/"),
        ("parameters", f"/cities/{kode}/plan/parameters/"),
        ("programme", f"/cities/{kode}/programme/"),
        ("boundaries", f"/cities/{kode}/boundaries/"),
        ("realisation", f"/cities/{kode}/realisation/"),
        ("meetings", f"/cities/{kode}/meetings/"),
        ("audit", f"/cities/{kode}/audit/"),
        ("api indicators", f"/api/cities/{kode}/indicators"),
        ("api activities", f"/api/cities/{kode}/activities"),
        ("plan.html", f"/cities/{kode}/downloads/plan.html"),
        ("plan.xlsx", f"/cities/{kode}/downloads/plan.xlsx"),
        ("monitoring.html", f"/cities/{kode}/downloads/monitoring.html"),
        ("plan.pdf", f"/cities/{kode}/downloads/plan.pdf"),
        ("monitoring.pdf", f"/cities/{kode}/downloads/monitoring.pdf"),
    ]
    print(f"{'page':<18}{'status':>7}{'cold ms':>10}{'warm ms':>10}{'kB':>9}")
    for name, url in pages:
        n = repeat
        times: list[float] = []
        status, size = 0, 0
        for _ in range(n + 1):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000.0)
            status, size = response.status_code, len(response.content)
        warm = statistics.median(times[1:])
        print(f"{name:<18}{status:>7}{times[0]:>10,.0f}{warm:>10,.0f}{size / 1024:>9,.0f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5, help="warm requests per page")
    main(ap.parse_args().repeat)
