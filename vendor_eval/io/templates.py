"""Criteria templates: JSON files that describe groups, criteria, weights and scales.

Loading validates everything and names the offending field in one sentence
("imaging.json: groups[2].criteria[0].weight must be a number >= 0, got -5"),
because a template may come from a colleague's hand-edited file.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from vendor_eval.errors import ValidationError
from vendor_eval.paths import templates_dir
from vendor_eval.scoring.rules import RuleError, check_rule
from vendor_eval.vocabulary import ANSWER_TYPES, RULE_KINDS

FORMAT = "vendor_eval.template"
FORMAT_VERSION = 2  # 2 adds vendor-facing "provide" text, award conditions, sources and notes
READABLE_FORMAT_VERSIONS = (1, 2)
MAX_TEMPLATE_BYTES = 5_000_000


@dataclass(frozen=True)
class AnswerSpec:
    type: str = "text"
    unit: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    integer: bool = False  # whole numbers only (counts, minutes): 2.5 sites is a typing slip
    example: str = ""  # how a correct answer looks, e.g. "45 (for 45 minutes)"


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    name: str
    question: str
    guidance: str
    weight: float
    scale_min: float
    scale_max: float
    descriptors: dict[str, str]
    direction: str = "max"
    knockout: bool = False
    knockout_min: float | None = None
    cost: bool = False
    answer: AnswerSpec = field(default_factory=AnswerSpec)
    scoring_rule: dict[str, Any] | None = None
    # What the vendor reads (what to provide, what makes an answer compliant); `guidance` is the
    # evaluators' note and never leaves the buyer.
    provide: str = ""
    award_conditions: tuple[str, ...] = ()  # become the evaluation's conditions of award
    sources: tuple[str, ...] = ()  # where each figure in the texts comes from (or "unsourced")


@dataclass(frozen=True)
class GroupSpec:
    name: str
    description: str
    weight: float
    criteria: tuple[CriterionSpec, ...]


@dataclass(frozen=True)
class TemplateSpec:
    name: str
    description: str
    groups: tuple[GroupSpec, ...]
    version: str = "1"
    notes: tuple[str, ...] = ()  # why the defaults are what they are (weights, gates)

    @property
    def criteria_count(self) -> int:
        return sum(len(g.criteria) for g in self.groups)


class _Reader:
    """Typed field access that reports the JSON path of what is wrong."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, path: str, message: str) -> ValidationError:
        return ValidationError(f"{self.source}: {path} {message}.")

    def obj(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(path, f"must be an object, got {type(data).__name__}")
        return data

    def get(self, data: dict[str, Any], key: str, path: str, default: Any = ...) -> Any:
        if key not in data:
            if default is ...:
                raise self.fail(f"{path}.{key}" if path else key, "is missing")
            return default
        return data[key]

    def text(self, data: dict[str, Any], key: str, path: str, default: Any = ..., required: bool = True) -> str:
        value = self.get(data, key, path, default)
        where = f"{path}.{key}" if path else key
        if not isinstance(value, str):
            raise self.fail(where, f"must be text, got {value!r}")
        if required and not value.strip():
            raise self.fail(where, "must not be empty")
        return value

    def number(self, data: dict[str, Any], key: str, path: str, default: Any = ..., minimum: float | None = None) -> Any:
        value = self.get(data, key, path, default)
        where = f"{path}.{key}" if path else key
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(where, f"must be a number, got {value!r}")
        if minimum is not None and value < minimum:
            raise self.fail(where, f"must be a number >= {minimum:g}, got {value!r}")
        return float(value)

    def flag(self, data: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = self.get(data, key, path, default)
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", f"must be true or false, got {value!r}")
        return value

    def texts(self, data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = self.get(data, key, path, [])
        if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
            raise self.fail(f"{path}.{key}" if path else key, "must be a list of non-empty texts")
        return tuple(value)

    def items(self, data: dict[str, Any], key: str, path: str) -> list[Any]:
        value = self.get(data, key, path)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{path}.{key}" if path else key, "must be a non-empty list")
        return value


def parse_template(data: Any, source: str = "template") -> TemplateSpec:
    r = _Reader(source)
    root = r.obj(data, "the file")
    if root.get("format") != FORMAT:
        raise r.fail("format", f"must be {FORMAT!r}, got {root.get('format')!r}")
    if root.get("format_version") not in READABLE_FORMAT_VERSIONS:
        readable = " or ".join(str(v) for v in READABLE_FORMAT_VERSIONS)
        raise r.fail("format_version", f"must be {readable}, got {root.get('format_version')!r}")
    groups: list[GroupSpec] = []
    keys: set[str] = set()
    names: set[str] = set()
    for gi, graw in enumerate(r.items(root, "groups", "")):
        gpath = f"groups[{gi}]"
        g = r.obj(graw, gpath)
        criteria: list[CriterionSpec] = []
        for ci, craw in enumerate(r.items(g, "criteria", gpath)):
            cpath = f"{gpath}.criteria[{ci}]"
            criterion = _parse_criterion(r, r.obj(craw, cpath), cpath)
            if criterion.key in keys:
                raise r.fail(f"{cpath}.key", f"repeats the key {criterion.key!r}")
            if criterion.name in names:
                raise r.fail(f"{cpath}.name", f"repeats the criterion name {criterion.name!r}")
            keys.add(criterion.key)
            names.add(criterion.name)
            criteria.append(criterion)
        group = GroupSpec(
            name=r.text(g, "name", gpath),
            description=r.text(g, "description", gpath, "", required=False),
            weight=r.number(g, "weight", gpath, minimum=0),
            criteria=tuple(criteria),
        )
        if sum(c.weight for c in criteria) <= 0:
            raise r.fail(f"{gpath}.criteria", "have weights that sum to zero; give at least one a positive weight")
        groups.append(group)
    if len({g.name for g in groups}) != len(groups):
        raise r.fail("groups", "contain two groups with the same name")
    if sum(g.weight for g in groups) <= 0:
        raise r.fail("groups", "have weights that sum to zero; give at least one a positive weight")
    version = r.get(root, "version", "", "1")
    if isinstance(version, bool) or not isinstance(version, (str, int)) or not str(version).strip():
        raise r.fail("version", f"must be a text or a whole number, got {version!r}")
    return TemplateSpec(
        name=r.text(root, "name", ""),
        description=r.text(root, "description", "", "", required=False),
        groups=tuple(groups),
        version=str(version),
        notes=r.texts(root, "notes", ""),
    )


def _parse_criterion(r: _Reader, c: dict[str, Any], path: str) -> CriterionSpec:
    key = r.text(c, "key", path)
    scale = r.obj(r.get(c, "scale", path, {"min": 0, "max": 5}), f"{path}.scale")
    smin = r.number(scale, "min", f"{path}.scale")
    smax = r.number(scale, "max", f"{path}.scale")
    if smax <= smin:
        raise r.fail(f"{path}.scale", f"must have max above min, got {smin:g}..{smax:g}")
    descriptors_raw = r.obj(r.get(c, "descriptors", path, {}), f"{path}.descriptors")
    descriptors = {}
    for point, text in descriptors_raw.items():
        if not isinstance(text, str):
            raise r.fail(f"{path}.descriptors.{point}", f"must be text, got {text!r}")
        descriptors[str(point)] = text
    direction = r.text(c, "direction", path, "max")
    if direction not in ("max", "min"):
        raise r.fail(f"{path}.direction", f"must be 'max' or 'min', got {direction!r}")
    answer_raw = r.obj(r.get(c, "answer", path, {"type": "text"}), f"{path}.answer")
    answer_type = r.text(answer_raw, "type", f"{path}.answer")
    if answer_type not in ANSWER_TYPES:
        raise r.fail(f"{path}.answer.type", f"must be one of {', '.join(ANSWER_TYPES)}, got {answer_type!r}")
    choices = answer_raw.get("choices", [])
    if not isinstance(choices, list) or not all(isinstance(x, str) for x in choices):
        raise r.fail(f"{path}.answer.choices", "must be a list of texts")
    if answer_type in ("single_choice", "multi_choice") and not choices:
        raise r.fail(f"{path}.answer.choices", f"must list the choices of a {answer_type} answer")
    if len(set(choices)) != len(choices):
        raise r.fail(f"{path}.answer.choices", "repeat a choice")
    answer = AnswerSpec(
        type=answer_type,
        unit=r.text(answer_raw, "unit", f"{path}.answer", "", required=False),
        min=r.number(answer_raw, "min", f"{path}.answer", None),
        max=r.number(answer_raw, "max", f"{path}.answer", None),
        choices=tuple(choices),
        integer=r.flag(answer_raw, "integer", f"{path}.answer", False),
        example=r.text(answer_raw, "example", f"{path}.answer", "", required=False),
    )
    if answer.min is not None and answer.max is not None and answer.max < answer.min:
        raise r.fail(f"{path}.answer", f"must have max at or above min, got {answer.min:g}..{answer.max:g}")
    rule = r.get(c, "scoring_rule", path, None)
    if rule is not None:
        rule = r.obj(rule, f"{path}.scoring_rule")
        if rule.get("kind") not in RULE_KINDS:
            raise r.fail(f"{path}.scoring_rule.kind", f"must be one of {', '.join(RULE_KINDS)}, got {rule.get('kind')!r}")
        try:
            check_rule(rule)
        except RuleError as exc:
            raise r.fail(f"{path}.scoring_rule", f"is not valid: {exc}") from None
    knockout = r.flag(c, "knockout", path, False)
    knockout_min = r.number(c, "knockout_min", path, None)
    if knockout and knockout_min is None:
        raise r.fail(f"{path}.knockout_min", "is needed for a knock-out criterion (the minimum score that passes)")
    return CriterionSpec(
        key=key,
        name=r.text(c, "name", path),
        question=r.text(c, "question", path, "", required=False),
        guidance=r.text(c, "guidance", path, "", required=False),
        weight=r.number(c, "weight", path, minimum=0),
        scale_min=smin,
        scale_max=smax,
        descriptors=descriptors,
        direction=direction,
        knockout=knockout,
        knockout_min=knockout_min,
        cost=r.flag(c, "cost", path, False),
        answer=answer,
        scoring_rule=rule,
        provide=r.text(c, "provide", path, "", required=False),
        award_conditions=r.texts(c, "award_conditions", path),
        sources=r.texts(c, "sources", path),
    )


def load_template(path: Path) -> TemplateSpec:
    try:
        stat = path.stat()
        if stat.st_size > MAX_TEMPLATE_BYTES:
            raise ValidationError(f"{path.name} is larger than {MAX_TEMPLATE_BYTES // 1_000_000} MB; it is not a template.")
        return _load_template(path.resolve(), stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        raise ValidationError(f"The template file {path} does not exist.") from None


@lru_cache(maxsize=64)
def _load_template(path: Path, _mtime_ns: int, _size: int) -> TemplateSpec:
    """A template file parsed once while it is unchanged (the spec is frozen, so it is shared):
    builtin_templates() reads every shipped file on each call, and each new evaluation calls it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(f"The template file {path} does not exist.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path.name} is not UTF-8 text; it is not a template.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).") from None
    return parse_template(data, path.name)


def template_to_json(spec: TemplateSpec) -> dict[str, Any]:
    groups = []
    for g in spec.groups:
        criteria = []
        for c in g.criteria:
            answer = {k: v for k, v in asdict(c.answer).items() if v is not None and v != "" and v != ()}
            if not c.answer.integer:
                answer.pop("integer")
            if "choices" in answer:
                answer["choices"] = list(answer["choices"])
            criteria.append({
                "key": c.key, "name": c.name, "question": c.question, "provide": c.provide,
                "guidance": c.guidance, "weight": c.weight, "scale": {"min": c.scale_min, "max": c.scale_max},
                "descriptors": c.descriptors, "direction": c.direction, "knockout": c.knockout,
                "knockout_min": c.knockout_min, "cost": c.cost, "answer": answer,
                "scoring_rule": c.scoring_rule, "award_conditions": list(c.award_conditions),
                "sources": list(c.sources),
            })
        groups.append({"name": g.name, "description": g.description, "weight": g.weight, "criteria": criteria})
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "name": spec.name, "version": spec.version,
            "description": spec.description, "notes": list(spec.notes), "groups": groups}


def save_template(spec: TemplateSpec, path: Path) -> None:
    path.write_text(json.dumps(template_to_json(spec), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def builtin_templates() -> dict[str, Path]:
    """Template name -> file, for the templates shipped in resources/templates.

    The newest version of a template goes by its plain name; older versions stay listed as
    "NAME (version V)", so an evaluation made from one can be re-created or compared.
    """
    versions: dict[str, list[tuple[tuple[int, str], Path]]] = {}
    for path in sorted(templates_dir().glob("*.json")):
        spec = load_template(path)
        order = (int(spec.version), "") if spec.version.isdecimal() else (0, spec.version)
        versions.setdefault(spec.name, []).append((order, path))
    found: dict[str, Path] = {}
    for name, entries in versions.items():
        entries.sort()
        found[name] = entries[-1][1]
        for _order, path in entries[:-1]:
            found[versioned_name(name, load_template(path).version)] = path
    return found


def versioned_name(name: str, version: str) -> str:
    return f"{name} (version {version})"
