"""The sample RFP's facts: a fictional hospital network and seven fictional vendors.

Every name here is invented (none is a real teleradiology firm). Answers follow the
reference values in the project's domain notes: STAT reports within 25-120 minutes at the
95th percentile, clinically significant discrepancy rates of 0.7-1.8 %, major preliminary-
to-final differences of 1-3.5 %, platform availability of 99.0-99.95 %, blended prices of
USD 19-42 per study for a volume of 48,000 outsourced studies a year. Each answer is what
that vendor's evidence supports (a vendor whose subcontracted readers are not licensed
here cannot answer 'yes' on licensure). A choice answer is written as the scale level of
the anchor it picks (the template's choices are its anchors); level 0 of a pass/fail gate
is its first failing option. build_sample.py turns these facts into sample_rfp.json and
the questionnaires.
"""

from __future__ import annotations

from typing import Any

from vendor_eval.io.templates import builtin_templates, load_template

EVALUATION: dict[str, Any] = {
    "name": "Teleradiology and AI reading services",
    "organisation": "Kestrel Valley Health Network",
    "template": "Medical imaging outsourcing and teleradiology",
    "description": (
        "RFP KVHN-2026-014: after-hours and overflow reading for the network's four hospitals "
        "(about 48,000 studies a year: 55 % CT, 20 % X-ray, 12 % MRI, 13 % ultrasound and other), "
        "with AI triage of head CT and chest imaging. Contract start 1 July 2026."
    ),
    "questionnaire_deadline": "2026-03-13",
    "questionnaire_contact": "Laura Whitcombe, Procurement, rfp-2026-014@kestrelvalley-health.example",
    # Consensus where the committee agreed one, else the mean of the four evaluators.
    "aggregation": "consensus",
    # A public network: the questionnaire discloses the weights and the method.
    "disclose_weights": True,
    # AI triage is in scope, so AI validation goes from the template's 3 % to 6 %.
    "group_weights": {"AI validation": 6, "Interoperability and workflow": 7, "Modality and service coverage": 4},
}
ANNUAL_STUDIES = 48_000

# Role keys drive the score generator's leanings (build_sample.LEANINGS).
EVALUATORS: list[dict[str, str]] = [
    {"key": "chair", "name": "Dr. Miriam Okafor", "role": "Chair of Radiology"},
    {"key": "pacs", "name": "Tomasz Lindqvist", "role": "PACS / IT lead"},
    {"key": "security", "name": "Priya Raman", "role": "Information security officer"},
    {"key": "finance", "name": "Daniel Achterberg", "role": "Finance director"},
]

SUBSPECIALTIES = ["Neuroradiology", "Emergency radiology", "Cardiac imaging", "Musculoskeletal", "Paediatric radiology",
                  "Breast imaging", "Body / abdominal imaging", "Thoracic imaging", "Nuclear medicine",
                  "Interventional radiology"]
MODALITIES = ["CT", "MRI", "X-ray (radiography)", "Ultrasound", "PET", "SPECT / general nuclear medicine", "Mammography"]
SERVICES = ["Primary teleradiology reading", "Secondary (subspecialty second-opinion) reading", "AI-based image analysis",
            "Structured report generation", "Image archiving", "Imaging consulting"]
MODELS = ["Real-time reading", "Store-and-forward reading", "Hybrid real-time and store-and-forward"]


_TEMPLATE = load_template(builtin_templates()[EVALUATION["template"]])
_CRITERIA = {c.key: c for g in _TEMPLATE.groups for c in g.criteria}


def _choice(key: str, level: int) -> str:
    """The option of a choice criterion that its rule maps to level (the first such option)."""
    rule = _CRITERIA[key].scoring_rule
    options = [c for c in _CRITERIA[key].answer.choices if rule is None or rule["map"].get(c) == level]
    if rule is None:  # a choice without a rule: level counts from the last option
        options = [_CRITERIA[key].answer.choices[-1 - level]]
    return options[0]


def _answers(**a: Any) -> dict[str, Any]:
    """Keyword form 'sla__stat_turnaround' for the criterion key 'sla.stat_turnaround'; a choice
    criterion's answer is given as the level of the anchor the vendor picks."""
    answers = {k.replace("__", "."): v for k, v in a.items()}
    missing = set(_CRITERIA) - set(answers)
    assert not missing, f"answers missing for {sorted(missing)}"
    return {k: _choice(k, v) if _CRITERIA[k].answer.type == "single_choice" else v for k, v in answers.items()}


