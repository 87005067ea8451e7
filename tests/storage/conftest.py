"""Storage tests score the first criteria of the imaging template on a 0-5 scale: version 1's
(version 2 opens with pass/fail knock-outs scored 0-1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import create_imaging_v1


@pytest.fixture
def imaging_eval(seed: Callable[..., int]) -> int:
    return seed("imaging-v1", create_imaging_v1)
