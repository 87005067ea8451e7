"""The domain's fixed word lists, each defined once: the value stored, checked and typed on
the command line, and the words a person reads for it.

storage (defaults), scoring (validation), io (templates, questionnaires, reports), the CLI's
choices and the GUI's drop-downs all import them from here. Each is a dict in display
order: `value in X` checks a value, `", ".join(X)` lists the values, `X[value]` labels one.
Nothing of the project is imported here.
"""

from __future__ import annotations

STATUSES = {"draft": "Draft", "scoring": "Scoring", "finalised": "Finalised (read-only)"}

METHODS = {"weighted": "Weighted sum (0-100 points)", "topsis": "TOPSIS (closeness to the ideal)"}

AGGREGATIONS = {
    "mean": "Mean of the evaluators",
    "median": "Median",
    "trimmed": "Trimmed mean",
    "consensus": "Consensus where set, else mean",
}

MISSING_POLICIES = {
    "block": "the ranking is refused while any cell lacks a score",
    "minimum": "a cell without a score counts as the scale's worst value",
    "renormalise": "a cell without a score is left out and the vendor's remaining weights are rescaled to 100 %",
}

# What each policy means for the committee, beside the drop-down that picks it.
MISSING_POLICY_ADVICE = {
    "block": "The safest: nobody can rank a vendor on half its scores.",
    "minimum": "Penalises a vendor that did not answer; a missing knock-out score disqualifies.",
    "renormalise": "Ranks each vendor on what was scored; say so in the committee report.",
}

# How a cost criterion is scored from the vendors' quoted prices ...
QUOTED_PRICE_FORMULAS = {
    "ratio": "lowest price / price x scale maximum",
    "linear": "linear between the lowest price (scale maximum) and the highest (scale minimum)",
}
# ... or, with "scores", from the evaluators' scores like any other criterion.
PRICE_FORMULAS = {**QUOTED_PRICE_FORMULAS, "scores": "evaluators' scores"}

SAMPLINGS = {
    "simplex": "uniform over all weight vectors (Dirichlet(1))",
    "local": "within the given bounds around the current weights",
}

REPORT_FORMATS = {"pdf": "PDF report", "xlsx": "Excel report"}  # by file extension

AHP_METHODS = {"eigenvector": "AHP principal eigenvector", "geometric": "AHP row geometric mean"}

ANSWER_TYPES = {
    "yes_no_partial": "Yes / no / partial",
    "number": "A number",
    "single_choice": "One choice from a list",
    "multi_choice": "Several choices from a list",
    "text": "Free text",
}

# The kinds of rule that turn a vendor's answer into a suggested score (scoring/rules.py).
RULE_KINDS = {
    "yes_no_partial": "points for yes, partial and no",
    "thresholds": "points from the band a number falls in",
    "count_of": "points per choice ticked",
    "choice_map": "points per choice",
}

# How each kind of rule reads in the criterion form.
RULE_KIND_HELP = {
    "yes_no_partial": "A 'yes', 'partly' or 'no' answer suggests the score beside it.",
    "thresholds": "The first step the answer meets wins: list steps from the best score down.",
    "count_of": "Counts how many of the items the answer includes; the first count reached wins.",
    "choice_map": "Each choice a vendor can pick suggests the score beside it (edit the choices above).",
}

# Which criteria an evaluator scores in two-envelope mode.
ENVELOPES = {"all": "All criteria", "technical": "Technical criteria", "commercial": "Price and cost"}

DEPLOYMENT_MODELS = {"onshore": "Onshore", "nearshore": "Nearshore", "offshore": "Offshore"}
HOSTING_MODELS = {"cloud": "Cloud", "on-premise": "On-premise", "hybrid": "Hybrid"}

COST_CATEGORIES = {
    "professional_services": "Professional services",
    "software": "Software",
    "hardware": "Hardware",
    "datacentre": "Data centre",
}

# How an existing scoring spreadsheet lays its criteria out (io/matrix/detect.py, import-matrix --orientation).
ORIENTATIONS = {
    "rows": "Criteria down the rows, vendors across the columns",
    "columns": "Criteria across the columns, vendors down the rows",
}

# Word scores found in buyers' spreadsheets, best first; each level lists the spellings met.
# The levels are spread evenly over the evaluation's scale (best = its maximum) and shown for confirmation.
TEXT_SCORE_LADDERS = (
    (("yes", "y"), ("partial", "partly", "partially"), ("no", "n")),
    (("good",), ("fair", "average"), ("poor",)),
    (("excellent",), ("good",), ("fair", "average"), ("poor",)),
    (("excellent",), ("very good",), ("good",), ("fair",), ("poor",)),
    (("high",), ("medium",), ("low",)),
    (("meets", "meets requirements", "met", "fully meets"), ("partially", "partially meets", "partially met"),
     ("does not", "does not meet", "not met", "fails")),
    (("exceeds",), ("meets",), ("partially meets", "partially"), ("does not meet", "does not")),
    (("compliant", "fully compliant"), ("partially compliant", "partial"), ("non-compliant", "not compliant")),
)