# Each vendor: profile (vendors.add_vendor fields), price (USD per study), questionnaire answers
# (criterion key -> value as the vendor would type it), evidence notes, cost lines (annual USD,
# summing to price x ANNUAL_STUDIES) and a base score for the criteria no rule can score.
VENDORS: list[dict[str, Any]] = [
    {
        "slug": "bluestem", "story": "onshore US reading group: strongest clinically, the most expensive",
        "name": "Bluestem Reading Group",
        "profile": {
            "legal_name": "Bluestem Reading Group, P.C.", "contact": "Alicia Moreno, alicia.moreno@bluestem-reads.example",
            "hq_country": "United States", "delivery_locations": ["Minneapolis, MN", "Denver, CO", "Raleigh, NC"],
            "deployment_model": "onshore", "hosting_model": "cloud", "modalities": MODALITIES,
            "service_types": ["Primary teleradiology reading", "Secondary (subspecialty second-opinion) reading",
                              "AI-based image analysis", "Structured report generation", "Imaging consulting"],
            "certifications": ["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF"],
            "contract_term_years": 5, "escalation_cap_pct": 3,
            "notes": "112 radiologists, all ABR-certified and licensed in our state; reads for 31 US hospitals.",
        },
        "price": 41.50,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=30, sla__urgent_turnaround=4, sla__routine_turnaround=24,
            sla__stroke_trauma_tier=4, sla__coverage_24x7=4, sla__critical_findings=1, sla__radiologist_access=4,
            sla__service_credits=3, sla__reader_workload=4,
            clinical__licensure_board_cert=1, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=112,
            clinical__credentialing_proxy=4, clinical__subspecialty_panels=SUBSPECIALTIES[:8],
            clinical__discrepancy_rate=0.7, clinical__peer_review=5, clinical__accreditation_qms=4,
            clinical__prelim_final_workflow=5, clinical__prelim_final_difference=0.9, clinical__malpractice=5,
            security__baa_dpa=1, security__certifications=["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF"],
            security__encryption=4, security__breach_notification=48, security__penetration_testing=5,
            security__mfa_reading_stations=5, security__subprocessors=4, security__audit_rights=5, security__cross_border=5,
            interop__dicom_conformance=5, interop__ihe_profiles=["SWF.b", "XDS-I.b", "XDR-I", "XRR-WD", "IRWF.b"],
            interop__hl7_fhir=4, interop__live_integrations=14, interop__priors_ehr=4, interop__ai_integration=2,
            ai__regulatory_status=3, ai__pccp=3, ai__external_validation=4, ai__drift_monitoring=3, ai__human_in_loop=5,
            ai__eu_ai_act=1,
            deployment__delivery_model=5, deployment__hosting=4, deployment__data_residency=5,
            deployment__platform_availability=99.95, deployment__transfer_latency=3, deployment__continuity=4,
            coverage__modalities=MODALITIES, coverage__services=["Primary teleradiology reading",
                "Secondary (subspecialty second-opinion) reading", "AI-based image analysis",
                "Structured report generation", "Imaging consulting"],
            coverage__reading_models=MODELS, coverage__surge_capacity=25, coverage__report_languages=3,
            tariff__exposure=1, tariff__pass_through=5, tariff__contingency_plan=5, tariff__hardware_refresh=5,
            commercial__price_per_study=41.50, commercial__price_schedule=5, commercial__escalation_cap=3,
            commercial__engagement_model=5, commercial__contract_term=3, commercial__financial_stability=5,
            commercial__exit_terms=3,
            governance__pilot=5, governance__shared_kpis=5, governance__joint_audits=5,
            governance__change_management=(
                "Named onboarding lead (clinical operations director); on-site training for ED physicians and "
                "technologists in weeks 1-4; monthly referrer feedback review; 90-day post-go-live review."),
        ),
        "evidence": {
            "clinical.discrepancy_rate": ("RADPEER 2025 (2016 scale): 0.7 % of 41,200 peer-reviewed studies scored 2b "
                                          "or 3b."),
            "security.certifications": "SOC 2 Type II report (period ending 2025-12-31) and HITRUST r2 letter attached.",
            "sla.stat_turnaround": "Measured 2025: median STAT 18 min, 95th percentile 29 min, exam completed to report in RIS.",
        },
        "cost_lines": [
            ("professional_services", "Radiologist reading (US-licensed panel)", 1_710_000, "United States", False, False),
            ("software", "Reading platform and worklist licence", 122_000, "United States", False, False),
            ("hardware", "Edge gateways and reading workstations", 96_000, "Mexico", False, False),
            ("datacentre", "Hosting and storage (US cloud region)", 64_000, "United States", False, False),
        ],
        "base": {"governance.change_management": 5, "tariff.exposure": 5},
    },
    {
        "slug": "costaverde", "story": "nearshore group: a close second, cheaper, weaker on security details",
        "name": "Costaverde Teleimagen",
        "profile": {
            "legal_name": "Costaverde Teleimagen S.A.", "contact": "Rafael Quesada, rquesada@costaverde-tele.example",
            "hq_country": "Costa Rica", "delivery_locations": ["San José, Costa Rica", "Guadalajara, Mexico", "Miami, FL"],
            "deployment_model": "nearshore", "hosting_model": "hybrid", "modalities": MODALITIES[:6],
            "service_types": ["Primary teleradiology reading", "Secondary (subspecialty second-opinion) reading",
                              "AI-based image analysis", "Structured report generation", "Image archiving"],
            "certifications": ["ISO/IEC 27001", "SOC 2 Type II", "ISO/IEC 27701"],
            "contract_term_years": 3, "escalation_cap_pct": 2.5,
            "notes": ("US board-certified radiologists licensed through the Interstate Medical Licensure Compact; "
                      "only the 58 licensed in our state would read our studies; same time zone as the buyer."),
        },
        "price": 34.00,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=45, sla__urgent_turnaround=8, sla__routine_turnaround=24,
            sla__stroke_trauma_tier=5, sla__coverage_24x7=5, sla__critical_findings=1, sla__radiologist_access=5,
            sla__service_credits=5, sla__reader_workload=4,
            clinical__licensure_board_cert=1, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=58,
            clinical__credentialing_proxy=5,
            clinical__subspecialty_panels=["Neuroradiology", "Emergency radiology", "Cardiac imaging", "Musculoskeletal",
                                           "Paediatric radiology", "Body / abdominal imaging", "Thoracic imaging"],
            clinical__discrepancy_rate=0.9, clinical__peer_review=5, clinical__accreditation_qms=4,
            clinical__prelim_final_workflow=4, clinical__prelim_final_difference=1.8, clinical__malpractice=4,
            security__baa_dpa=1, security__certifications=["ISO/IEC 27001", "SOC 2 Type II", "ISO/IEC 27701"],
            security__encryption=5, security__breach_notification=48, security__penetration_testing=4,
            security__mfa_reading_stations=5, security__subprocessors=4, security__audit_rights=4, security__cross_border=4,
            interop__dicom_conformance=4, interop__ihe_profiles=["SWF.b", "XDS-I.b", "XRR-WD", "IOCM"],
            interop__hl7_fhir=5, interop__live_integrations=7, interop__priors_ehr=4, interop__ai_integration=5,
            ai__regulatory_status=3, ai__pccp=3, ai__external_validation=4, ai__drift_monitoring=5, ai__human_in_loop=4,
            ai__eu_ai_act=0,
            deployment__delivery_model=3, deployment__hosting=5, deployment__data_residency=3,
            deployment__platform_availability=99.9, deployment__transfer_latency=4, deployment__continuity=5,
            coverage__modalities=MODALITIES[:6], coverage__services=["Primary teleradiology reading",
                "Secondary (subspecialty second-opinion) reading", "AI-based image analysis",
                "Structured report generation", "Image archiving"],
            coverage__reading_models=MODELS, coverage__surge_capacity=50, coverage__report_languages=5,
            tariff__exposure=1, tariff__pass_through=3, tariff__contingency_plan=4, tariff__hardware_refresh=3,
            commercial__price_per_study=34.00, commercial__price_schedule=4, commercial__escalation_cap=3,
            commercial__engagement_model=5, commercial__contract_term=4, commercial__financial_stability=4,
            commercial__exit_terms=5,
            governance__pilot=5, governance__shared_kpis=5, governance__joint_audits=4,
            governance__change_management=(
                "Onboarding manager named at contract signature; bilingual training videos; weekly go-live calls "
                "for the first two months."),
        ),
        "evidence": {
            "clinical.licensure_board_cert": ("Licence roster attached: 64 radiologists, 58 hold licences in your state; "
                                              "only those 58 will be assigned your studies."),
            "deployment.transfer_latency": "Measured 3.8 min at the 90th percentile for a 1,200-image CT over the hybrid cache.",
        },
        "cost_lines": [
            ("professional_services", "Radiologist reading (nearshore panel)", 1_362_000, "Costa Rica", False, False),
            ("software", "Hybrid reading platform licence", 90_000, "United States", False, False),
            ("hardware", "On-site cache appliances", 120_000, "Taiwan", True, False),
            ("datacentre", "Cloud hosting (US region)", 60_000, "United States", False, False),
        ],
        "base": {"governance.change_management": 4, "tariff.exposure": 5},
    },
    {
        "slug": "vindhya", "story": "offshore India-based 24/7 reader: fast and cheap, offshore access to patient data",
        "name": "Vindhya Radiology Network",
        "profile": {
            "legal_name": "Vindhya Radiology Network Pvt. Ltd.", "contact": "Kavya Menon, kavya.menon@vindhya-rad.example",
            "hq_country": "India", "delivery_locations": ["Bengaluru, India", "Pune, India", "Dallas, TX"],
            "deployment_model": "offshore", "hosting_model": "cloud", "modalities": MODALITIES[:6],
            "service_types": SERVICES, "certifications": ["ISO/IEC 27001", "SOC 2 Type II", "ISO/IEC 27017 / 27018 (cloud)"],
            "contract_term_years": 5, "escalation_cap_pct": 4,
            "notes": ("Follow-the-sun 24/7 reading by ABR-certified radiologists licensed in our state, 31 of them "
                      "reading from India; final reports signed in the US."),
        },
        "price": 27.50,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=40, sla__urgent_turnaround=6, sla__routine_turnaround=12,
            sla__stroke_trauma_tier=3, sla__coverage_24x7=5, sla__critical_findings=1, sla__radiologist_access=3,
            sla__service_credits=3, sla__reader_workload=3,
            clinical__licensure_board_cert=1, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=46,
            clinical__credentialing_proxy=4,
            clinical__subspecialty_panels=["Neuroradiology", "Musculoskeletal", "Body / abdominal imaging",
                                           "Thoracic imaging", "Cardiac imaging"],
            clinical__discrepancy_rate=1.2, clinical__peer_review=2, clinical__accreditation_qms=4,
            clinical__prelim_final_workflow=3, clinical__prelim_final_difference=2.6, clinical__malpractice=4,
            security__baa_dpa=1,
            security__certifications=["ISO/IEC 27001", "SOC 2 Type II", "ISO/IEC 27017 / 27018 (cloud)"],
            security__encryption=4, security__breach_notification=72, security__penetration_testing=4,
            security__mfa_reading_stations=3, security__subprocessors=5, security__audit_rights=3, security__cross_border=3,
            interop__dicom_conformance=4, interop__ihe_profiles=["SWF.b", "XDS-I.b", "XRR-WD"],
            interop__hl7_fhir=3, interop__live_integrations=22, interop__priors_ehr=4, interop__ai_integration=4,
            ai__regulatory_status=3, ai__pccp=0, ai__external_validation=2, ai__drift_monitoring=2, ai__human_in_loop=4,
            ai__eu_ai_act=0,
            deployment__delivery_model=2, deployment__hosting=4, deployment__data_residency=3,
            deployment__platform_availability=99.9, deployment__transfer_latency=6, deployment__continuity=4,
            coverage__modalities=MODALITIES[:6], coverage__services=SERVICES,
            coverage__reading_models=MODELS, coverage__surge_capacity=45, coverage__report_languages=3,
            tariff__exposure=1, tariff__pass_through=5, tariff__contingency_plan=4, tariff__hardware_refresh=5,
            commercial__price_per_study=27.50, commercial__price_schedule=4, commercial__escalation_cap=2,
            commercial__engagement_model=4, commercial__contract_term=3, commercial__financial_stability=4,
            commercial__exit_terms=3,
            governance__pilot=4, governance__shared_kpis=4, governance__joint_audits=4,
            governance__change_management="Account manager in Dallas; standard onboarding pack; quarterly reviews.",
        ),
        "evidence": {
            "sla.coverage_24x7": "Three reading hubs across time zones; nights in the US are day shifts in Bengaluru.",
            "clinical.peer_review": "Internal peer review 2025 without a scoring scale: 1.2 % significant discrepancies (n = 18,400).",
        },
        "cost_lines": [
            ("professional_services", "Radiologist reading (24/7 offshore and US sign-off)", 1_164_000, "India", False, False),
            ("software", "Cloud reading platform", 76_000, "India", False, False),
            ("hardware", "DICOM edge gateways", 56_000, "Taiwan", False, False),
            ("datacentre", "Cloud hosting (US region)", 24_000, "United States", False, False),
        ],
        "base": {"governance.change_management": 3, "tariff.exposure": 5},
    },
    {
        "slug": "lumenhaven", "story": "EU hybrid-cloud provider under GDPR: best on security and AI, partial 24/7 cover",
        "name": "Lumenhaven Imaging Cloud",
        "profile": {
            "legal_name": "Lumenhaven Imaging Cloud B.V.", "contact": "Sanne de Vries, s.devries@lumenhaven.example",
            "hq_country": "Netherlands", "delivery_locations": ["Rotterdam, Netherlands", "Dublin, Ireland", "Boston, MA"],
            "deployment_model": "offshore", "hosting_model": "hybrid", "modalities": MODALITIES,
            "service_types": SERVICES,
            "certifications": ["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF", "ISO/IEC 27701", "ISO/IEC 27017 / 27018 (cloud)"],
            "contract_term_years": 4, "escalation_cap_pct": 2,
            "notes": "GDPR Art. 28 DPA and HIPAA BAA offered; EU reading hubs cover US evenings, a Boston team covers nights.",
        },
        "price": 36.80,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=60, sla__urgent_turnaround=12, sla__routine_turnaround=48,
            sla__stroke_trauma_tier=3, sla__coverage_24x7=3, sla__critical_findings=1, sla__radiologist_access=4,
            sla__service_credits=3, sla__reader_workload=5,
            clinical__licensure_board_cert=1, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=27,
            clinical__credentialing_proxy=4, clinical__subspecialty_panels=SUBSPECIALTIES[:7],
            clinical__discrepancy_rate=0.8, clinical__peer_review=5, clinical__accreditation_qms=5,
            clinical__prelim_final_workflow=4, clinical__prelim_final_difference=1.6, clinical__malpractice=4,
            security__baa_dpa=1,
            security__certifications=["ISO/IEC 27001", "SOC 2 Type II", "HITRUST CSF", "ISO/IEC 27701",
                                      "ISO/IEC 27017 / 27018 (cloud)"],
            security__encryption=5, security__breach_notification=24, security__penetration_testing=5,
            security__mfa_reading_stations=5, security__subprocessors=5, security__audit_rights=5, security__cross_border=4,
            interop__dicom_conformance=5, interop__ihe_profiles=["SWF.b", "XDS-I.b", "XDR-I", "XRR-WD", "IOCM", "IRWF.b"],
            interop__hl7_fhir=5, interop__live_integrations=4, interop__priors_ehr=5, interop__ai_integration=5,
            ai__regulatory_status=5, ai__pccp=5, ai__external_validation=5, ai__drift_monitoring=5, ai__human_in_loop=5,
            ai__eu_ai_act=5,
            deployment__delivery_model=2, deployment__hosting=5, deployment__data_residency=3,
            deployment__platform_availability=99.95, deployment__transfer_latency=8, deployment__continuity=5,
            coverage__modalities=MODALITIES, coverage__services=SERVICES,
            coverage__reading_models=MODELS[:2], coverage__surge_capacity=25, coverage__report_languages=5,
            tariff__exposure=1, tariff__pass_through=3, tariff__contingency_plan=4, tariff__hardware_refresh=3,
            commercial__price_per_study=36.80, commercial__price_schedule=5, commercial__escalation_cap=4,
            commercial__engagement_model=3, commercial__contract_term=3, commercial__financial_stability=5,
            commercial__exit_terms=5,
            governance__pilot=5, governance__shared_kpis=5, governance__joint_audits=5,
            governance__change_management=(
                "Named clinical transition lead; joint steering group; training for referrers and technologists; "
                "feedback portal with 5-day response; 6-month review."),
        ),
        "evidence": {
            "ai.external_validation": "Local validation offered on 2,000 of our studies before go-live; CIs reported per finding.",
            "security.breach_notification": "Incident process: notice to the client within 24 h of discovery.",
        },
        "cost_lines": [
            ("professional_services", "Radiologist reading (EU hubs and Boston night team)", 1_130_400, "Netherlands", False, False),
            ("software", "Hybrid cloud platform and AI suite", 250_000, "Netherlands", False, False),
            ("hardware", "Diagnostic reading displays and on-site edge cache", 236_000, "Germany", True, True),
            ("datacentre", "Storage arrays for the on-site cache", 150_000, "Ireland", True, False),
        ],
        "base": {"governance.change_management": 5, "tariff.exposure": 3},
    },
    {
        "slug": "zephyrine", "story": "AI-first vendor: fastest turnaround, China-origin inference hardware passed through",
        "name": "Zephyrine AI Imaging",
        "profile": {
            "legal_name": "Zephyrine AI Imaging, Inc.", "contact": "Marcus Hale, mhale@zephyrine-ai.example",
            "hq_country": "United States", "delivery_locations": ["Austin, TX", "Phoenix, AZ"],
            "deployment_model": "onshore", "hosting_model": "cloud",
            "modalities": ["CT", "MRI", "X-ray (radiography)", "Mammography"],
            "service_types": ["Primary teleradiology reading", "AI-based image analysis", "Structured report generation",
                              "Image archiving", "Imaging consulting"],
            "certifications": ["ISO/IEC 27001", "SOC 2 Type II"],
            "contract_term_years": 3, "escalation_cap_pct": 5,
            "notes": "AI triage and draft reports, over-read by a US radiologist panel; GPU inference appliances and edge servers made in China.",
        },
        "price": 29.90,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=25, sla__urgent_turnaround=4, sla__routine_turnaround=12,
            sla__stroke_trauma_tier=4, sla__coverage_24x7=4, sla__critical_findings=1, sla__radiologist_access=3,
            sla__service_credits=5, sla__reader_workload=3,
            clinical__licensure_board_cert=1, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=21,
            clinical__credentialing_proxy=4,
            clinical__subspecialty_panels=["Neuroradiology", "Thoracic imaging", "Body / abdominal imaging", "Breast imaging"],
            clinical__discrepancy_rate=1.1, clinical__peer_review=3, clinical__accreditation_qms=3,
            clinical__prelim_final_workflow=4, clinical__prelim_final_difference=2.4, clinical__malpractice=3,
            security__baa_dpa=1, security__certifications=["ISO/IEC 27001", "SOC 2 Type II"],
            security__encryption=4, security__breach_notification=72, security__penetration_testing=4,
            security__mfa_reading_stations=5, security__subprocessors=3, security__audit_rights=3, security__cross_border=5,
            interop__dicom_conformance=4, interop__ihe_profiles=["SWF.b", "XDS-I.b", "IRWF.b"],
            interop__hl7_fhir=5, interop__live_integrations=4, interop__priors_ehr=4, interop__ai_integration=5,
            ai__regulatory_status=3, ai__pccp=5, ai__external_validation=4, ai__drift_monitoring=5, ai__human_in_loop=3,
            ai__eu_ai_act=2,
            deployment__delivery_model=5, deployment__hosting=4, deployment__data_residency=5,
            deployment__platform_availability=99.9, deployment__transfer_latency=2, deployment__continuity=3,
            coverage__modalities=["CT", "MRI", "X-ray (radiography)", "Mammography"],
            coverage__services=["Primary teleradiology reading", "AI-based image analysis", "Structured report generation",
                                "Image archiving", "Imaging consulting"],
            coverage__reading_models=MODELS[:2], coverage__surge_capacity=100, coverage__report_languages=0,
            tariff__exposure=1, tariff__pass_through=1, tariff__contingency_plan=2, tariff__hardware_refresh=3,
            commercial__price_per_study=29.90, commercial__price_schedule=3, commercial__escalation_cap=2,
            commercial__engagement_model=5, commercial__contract_term=4, commercial__financial_stability=3,
            commercial__exit_terms=3,
            governance__pilot=5, governance__shared_kpis=5, governance__joint_audits=4,
            governance__change_management=(
                "Customer success manager; onboarding plan with online training for radiologists and "
                "technologists; in-app feedback."),
        ),
        "evidence": {
            "ai.external_validation": "Published validation at three academic centres (AUC 0.94-0.97 for intracranial haemorrhage).",
            "tariff.exposure": "Inference appliances and edge servers are assembled in Shenzhen; passed through at cost.",
        },
        "cost_lines": [
            ("professional_services", "Radiologist over-read panel (US)", 590_000, "United States", False, False),
            ("software", "AI triage and draft-report platform", 300_000, "United States", False, False),
            ("hardware", "GPU inference appliances at each hospital", 405_200, "China", True, False),
            ("datacentre", "Edge servers and storage nodes", 140_000, "China", True, False),
        ],
        "base": {"governance.change_management": 3, "tariff.exposure": 2},
    },
    {
        "slug": "thriftread", "story": ("low-cost vendor: cheapest by far, reads through subcontracted groups abroad that "
                                        "are neither licensed here nor bound by our BAA (two knock-outs)"),
        "name": "ThriftRead Imaging",
        "profile": {
            "legal_name": "ThriftRead Imaging LLC", "contact": "sales@thriftread.example",
            "hq_country": "United States", "delivery_locations": ["Wilmington, DE", "Manila, Philippines (subcontractor)"],
            "deployment_model": "offshore", "hosting_model": "cloud",
            "modalities": ["CT", "MRI", "X-ray (radiography)", "Ultrasound", "Mammography"],
            "service_types": ["Primary teleradiology reading", "Structured report generation"],
            "certifications": ["ISO/IEC 27001"], "contract_term_years": 7, "escalation_cap_pct": 8,
            "notes": "Reads through a network of subcontracted reading groups; lowest price offered.",
        },
        "price": 18.75,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=60, sla__urgent_turnaround=12, sla__routine_turnaround=48,
            sla__stroke_trauma_tier=1, sla__coverage_24x7=4, sla__critical_findings=1, sla__radiologist_access=1,
            sla__service_credits=1, sla__reader_workload=1,
            clinical__licensure_board_cert=0, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=9,
            clinical__credentialing_proxy=1, clinical__subspecialty_panels=["Neuroradiology", "Musculoskeletal"],
            clinical__discrepancy_rate=1.8, clinical__peer_review=1, clinical__accreditation_qms=1,
            clinical__prelim_final_workflow=2, clinical__prelim_final_difference=3.5, clinical__malpractice=1,
            security__baa_dpa=0, security__certifications=["ISO/IEC 27001"],
            security__encryption=2, security__breach_notification=720, security__penetration_testing=1,
            security__mfa_reading_stations=1, security__subprocessors=1, security__audit_rights=2, security__cross_border=1,
            interop__dicom_conformance=3, interop__ihe_profiles=["SWF.b", "XDS-I.b"],
            interop__hl7_fhir=3, interop__live_integrations=9, interop__priors_ehr=2, interop__ai_integration=0,
            ai__regulatory_status=1, ai__pccp=0, ai__external_validation=2, ai__drift_monitoring=0, ai__human_in_loop=1,
            ai__eu_ai_act=0,
            deployment__delivery_model=1, deployment__hosting=4, deployment__data_residency=0,
            deployment__platform_availability=99.5, deployment__transfer_latency=12, deployment__continuity=1,
            coverage__modalities=["CT", "MRI", "X-ray (radiography)", "Ultrasound", "Mammography"],
            coverage__services=["Primary teleradiology reading", "Structured report generation"],
            coverage__reading_models=MODELS[:2], coverage__surge_capacity=30, coverage__report_languages=0,
            tariff__exposure=1, tariff__pass_through=0, tariff__contingency_plan=0, tariff__hardware_refresh=0,
            commercial__price_per_study=18.75, commercial__price_schedule=1, commercial__escalation_cap=1,
            commercial__engagement_model=4, commercial__contract_term=1, commercial__financial_stability=2,
            commercial__exit_terms=1,
            governance__pilot=3, governance__shared_kpis=3, governance__joint_audits=1,
            governance__change_management="Standard onboarding webinar.",
        ),
        "evidence": {
            "clinical.licensure_board_cert": ("Our US panel is licensed in your state; overflow and night reads go to "
                                              "subcontracted groups in Manila whose readers hold no US licence."),
            "security.baa_dpa": "We sign the hospital's BAA; our subcontracted reading groups work under their own terms.",
        },
        # The deliberate errors of this vendor's first questionnaire: '1' typed for one hour in a minutes
        # field, and text where hours are expected.
        "questionnaire_errors": {"sla.stat_turnaround": 1, "security.breach_notification": "30 days"},
        "cost_lines": [
            ("professional_services", "Reading through subcontracted groups", 720_000, "Philippines", False, False),
            ("software", "Reading platform", 45_000, "United States", False, False),
            ("hardware", "Edge gateways", 90_000, "China", True, False),
            ("datacentre", "Cloud hosting", 45_000, "United States", False, False),
        ],
        "base": {"governance.change_management": 1, "tariff.exposure": 4},
    },
    {
        "slug": "prairiegate", "story": "regional onshore group with a weak SLA: 2-hour STAT, 72-hour routine, 99.0 % uptime",
        "name": "Prairie Gate Radiology",
        "profile": {
            "legal_name": "Prairie Gate Radiology Associates, LLP", "contact": "Nora Lindahl, nlindahl@prairiegate-rad.example",
            "hq_country": "United States", "delivery_locations": ["Sioux Falls, SD", "Fargo, ND"],
            "deployment_model": "onshore", "hosting_model": "on-premise",
            "modalities": ["CT", "MRI", "X-ray (radiography)", "Ultrasound", "Mammography"],
            "service_types": ["Primary teleradiology reading", "Secondary (subspecialty second-opinion) reading",
                              "Structured report generation"],
            "certifications": ["SOC 2 Type II", "HITRUST CSF"], "contract_term_years": 5, "escalation_cap_pct": 3,
            "notes": "38 radiologists; strong clinical record; no overnight cover at weekends.",
        },
        "price": 31.20,
        "answers": _answers(
            sla__stat_commitment=1, sla__stat_turnaround=120, sla__urgent_turnaround=24, sla__routine_turnaround=72,
            sla__stroke_trauma_tier=2, sla__coverage_24x7=2, sla__critical_findings=1, sla__radiologist_access=4,
            sla__service_credits=1, sla__reader_workload=3,
            clinical__licensure_board_cert=1, clinical__exclusion_screening=1, clinical__mqsa=1, clinical__reader_pool=38,
            clinical__credentialing_proxy=3,
            clinical__subspecialty_panels=["Neuroradiology", "Musculoskeletal", "Body / abdominal imaging",
                                           "Breast imaging", "Thoracic imaging"],
            clinical__discrepancy_rate=0.9, clinical__peer_review=5, clinical__accreditation_qms=4,
            clinical__prelim_final_workflow=4, clinical__prelim_final_difference=1.4, clinical__malpractice=5,
            security__baa_dpa=1, security__certifications=["SOC 2 Type II", "HITRUST CSF"],
            security__encryption=4, security__breach_notification=48, security__penetration_testing=4,
            security__mfa_reading_stations=3, security__subprocessors=5, security__audit_rights=4, security__cross_border=5,
            interop__dicom_conformance=3, interop__ihe_profiles=["SWF.b", "XDS-I.b"],
            interop__hl7_fhir=3, interop__live_integrations=3, interop__priors_ehr=4, interop__ai_integration=2,
            ai__regulatory_status=1, ai__pccp=0, ai__external_validation=2, ai__drift_monitoring=0, ai__human_in_loop=4,
            ai__eu_ai_act=0,
            deployment__delivery_model=5, deployment__hosting=3, deployment__data_residency=5,
            deployment__platform_availability=99.0, deployment__transfer_latency=15, deployment__continuity=2,
            coverage__modalities=["CT", "MRI", "X-ray (radiography)", "Ultrasound", "Mammography"],
            coverage__services=["Primary teleradiology reading", "Secondary (subspecialty second-opinion) reading",
                                "Structured report generation"],
            coverage__reading_models=MODELS[1:2], coverage__surge_capacity=10, coverage__report_languages=0,
            tariff__exposure=1, tariff__pass_through=5, tariff__contingency_plan=2, tariff__hardware_refresh=1,
            commercial__price_per_study=31.20, commercial__price_schedule=3, commercial__escalation_cap=3,
            commercial__engagement_model=4, commercial__contract_term=3, commercial__financial_stability=4,
            commercial__exit_terms=3,
            governance__pilot=4, governance__shared_kpis=3, governance__joint_audits=2,
            governance__change_management="Medical director visits each hospital before go-live; no written plan.",
        ),
        "evidence": {
            "sla.stat_turnaround": "120 minutes at the 95th percentile is our commitment; measured 2025 weekday median 70 minutes.",
        },
        "cost_lines": [
            ("professional_services", "Radiologist reading (regional group)", 1_310_000, "United States", False, False),
            ("software", "On-premise reading software licence", 60_000, "United States", False, False),
            ("hardware", "Reading workstations and on-site servers", 97_600, "United States", False, False),
            ("datacentre", "On-site storage arrays", 30_000, "Malaysia", False, False),
        ],
        "base": {"governance.change_management": 2, "tariff.exposure": 5},
    },
]
