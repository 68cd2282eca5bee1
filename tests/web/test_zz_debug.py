# ruff: noqa
import os
from test_web_e2e import DEMO, Browser, Session, browser, demo_live
from test_web_e2e_screens import _login, charts_drawn

def test_dbg(demo_live, browser):
    s = Session(browser, demo_live)
    s.page.set_viewport_size({"width": int(os.environ.get("DBG_W", "390")), "height": 844})
    _login(s, os.environ.get("DBG_ROLE", "koordinator"))
    for path in os.environ["DBG_PATHS"].split(","):
        s.goto(path)
        charts_drawn(s.page)
        print(path, s.page.evaluate(os.environ["DBG_JS"]))
    s.close()
