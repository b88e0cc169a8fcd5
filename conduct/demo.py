"""Demo complaints in the running round (Round 6), built after the mentoring demo:

- a closed one: a participant reported their partner, a director decided a removal, and the
  removal was carried out (barred, applications closed, partnership ended, the partner in the
  re-match pool and emailed, the neutral notice sent);
- an open one, under investigation, with an evidence file in the private store.

Deterministic (the first suitable partnerships by id) and rerunnable: a second run finds
the complaints and keeps them."""

from typing import TextIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Count, F, Q
from django.utils import timezone

from conduct.models import Complaint, Evidence
from conduct.services import complaints, removal
from mentoring.models import Application, Partnership, Round
from website.models import OutboundEmail

CLOSED = (
    "After our second call my partner sent me several insulting messages about my country "
    "and my accent, and kept writing after I asked them to stop."
)
OPEN = (
    "In the round's discussion forum a participant posted mocking comments about another "
    "member's English; I have a screenshot."
)


def _pairs(round_: Round) -> list[Partnership]:
    return list(
        Partnership.objects.filter(round=round_, ended_at__isnull=True, flagged_at__isnull=True)
        .annotate(matched=Count("members", filter=Q(members__status=Application.Status.MATCHED)))
        .filter(matched=2)
        .order_by("pk")[:2]
    )


def build(out: TextIO, seed: int) -> None:
    if Complaint.objects.filter(what_happened__in=[CLOSED, OPEN]).exists():
        out.write("Demo complaints already exist; kept as they are.")
        return
    round_ = Round.objects.filter(slug="round-6").first()
    pairs = _pairs(round_) if round_ else []
    if len(pairs) < 2:
        out.write("No running demo round with partnerships: no demo complaints.")
        return
    director = get_user_model().objects.filter(username="director").first()
    first_email = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    now = timezone.now()

    reporter, subject = list(pairs[0].members.order_by("pk"))
    closed = Complaint.objects.create(
        reporter_application=reporter,
        reporter_name=reporter.name,
        reporter_email=reporter.email,
        subject_application=subject,
        subject_name=subject.name,
        subject_email=subject.email,
        round=round_,
        partnership=pairs[0],
        what_happened=CLOSED,
        happened_on=(now - timezone.timedelta(days=20)).date(),
        received_at=now - timezone.timedelta(days=18),
        status=Complaint.Status.DECIDED,
        decision=Complaint.Decision.REMOVAL,
        reasons=(
            "The messages break the code of conduct's rule on respect; the participant "
            "did not stop when asked. Both were heard."
        ),
        actions="Spoke to both participants by video call; read the messages.",
        decided_at=now - timezone.timedelta(days=10),
        decided_by=director,
    )
    complaints.audit(closed, "conduct.reported", None, by="participant")
    complaints.audit(
        closed,
        "conduct.changed",
        director,
        fields=["decision", "status"],
        values={"decision": ["", "removal"], "status": ["investigating", "decided"]},
    )
    removal.carry_out(closed, by=director)

    reporter = pairs[1].members.order_by("pk").first()
    still_open = Complaint.objects.create(
        reporter_application=reporter,
        reporter_name=reporter.name,
        reporter_email=reporter.email,
        subject_name="A participant in the discussion forum",
        round=round_,
        what_happened=OPEN,
        received_at=now - timezone.timedelta(days=3),
        status=Complaint.Status.INVESTIGATING,
    )
    complaints.audit(still_open, "conduct.reported", None, by="participant")
    evidence = Evidence(complaint=still_open, name="forum-screenshot.txt")
    evidence.file.save(
        "forum-screenshot.txt",
        ContentFile(b"(A transcript of the forum thread, standing in for a screenshot.)\n"),
        save=False,
    )
    evidence.save()
    OutboundEmail.objects.filter(pk__gt=first_email, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENT, sent_at=F("created_at")
    )
    out.write(
        f"Demo complaints: {closed} decided (a removal, carried out), {still_open} under "
        "investigation."
    )
