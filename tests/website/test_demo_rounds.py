"""The demo as `make run` loads it: a round at every stage, every application with the
interests it was given (read back with fresh queries), what the schedule would have done
already done, one message in doubt to settle, the images where every role sees them, and
the demo accounts the same in the README as in `make run`."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

from mentoring.models import (
    Application,
    CheckIn,
    MatchRun,
    Partnership,
    Round,
    RoundStatus,
    UnresponsiveReport,
)
from mentoring.services import rounds
from website.demo import DEMO_ACCOUNTS, DEMO_COLLECTION, accounts_summary
from website.models import OutboundEmail

Status = Application.Status


def statuses(slug: str) -> dict[str, int]:
    return dict(
        Application.objects.filter(round__slug=slug)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )


@pytest.mark.django_db
def test_demo_has_a_round_at_every_stage(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    call_command("load_demo_data", "--without-renditions", stdout=io.StringIO())
    settings.DEBUG = False

    stages = {r.slug: r.status for r in Round.objects.all()}
    assert stages == {
        "round-4": RoundStatus.FINISHED,
        "round-5": RoundStatus.FINISHED,
        "round-6": RoundStatus.RUNNING,
        "round-7": RoundStatus.MATCHING,
        "round-8": RoundStatus.CONFIRMING,
        "round-9": RoundStatus.APPLICATIONS_OPEN,
        "round-10": RoundStatus.UPCOMING,
    }

    # 400 applications, each with its interests stored (a fresh query of the join table).
    assert Application.objects.count() == 400
    through = Application.interests.through.objects
    with_interests = set(through.values_list("application_id", flat=True))
    assert with_interests == set(Application.objects.values_list("pk", flat=True))
    assert through.count() > 400

    # Finished: everyone matched, every partnership over.
    for slug in ("round-4", "round-5"):
        assert set(statuses(slug)) == {Status.MATCHED}
        assert not Partnership.objects.filter(round__slug=slug, ended_at__isnull=True).exists()

    # Running: both check-ins out and mostly answered, a re-match approved, one report
    # with its note on a partnership that waits for a director.
    six = Round.objects.get(slug="round-6")
    assert set(CheckIn.objects.filter(application__round=six).values_list("day", flat=True)) == {
        7,
        14,
    }
    answered = CheckIn.objects.filter(application__round=six, answered_at__isnull=False)
    assert answered.count() > CheckIn.objects.filter(application__round=six).count() / 2
    assert answered.filter(heard_from_partner=False).exists()
    rematch = MatchRun.objects.get(round=six, kind=MatchRun.Kind.REMATCH)
    assert rematch.status == MatchRun.Status.APPROVED
    assert rematch.pairs.exists()
    report = UnresponsiveReport.objects.get(partnership__round=six)
    assert "did not come" in report.note
    waiting = Partnership.objects.get(pk=report.partnership_id)
    assert waiting.flagged_at is not None and waiting.ended_at is None

    # Ready to match: confirmed applicants, the deadline passed, no run yet.
    assert statuses("round-7")[Status.CONFIRMED] >= 30
    assert not MatchRun.objects.filter(round__slug="round-7").exists()
    # Confirming: asked to confirm, some have, some not yet.
    eight = statuses("round-8")
    assert eight[Status.CONFIRMED] > 0 and eight[Status.VERIFIED] > 0
    asked = OutboundEmail.objects.filter(template="confirmation_request", to__contains=".round-8.")
    assert asked.count() == sum(eight.values())
    # Open: applications coming in.
    assert statuses("round-9")[Status.VERIFIED] > 100

    # One message in doubt, for the Outbox; everything else the demo "sent" is sent.
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.IN_DOUBT).count() == 1

    # The schedule's first pass repeats nothing the demo did.
    before = set(OutboundEmail.objects.values_list("key", flat=True))
    with django_capture_on_commit_callbacks(execute=False):
        rounds.run_schedule()
    new = OutboundEmail.objects.exclude(key__in=before)
    assert not new.exclude(template="application_rolled_over").exists()

    # The images are in one collection under the root, which the roles that choose images see.
    shared = Collection.objects.get(name=DEMO_COLLECTION)
    assert shared.depth == 2
    assert Collection.objects.count() == 2
    assert get_image_model().objects.exclude(collection=shared).count() == 0
    ambassador = get_user_model().objects.get(username="ambassador")
    image_policy = policy_registry.get_by_type(get_image_model())
    assert shared in image_policy.collections_user_has_permission_for(ambassador, "choose")

    summary = accounts_summary()
    for username, role, _what in DEMO_ACCOUNTS:
        assert f"{username} ({role})" in summary


def test_readme_lists_the_demo_accounts_that_make_run_prints():
    readme = (settings.BASE_DIR / "README.md").read_text()
    listed = re.findall(r"^- `([\w-]+)` \(([^)]+)\): (.+)$", readme, flags=re.MULTILINE)
    assert listed == [tuple(account) for account in DEMO_ACCOUNTS]
