"""What an edit changed, as typed flags: the session announces them, each screen declares the
ones it shows (``Screen.depends_on``) and is refreshed when they meet."""

from __future__ import annotations

import enum


class Change(enum.Flag):
    SCORES = enum.auto()
    CONSENSUS = enum.auto()
    WEIGHTS = enum.auto()
    CRITERIA = enum.auto()  # the tree: groups, criteria, scales, rules, knock-outs
    VENDORS = enum.auto()
    EVALUATORS = enum.auto()
    DECLARATIONS = enum.auto()
    SETTINGS = enum.auto()  # evaluation settings: aggregation, policies, thresholds, name
    STATUS = enum.auto()  # lifecycle: scoring, submitted, finalised
    QUESTIONNAIRES = enum.auto()  # vendors' answers and the suggestions derived from them
    TARIFFS = enum.auto()  # cost lines and tariff scenarios
    VIEW = enum.auto()  # the Results picker (method, aggregation, scenario): nothing stored
    # Everything the database holds; VIEW is not stored, so it is not part of a reload.
    STORED = (SCORES | CONSENSUS | WEIGHTS | CRITERIA | VENDORS | EVALUATORS | DECLARATIONS | SETTINGS
              | STATUS | QUESTIONNAIRES | TARIFFS)
    ALL = STORED | VIEW


# The free-string kinds of the earlier API ("scores", "all", "import", "method"...), still accepted.
_OLD_NAMES = {"all": Change.ALL, "import": Change.STORED, "method": Change.VIEW, "evaluators": Change.EVALUATORS}


def as_change(kind: Change | str) -> Change:
    """A Change, from a Change or from an old string kind (an unknown string is an error, not silence)."""
    if isinstance(kind, Change):
        return kind
    return _OLD_NAMES.get(kind) or Change[kind.upper()]
