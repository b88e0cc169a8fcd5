"""Demo surveys: each finished round gets a mid-round and an end-of-round partner-satisfaction
survey (copies of the template) with realistic answers from most of its participants (varied
satisfaction, some who never met, some consenting to quotes), so results, the dashboard and
the public statistics are full on first run; the running round has its mid-round survey
scheduled. Built with bulk_create; a second run changes nothing."""

import json
import random
from datetime import datetime, time, timedelta
from typing import TextIO

from django.utils import timezone

from mentoring.models import Application, ProposedPair, Round, RoundStatus
from surveys.models import MatchingMethod, Survey, SurveyResponse
from surveys.templates_data import FREQUENCIES, INTRO, partner_satisfaction_body

WORKED = [
    "We talked every fortnight and shared how our libraries handle open access.",
    "My partner showed me their makerspace by video: I am starting one next term.",
    "Comparing our cataloguing backlogs was reassuring and useful.",
    "The discussion topics gave us something to start each call with.",
    "We co-wrote a short piece for our association's newsletter.",
    "Learning how a public library works in another country.",
    "Having someone outside my institution to think aloud with.",
]
DID_NOT = [
    "Our time zones made it hard to find an hour that suited both of us.",
    "We lost touch in the middle of the round when work got busy.",
    "I would have liked more guidance for the first call.",
    "Some topics did not fit school libraries.",
    "",
]
ANSWER_SHARE = {Survey.Moment.MID_ROUND: 0.72, Survey.Moment.END_OF_ROUND: 0.61}


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _survey(round: Round, moment: str, send_on, closes_on) -> Survey:
    label = "Mid-round check" if moment == Survey.Moment.MID_ROUND else "End-of-round evaluation"
    return Survey(
        title=f"{label}: {round.name}",
        kind=Survey.Kind.ROUND,
        round=round,
        moment=moment,
        send_on=send_on,
        closes_on=closes_on,
        intro=INTRO,
        body=json.dumps(partner_satisfaction_body()),
    )


def _answers(rng: random.Random, method: str, moment: str) -> dict:
    met = rng.random() < (0.88 if method == MatchingMethod.AUTOMATIC else 0.8)
    base = 4 if met else 2
    satisfaction = max(1, min(5, base + rng.choice([-1, 0, 0, 0, 1])))
    recommend = max(0, min(10, satisfaction * 2 + rng.choice([-2, -1, 0, 0, 1])))
    answers = {
        "met_partner": "yes" if met else "no",
        "satisfaction": str(satisfaction),
        "recommend": str(recommend),
        "quote_consent": "yes" if rng.random() < 0.55 else "no",
    }
    if met:
        answers["meeting_frequency"] = rng.choices(FREQUENCIES, weights=[2, 5, 3, 1])[0]
    if rng.random() < (0.5 if moment == Survey.Moment.END_OF_ROUND else 0.3):
        answers["what_worked"] = rng.choice(WORKED)
    did_not = rng.choice(DID_NOT)
    if did_not and rng.random() < 0.4:
        answers["what_did_not"] = did_not
    return answers


def build(out: TextIO, seed: int) -> None:
    if Survey.objects.filter(is_template=False, title__startswith="Mid-round check: ").exists():
        out.write("Demo surveys already exist; kept as they are.")
        return
    rng = random.Random(seed + 15)
    now = timezone.now()
    finished = [r for r in Round.objects.order_by("starts_on") if r.status == RoundStatus.FINISHED]
    surveys = []
    for round in finished:
        mid = round.starts_on + timedelta(days=60)
        surveys.append(_survey(round, Survey.Moment.MID_ROUND, mid, mid + timedelta(days=21)))
        surveys.append(
            _survey(
                round, Survey.Moment.END_OF_ROUND, round.ends_on, round.ends_on + timedelta(days=21)
            )
        )
    running = [r for r in Round.objects.all() if r.status == RoundStatus.RUNNING]
    for round in running:
        send_on = max(
            round.starts_on + timedelta(days=60), timezone.localdate() + timedelta(days=7)
        )
        surveys.append(_survey(round, Survey.Moment.MID_ROUND, send_on, None))
    Survey.objects.bulk_create(surveys)

    participants = list(
        Application.objects.filter(
            round__in=finished, status=Application.Status.MATCHED, partnership__isnull=False
        ).order_by("pk")
    )
    by_hand = {
        partnership
        for partnership, adjusted, pinned in ProposedPair.objects.filter(
            partnership__round__in=finished
        ).values_list("partnership", "adjusted", "pinned")
        if adjusted or pinned
    }
    responses = []
    for survey in surveys:
        if survey.round not in finished:
            continue
        for application in participants:
            if application.round_id != survey.round_id:
                continue
            if rng.random() >= ANSWER_SHARE[survey.moment]:
                continue
            method = (
                MatchingMethod.BY_HAND
                if application.partnership_id in by_hand
                else MatchingMethod.AUTOMATIC
            )
            submitted = _at(survey.send_on + timedelta(days=rng.randint(0, 12)), rng.randint(7, 21))
            responses.append(
                SurveyResponse(
                    survey=survey,
                    application=application,
                    round_id=application.round_id,
                    pathway_id=application.pathway_id,
                    country=application.country.code or "",
                    sector=application.sector,
                    partnership_id=application.partnership_id,
                    matching_method=method,
                    answers=_answers(rng, method, survey.moment),
                    submitted_at=min(submitted, now),
                )
            )
    SurveyResponse.objects.bulk_create(responses, batch_size=500)
    out.write(
        f"Demo surveys: {len(surveys)} (mid-round and end of round for the finished rounds, "
        f"one scheduled in the running round), {len(responses)} responses."
    )
