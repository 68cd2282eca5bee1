"""The use cases' own refusals: a request the inputs cannot answer (e.g. an SFD year the
ladder does not have), beside bad input (:class:`~sanitasi.io.errors.InputErrors`)."""

from __future__ import annotations

from collections.abc import Sequence

from sanitasi.io.errors import Problem
from sanitasi.reports.i18n import t


class AppError(Exception):
    """A refused request: ``key`` is a message of :mod:`sanitasi.reports.i18n` filled with
    ``params``; ``problems`` are the input problems behind it, if any (listed after the
    message). The CLI prints them and exits with code 2."""

    def __init__(self, key: str, problems: Sequence[Problem] = (), **params: object) -> None:
        self.key = key
        self.params = dict(params)
        self.problems = tuple(problems)
        super().__init__(self.message("en"))

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)


__all__ = ["AppError"]
