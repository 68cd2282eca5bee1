"""A named scenario of a city (the database twin of ``scenarios/<name>.toml``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanitasi.io.scenarios import Scenario as ScenarioSpec
from sanitasi.web.basemodels import CODE_LENGTH, CityOwned
from sanitasi.web.scope import PLAN, RowScope


class Scenario(CityOwned):
    """One scenario: the target sets the needs-based plan is run with (empty: the city's
    default sets), parameter overrides (name -> value text), unit-cost factors (item ->
    factor > 0) and the name of a stored budget file for its optimised plan (blank: none).
    Validated by :func:`sanitasi.io.scenarios.parse_scenario` (``sanitasi.web.scenarios
    .validate``), the same rules as a scenario file."""

    name = models.SlugField(_("name"), max_length=CODE_LENGTH)
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    target_sets = models.JSONField(_("target sets"), default=list, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    unit_cost_factors = models.JSONField(_("unit-cost factors"), default=dict, blank=True)
    budget = models.CharField(_("budget file"), max_length=CODE_LENGTH, blank=True)

    row_scope: ClassVar[RowScope] = RowScope(PLAN)
    audit_changes: ClassVar[bool] = True

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["city_kode", "name"]
        constraints = [
            models.UniqueConstraint(fields=["city_kode", "name"], name="scenario_uniq"),
        ]

    def __str__(self) -> str:
        return self.name

    def data(self) -> dict[str, Any]:
        """The mapping a scenario file would hold (the keys :func:`parse_scenario` reads)."""
        out: dict[str, Any] = {}
        for key in ("title", "title_en", "description", "budget"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if self.target_sets:
            out["target_sets"] = list(self.target_sets)
        if self.parameters:
            out["parameters"] = {k: typed(v) for k, v in dict(self.parameters).items()}
        if self.unit_cost_factors:
            out["unit_cost_factors"] = {
                k: typed(v) for k, v in dict(self.unit_cost_factors).items()
            }
        return out

    def file(self) -> str:
        """Where its problems are said to be (``scenario <name>``)."""
        return f"scenario {self.name}"


def typed(value: Any) -> Any:
    """A value entered as text as TOML would have typed it: a number when it reads as one
    (Indonesian decimal comma accepted), else the text."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        return float(text.replace(",", ".")) if text.count(",") <= 1 else text
    except ValueError:
        return text


__all__ = ["Scenario", "ScenarioSpec", "typed"]
