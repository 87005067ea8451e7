"""The decision-state digest renders a column at a time through fast paths; every text must be
the one the value-by-value rule (_canonical) gives, or a seal written before would stop verifying."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text

from vendor_eval.storage.decision_state import _canonical, column_texts

COLUMNS = [
    (Float(), [1.0, 2.5, 0.1, -0.0, 1e-300]),
    (Float(), [1.0, None, 3]),  # NULL and an integer stored in a float column
    (Float(), [1.0, "4.5"]),  # text written behind the app's back
    (Integer(), [1, 2, 3_000_000_000]),
    (Integer(), [1, None, True]),
    (String(), ["Acme", "北京影像", "tab\there", ""]),
    (Text(), ["x", None]),
    (DateTime(), ["2026-11-28 22:07:21.580400", "2026-01-02 03:04:05.000000", "2026-01-02 03:04:05"]),
    (DateTime(), [datetime(2026, 3, 20, 9, 30), datetime(2026, 3, 20, 9, 30, 0, 17)]),
    (DateTime(), ["2026-11-28 22:07:21.580400", "2026-13-45 99:00:00.000000"]),  # not a date: kept as written
    (DateTime(), ["2026-11-28 22:07:21.580400", None]),
    (Boolean(), [0, 1, None, 2]),
    (JSON(), ['{"b":1,"a":[1,2]}', "null", None, "not json"]),
    (Float(), []),
]


@pytest.mark.parametrize(("kind", "values"), COLUMNS)
@pytest.mark.parametrize("json_as_text", [True, False])
def test_a_column_renders_as_its_values_one_by_one(kind: object, values: list[object], json_as_text: bool) -> None:
    if isinstance(kind, JSON) and not json_as_text:
        values = [{"b": 1, "a": [1, 2]}, None, [1, "x"]]  # psycopg hands JSON over parsed
    assert column_texts(values, kind, json_as_text) == [_canonical(v, kind, json_as_text) for v in values]
