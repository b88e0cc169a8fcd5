"""Why two people were matched, in sentences for them: made from the engine's reasons."""

from django.utils.text import get_text_list

from mentoring.choices import LANGUAGE_CHOICES, CareerStage, Region, Sector

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
STAGE_PHRASES = {
    CareerStage.STUDENT: "a student",
    CareerStage.EARLY: "early in their career",
    CareerStage.MID: "mid-career",
    CareerStage.SENIOR: "in a senior role",
}


def _names(codes, labels) -> str:
    return get_text_list([str(labels.get(code, code)) for code in codes], "and")


def _wish_line(wish: dict, wisher, partner) -> str | None:
    if not wish["met"]:
        return None
    wanted = wish["wanted"]
    criterion = wish["criterion"]
    if criterion == "sector_wish":
        sector = Sector(partner.sector).label.lower()
        if wanted == "different":
            return (
                f"{wisher.name} asked for a partner from another sector: "
                f"{partner.name} works in a {sector}."
            )
        if wanted == "same":
            return (
                f"{wisher.name} asked for a partner from the same sector, "
                f"and you both work in a {sector}."
            )
        return f"{wisher.name} asked for a partner in a {sector}, and {partner.name} works in one."
    if criterion == "career_stage_wish":
        stage = STAGE_PHRASES[partner.career_stage]
        kind = "different" if wanted == "different" else "similar"
        return (
            f"{wisher.name} asked for a partner at a {kind} career stage: "
            f"{partner.name} is {stage}."
        )
    if criterion == "region_wish":
        regions = _names(
            wanted if isinstance(wanted, list) else [wanted], {r.value: r.label for r in Region}
        )
        return f"{wisher.name} hoped for a partner in {regions}."
    return None


def _pair_lines(reasons: dict, first, second, interest_names: dict[str, str]) -> list[str]:
    lines = []
    people = {"a": (first, second), "b": (second, first)}
    for wish in reasons.get("wishes", []):
        line = _wish_line(wish, *people[wish["who"]])
        if line:
            lines.append(line)
    shared = reasons.get("shared", {})
    if shared.get("interests"):
        lines.append(
            "You share an interest in " + _names(shared["interests"], interest_names).lower() + "."
        )
    if shared.get("languages"):
        lines.append(
            "Besides English, you both speak " + _names(shared["languages"], LANGUAGE_NAMES) + "."
        )
    hours = shared.get("overlap_hours")
    if hours:
        lines.append(f"Your free times overlap by about {hours} hours a week.")
    if first.country != second.country:
        lines.append(f"You bring {first.country.name} and {second.country.name} together.")
    return lines


def summary_lines(pair, interest_names: dict[str, str]) -> list[str]:
    """Sentences for a proposed pair or triad, most telling first, without repeats."""
    if pair.third_id:
        members = pair.members
        links = pair.reasons.get("links", [])
        couples = [(members[0], members[1]), (members[2], members[0]), (members[2], members[1])]
        lines = []
        for reasons, (first, second) in zip(links, couples, strict=False):
            lines += _pair_lines(reasons, first, second, interest_names)
    else:
        lines = _pair_lines(pair.reasons, pair.first, pair.second, interest_names)
    return list(dict.fromkeys(lines))
