"""Content-Security-Policy header on every response (issue 12 item 6): a small middleware
instead of a dependency.

The policy (``settings.SANITASI_CSP``, env ``SANITASI_CSP`` to replace it) allows scripts,
styles, images, fonts and connections from the site itself only: the pages load the vendored
HTMX and Vega builds from ``/static/`` (no CDN, no inline script; the chart specs are a
``type="application/json"`` data block, which is not executed). Two concessions, both for
the vendored libraries: ``style-src 'unsafe-inline'`` (vega-embed and HTMX insert their small
``<style>`` elements and Vega positions its tooltip with style attributes) and ``img-src
data: blob:`` (the charts' "save as PNG/SVG" links). Vega's expressions are evaluated by its
interpreter (``ast: true`` in ``static/sanitasi/charts.js``), so no ``'unsafe-eval'``.
``frame-ancestors 'none'`` repeats X-Frame-Options for browsers that read only CSP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

DEFAULT_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` (``settings.SANITASI_CSP``, else
    :data:`DEFAULT_POLICY`) to every response that has none yet."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        response = self.get_response(request)
        policy = getattr(settings, "SANITASI_CSP", None) or DEFAULT_POLICY
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


__all__ = ["DEFAULT_POLICY", "ContentSecurityPolicyMiddleware"]
