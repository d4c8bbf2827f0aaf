"""The physical examination is read from what the clinician said while examining."""

from soapdesk.core import evidence, physical_exam
from soapdesk.core.transcript_text import parse_transcript

VISIT = (
    "Doctor: How is the back?\n"
    "Patient: Still sore when I bend. I had my knee scoped in the past.\n"
    "Doctor: Okay. Well, let's go ahead and do a quick physical exam. Looking at you, you don't appear in any "
    "distress. On your heart exam, I do hear a three out of six systolic ejection murmur, which we've heard in "
    "the past, okay? Your lungs are nice and clear.\n"
    "Patient: Mm-hmm.\n"
    "Doctor: Does it hurt when I push right here?\n"
    "Patient: Yes.\n"
    "Doctor: On your back exam, you do have some, uh, pain to palpation of the lumbar spine. On your lower "
    "extremities, I do notice some trace pitting edema in your ankles, which is probably from the salt. "
    "I don't appreciate any calf tenderness.\n"
    "Doctor: Looking at your x-ray, there is no fracture. So for your back pain, I'm going to prescribe "
    "meloxicam, and your lungs sound clear so no chest x-ray.\n"
)


def test_the_clinicians_spoken_findings_become_the_exam():
    text = physical_exam.section_text(parse_transcript(VISIT))
    assert text.split("\n") == [
        "In no distress.",
        "Heart exam: a three out of six systolic ejection murmur.",
        "Lungs are nice and clear.",
        "Back exam: some pain to palpation of the lumbar spine.",
        "Lower extremities: some trace pitting edema in ankles.",
        "No calf tenderness.",
    ]
    # what the patient said, the question, the explanation, the x-ray and the plan are not exam findings
    for word in ("scoped", "hurt", "salt", "fracture", "meloxicam", "chest x-ray"):
        assert word not in text


def test_every_line_read_is_supported_by_the_transcript():
    t = parse_transcript(VISIT)
    lines = physical_exam.section_text(t).split("\n")
    assert all(r.supported for r in evidence.verify_sentences(lines, t)), [
        (r.text, r.reason) for r in evidence.verify_sentences(lines, t) if not r.supported]


def test_no_exam_read_leaves_the_section_to_the_model():
    # no exam at all
    assert physical_exam.section_text(parse_transcript("Doctor: How is the mood?\nPatient: Better.")) is None
    # an exam said in one run-on turn without stops has no sentence to read: "Not addressed" would be wrong
    run_on = ("Doctor: okay so let's do a quick physical exam so your lungs sound clear and i do hear a murmur "
              "does that hurt when i press here\nPatient: yes")
    assert physical_exam.section_text(parse_transcript(run_on)) is None


def test_the_exam_ends_where_results_or_the_plan_begin():
    t = parse_transcript("Doctor: Let me take a look at you. Your abdomen is soft. Let's talk about your "
                         "results. Your liver enzymes are elevated and your thyroid is enlarged on the ultrasound.")
    assert physical_exam.section_text(t) == "Abdomen is soft."
