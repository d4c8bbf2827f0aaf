"""The added note formats: therapy (PIE, intake, plan update, discharge) and rehab daily notes."""

import pytest

from soapdesk.core import templates
from soapdesk.core.errors import TemplateInvalid

NEW = {
    "pie": ["problem", "intervention", "evaluation"],
    "intake": ["presenting_problem", "history_of_present_illness", "psychiatric_history", "medical_history",
               "substance_use", "social_history", "mental_status", "risk_assessment", "diagnostic_impression", "plan"],
    "treatment_plan_update": ["diagnosis", "goals_progress", "barriers", "interventions", "plan"],
    "discharge": ["reason_for_discharge", "course_of_treatment", "status_at_discharge", "diagnosis", "aftercare"],
    "pt_daily": ["subjective", "objective", "assessment", "plan"],
    "ot_daily": ["subjective", "objective", "assessment", "plan"],
    "slp_daily": ["subjective", "objective", "assessment", "plan"],
}


@pytest.mark.parametrize("tid", sorted(NEW))
def test_template_sections(tid):
    assert templates.load(tid).keys == NEW[tid]


def test_rehab_templates_ask_for_objective_measures():
    pt = templates.load("pt_daily").sections[1].instruction
    assert "degrees" in pt and "0-10" in templates.load("pt_daily").sections[0].instruction
    assert "sets x reps" in pt and "minutes per intervention" in pt
    assert "%" in templates.load("slp_daily").sections[1].instruction


def test_intake_mental_status_forbids_invented_normals():
    mse = dict((s.key, s.instruction) for s in templates.load("intake").sections)["mental_status"]
    assert "not assessed" in mse


def test_malformed_user_template_rejected_with_line():
    d = templates.user_dir()
    d.mkdir(parents=True, exist_ok=True)
    (d / "bad.toml").write_text('id = "bad"\n[[section]]\nkey = "a"\ntitle = "A"\n')
    with pytest.raises(TemplateInvalid, match="line 2"):
        templates.load("bad")
