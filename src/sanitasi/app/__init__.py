"""The use-case layer: every step of a report run once, for the CLI and the web alike.

``cli`` and ``web`` call only these; they parse options (or requests), call a use case on a
:class:`CitySource` and print, write or render what it returns. The layer reads through the
io readers and computes with the core; ``reports`` never reads files.

* :func:`plan_report` -- load -> plan -> programme chapters -> Bab II instrument chapters ->
  greenhouse gases (:func:`ghg_chapter`);
* :func:`monitoring_report`, :func:`agency_brief` -- Bab VI monitoring and an agency's brief;
* :func:`risk_analysis`, :func:`sfd_analysis`, :func:`survey_analysis`,
  :func:`apply_survey_to_folder` -- the instrument reports;
* sources: :class:`CitySource` (protocol), :class:`FolderSource` (a city folder or the demo);
  the web's ``DatabaseSource`` lives in ``sanitasi.web.plans.source``.
"""

from __future__ import annotations

from sanitasi.app.errors import AppError
from sanitasi.app.ghg import GWP_CHOICES, ghg_chapter
from sanitasi.app.instruments import (
    SurveyApplied,
    apply_survey_to_folder,
    city_name,
    instrument_chapters,
    risk_analysis,
    sfd_analysis,
    survey_analysis,
)
from sanitasi.app.monitoring import agency_brief, monitoring_report
from sanitasi.app.plan import plan_report, with_programme
from sanitasi.app.source import (
    GHG_FILES,
    INSTRUMENT_FILES,
    INSTRUMENTS,
    CitySource,
    FolderSource,
    InstrumentInputs,
    PlanRequest,
    read_instruments,
)

__all__ = [
    "GHG_FILES",
    "GWP_CHOICES",
    "INSTRUMENTS",
    "INSTRUMENT_FILES",
    "AppError",
    "CitySource",
    "FolderSource",
    "InstrumentInputs",
    "PlanRequest",
    "SurveyApplied",
    "agency_brief",
    "apply_survey_to_folder",
    "city_name",
    "ghg_chapter",
    "instrument_chapters",
    "monitoring_report",
    "plan_report",
    "read_instruments",
    "risk_analysis",
    "sfd_analysis",
    "survey_analysis",
    "with_programme",
]
