"""The same patient's answers on questionnaire 2027.01 from their answers on 2026.12: each retired
yes/no answer ticked (or listed as not sure) in its gateway, each kept follow-up asked after its
item. For tests and benches that compare the two versions on the same people; the app never
translates stored answers (each submission is read with its own version)."""

from screening.flags.derivation import NOT_SHOWN
from screening.questionnaire import definition_for

V3 = "2027.01"


def _gateway(ticked: list, unsure: list) -> tuple[list, list]:
    if unsure:
        ticked = [*ticked, "not_sure"]
    return (ticked or ["none"]), unsure


def to_v3(v2: dict) -> dict:
    """The same patient's 2027.01 answers: each retired answer ticked (or listed as not sure)
    in its gateway, each kept follow-up asked after its item."""
    v3_ids = definition_for(V3).questions
    answers = {qid: value for qid, value in v2.items() if qid in v3_ids}
    for qid in NOT_SHOWN:
        answers.pop(qid, None)

    def item(qid, key, ticked, unsure, yes=("yes",)):
        if v2.get(qid) in yes:
            ticked.append(key)
        elif v2.get(qid) == "unsure":
            unsure.append(key)

    def follow_up(qid, key, ticked, unsure, unsure_value):
        value = v2.get(qid)
        if value in (None, ["none"], "no"):
            return
        if value == unsure_value:
            unsure.append(key)
            return
        ticked.append(key)
        answers[qid] = value

    now, now_unsure = [k for k in v2.get("current_skin_problems_area", []) if k != "none"], []
    item("current_tan_or_burn", "tan_now", now, now_unsure)
    item("cold_sore_now", "cold_sore", now, now_unsure)
    item("changing_spot", "changing_spot", now, now_unsure)
    order = list(definition_for(V3).questions["current_skin_problems_area"].choice_keys)
    now = sorted(set(now), key=order.index)
    answers["current_skin_problems_area"], unsure = _gateway(now, now_unsure)
    if unsure:
        answers["current_skin_problems_area_unsure"] = unsure

    prep = [
        key
        for qid, key in (
            ("self_tanner_recent", "self_tanner"),
            ("hair_removal_recent", "hair_removal"),
        )
        if v2.get(qid) == "yes"
    ]
    answers["recent_skin_prep"] = prep or ["none"]

    meds, meds_unsure = [], []
    follow_up("immunosuppressant_meds", "immune_medicine", meds, meds_unsure, ["unsure"])
    follow_up("blood_thinners", "blood_thinner", meds, meds_unsure, ["unsure"])
    follow_up("photosensitising_meds", "sun_sensitising", meds, meds_unsure, ["other_unsure"])
    item("gold_therapy_ever", "gold", meds, meds_unsure)
    item("antiviral_current", "antiviral", meds, meds_unsure)
    item("bleeding_supplements", "supplements", meds, meds_unsure)
    item("topical_retinoid_acid_current", "topical_retinoid_acid", meds, meds_unsure)
    answers["medicines_any"], unsure = _gateway(meds, meds_unsure)
    if unsure:
        answers["medicines_any_unsure"] = unsure

    allergies, allergies_unsure = [], []
    item("allergy_local_anaesthetic", "numbing", allergies, allergies_unsure)
    if "numbing" in allergies:
        answers["numbing_reaction"] = "allergic"
    item("allergy_antiviral", "antiviral", allergies, allergies_unsure)
    item("allergy_antibiotic", "antibiotic", allergies, allergies_unsure)
    item("allergy_aftercare", "wound_ointment", allergies, allergies_unsure)
    if v2.get("allergy_other_text"):
        allergies.append("other")
    else:
        answers.pop("allergy_other_text", None)
    answers["allergies_list"], unsure = _gateway(allergies, allergies_unsure)
    if unsure:
        answers["allergies_list_unsure"] = unsure

    skin, skin_unsure = [], []
    for qid, key in (
        ("keloid_history", "keloid"),
        ("skin_cancer_history", "skin_cancer"),
        ("radiation_to_area", "radiation"),
    ):
        item(qid, key, skin, skin_unsure)
    conditions = [k for k in v2.get("skin_conditions", []) if k not in ("none", "light_patches")]
    if conditions:
        skin.append("skin_condition")
        answers["skin_conditions"] = conditions
        if "vitiligo" in conditions:
            answers["vitiligo_active_12m"] = "no"
    else:
        answers.pop("skin_condition_active", None)
    for qid, key in (
        ("slow_healing", "slow_healing"),
        ("recurrent_skin_infection", "recurrent_infection"),
        ("shingles_area", "shingles"),
        ("dark_marks_after_injury", "dark_marks"),
    ):
        item(qid, key, skin, skin_unsure)
    if "light_patches" in v2.get("skin_conditions", []):
        skin.append("light_patches")
    answers["skin_history"], unsure = _gateway(skin, skin_unsure)
    if unsure:
        answers["skin_history_unsure"] = unsure

    health, health_unsure = [], []
    item("bleeding_disorder", "bleeding_dx", health, health_unsure)
    item("immune_conditions", "weak_immune", health, health_unsure)
    follow_up("autoimmune_conditions", "autoimmune", health, health_unsure, None)
    follow_up("diabetes", "diabetes", health, health_unsure, None)
    item("heart_lung_conditions", "heart_lung", health, health_unsure)
    follow_up("energy_device_safety", "implant_or_seizures", health, health_unsure, ["unsure"])
    answers["health_conditions"], unsure = _gateway(health, health_unsure)
    if unsure:
        answers["health_conditions_unsure"] = unsure

    if v2.get("concern_impact") in ("moderately", "a_lot"):
        answers.update(appearance_time="under_1h", appearance_avoid="no")
    return answers
