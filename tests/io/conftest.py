"""The questionnaire mechanics run on version 1 of the imaging template: it holds every answer
type (yes/no/partial among them, which custom templates still use). Version 2's own answer
formats are tested in tests/foundation/test_template_library.py."""

from __future__ import annotations

import pytest

from vendor_eval.services import evaluations
from vendor_eval.storage import Database

IMAGING_V1 = "Medical imaging outsourcing and teleradiology (version 1)"


@pytest.fixture
def imaging_eval(db: Database) -> int:
    return evaluations.create_from_template(db, IMAGING_V1, "Teleradiology RFP", "officer", "North Valley Health")
