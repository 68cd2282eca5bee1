import pytest
from django.test import Client
from webhelpers import DEMO

@pytest.mark.django_db
def test_smoke(demo):
    for u, url in [("opd-dlh","/"),("kecamatan-ls","/"),("koordinator", f"/cities/{DEMO}/reporting/"),("opd-dlh", f"/cities/{DEMO}/agency/DLH/"),("kecamatan-ls", f"/cities/{DEMO}/kecamatan/13.72.01/")]:
        c = Client(); c.force_login(__import__("django.contrib.auth", fromlist=["x"]).get_user_model().objects.get(username=u))
        r = c.get(url, follow=True)
        print(u, url, r.status_code, r.redirect_chain)
        assert r.status_code == 200, r.content[:3000]
        open(f"/tmp/page_{u}.html","wb").write(r.content)
