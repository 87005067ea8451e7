"""The built-in criteria templates and the validation of template files."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from vendor_eval.errors import ValidationError
from vendor_eval.io.templates import builtin_templates, load_template, parse_template, save_template
from vendor_eval.paths import templates_dir

IMAGING = "Medical imaging outsourcing and teleradiology"
AREAS = ("interoperab", "ai validation", "service level", "security", "deployment", "tariff", "clinical",
         "modalit", "commercial", "governance")


def test_imaging_template_covers_every_area_with_enough_criteria() -> None:
    spec = load_template(builtin_templates()[IMAGING])
    assert len(spec.groups) >= 10
    assert spec.criteria_count >= 45
    names = " | ".join(g.name.lower() for g in spec.groups)
    assert all(area in names for area in AREAS), names
    for group in spec.groups:
        for c in group.criteria:
            assert c.guidance.strip() and c.provide.strip() and c.question.strip(), c.key
            if c.knockout:  # pass/fail gates
                assert sorted(c.descriptors) == ["0", "1"] and (c.scale_min, c.scale_max) == (0, 1), c.key
            else:
                assert sorted(c.descriptors) == ["0", "1", "2", "3", "4", "5"], c.key
                assert (c.scale_min, c.scale_max) == (0, 5)


def test_imaging_template_weights_sum_to_100_at_both_levels() -> None:
    spec = load_template(builtin_templates()[IMAGING])
    assert sum(g.weight for g in spec.groups) == pytest.approx(100)
    for group in spec.groups:
        assert sum(c.weight for c in group.criteria) == pytest.approx(100), group.name


def test_imaging_template_names_the_domain_knockouts() -> None:
    spec = load_template(builtin_templates()[IMAGING])
    knockouts = {c.key for g in spec.groups for c in g.criteria if c.knockout}
    assert knockouts == {"security.baa_dpa", "clinical.licensure_board_cert", "sla.stat_commitment",
                         "sla.critical_findings", "clinical.exclusion_screening", "clinical.mqsa"}


def test_generic_template_is_small_and_valid() -> None:
    spec = load_template(builtin_templates()["Generic services RFP"])
    assert 3 <= len(spec.groups) <= 6 and spec.criteria_count <= 20


def _raw() -> dict[str, Any]:
    return json.loads((templates_dir() / "generic_services.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t["groups"][0]["criteria"][1].pop("name"), r"groups\[0\]\.criteria\[1\]\.name is missing"),
        (lambda t: t["groups"][1].__setitem__("weight", -5), r"groups\[1\]\.weight must be a number >= 0, got -5"),
        (lambda t: t["groups"][0]["criteria"][0].__setitem__("weight", "heavy"),
         r"groups\[0\]\.criteria\[0\]\.weight must be a number, got 'heavy'"),
        (lambda t: t["groups"][0]["criteria"][0].__setitem__("knockout", "yes"),
         r"groups\[0\]\.criteria\[0\]\.knockout must be true or false"),
        (lambda t: t["groups"][0]["criteria"][0]["answer"].__setitem__("type", "essay"),
         r"groups\[0\]\.criteria\[0\]\.answer\.type must be one of"),
        (lambda t: t.__setitem__("format_version", 99), r"format_version must be 1 or 2, got 99"),
        (lambda t: [c.__setitem__("weight", 0) for c in t["groups"][2]["criteria"]],
         r"groups\[2\]\.criteria have weights that sum to zero"),
        (lambda t: t["groups"][0]["criteria"][1].__setitem__("key", t["groups"][0]["criteria"][0]["key"]),
         r"groups\[0\]\.criteria\[1\]\.key repeats the key"),
    ],
)
def test_malformed_templates_are_refused_naming_the_field(mutate: Any, message: str) -> None:
    data = copy.deepcopy(_raw())
    mutate(data)
    with pytest.raises(ValidationError, match=message):
        parse_template(data, "broken.json")


def test_unreadable_template_files_get_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad.json is not valid JSON \(line 1"):
        load_template(bad)
    with pytest.raises(ValidationError, match="does not exist"):
        load_template(tmp_path / "missing.json")


@pytest.mark.parametrize("name", [IMAGING, IMAGING + " (version 1)"])
def test_a_saved_template_loads_back_identically(tmp_path: Path, name: str) -> None:
    spec = load_template(builtin_templates()[name])
    out = tmp_path / "copy.json"
    save_template(spec, out)
    assert load_template(out) == spec
