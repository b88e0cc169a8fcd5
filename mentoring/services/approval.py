"""A run's approval as a job, in batches: it makes the round's partnerships and sends each
member's introduction once."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import links
from mentoring.models import Application, Interest, MatchRun, Partnership, ProposedPair
from mentoring.services import errors, recovery
from mentoring.services.reasons import summary_lines
from mentoring.services.review import ensure_reviewable
from website.outbox import queue_email

APPROVAL_BATCH = 500
"""Pairs approved per transaction: a worker killed mid-way loses at most one batch's work."""


def start_approval(run: MatchRun, user=None) -> MatchRun:
    """Mark a reviewed run as being approved and queue the approval job; the request returns
    at once and the run's progress follows the job. Asking again while it works changes
    nothing."""
    from mentoring.tasks import approve_run

    with transaction.atomic():
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.status == MatchRun.Status.APPROVED:
            raise errors.RunAlreadyApproved()
        if run.status != MatchRun.Status.APPROVING:
            ensure_reviewable(run)
            run.status = MatchRun.Status.APPROVING
            run.approved_by = user
            run.progress = 0
            run.message = _("Waiting for a worker")
        run.lease_expires_at = recovery.lease_until()
        run.save(update_fields=["status", "approved_by", "progress", "message", "lease_expires_at"])
        approve_run.delay_on_commit(run.pk)
    return run


def resume_approvals() -> list[int]:
    """Queue again the approvals nobody works on (their worker died, or the message was
    lost): each batch renews the run's lease, so a lapsed lease means no live worker. Two
    jobs on one run would only take turns, batch by batch. Returns the runs queued."""
    from mentoring.tasks import approve_run

    with transaction.atomic():
        lapsed = list(
            MatchRun.objects.select_for_update(skip_locked=True)
            .filter(status=MatchRun.Status.APPROVING)
            .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=timezone.now()))
            .values_list("pk", flat=True)
        )
        MatchRun.objects.filter(pk__in=lapsed).update(lease_expires_at=recovery.lease_until())
        for run_id in lapsed:
            approve_run.delay_on_commit(run_id)
    return lapsed


def approve(run: MatchRun, user=None) -> int:
    """Approve a reviewed run here and now (the demo and tests; the admin queues the job).
    Returns how many partnerships were made."""
    run = MatchRun.objects.get(pk=run.pk)
    if run.status == MatchRun.Status.APPROVED:
        return 0
    if run.status != MatchRun.Status.APPROVING:
        ensure_reviewable(run)
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.APPROVING, approved_by=user
        )
    return execute_approval(run.pk)


def execute_approval(run_id: int, batch: int = APPROVAL_BATCH) -> int:
    """Make the run's pairs the round's partnerships, `batch` pairs per transaction, then
    settle the unmatched and mark the run approved. A pair's partnership is written in the
    same transaction as its introductions, so a job killed mid-way and run again goes on
    with the pairs still without one, and no introduction is queued twice. Returns how many
    partnerships this call made."""
    run = MatchRun.objects.get(pk=run_id)
    total = run.pairs.count()
    interest_names = {
        code.lower(): name for code, name in Interest.objects.values_list("code", "name")
    }
    made = 0
    while True:
        with transaction.atomic():
            run = MatchRun.objects.select_for_update().select_related("round").get(pk=run_id)
            if run.status != MatchRun.Status.APPROVING:
                return made
            pending = list(
                run.pairs.filter(partnership__isnull=True)
                .select_related(
                    "first__round",
                    "second__round",
                    "third__round",
                    "first__partnership",
                    "second__partnership",
                    "third__partnership",
                )
                .order_by("pk")[:batch]
            )
            if not pending:
                _finish_approval(run)
                return made
            _approve_batch(run, pending, interest_names)
            made += len(pending)
            done = total - run.pairs.filter(partnership__isnull=True).count()
            run.progress = round(done / total, 3) if total else 1
            run.message = _("%(done)d of %(total)d partnerships made") % {
                "done": done,
                "total": total,
            }
            run.lease_expires_at = recovery.lease_until()
            run.save(update_fields=["progress", "message", "lease_expires_at"])


def _approve_batch(run: MatchRun, pairs: list[ProposedPair], interest_names: dict) -> None:
    now = timezone.now()
    earlier = {
        member.partnership_id
        for pair in pairs
        for member in pair.members
        if member.partnership_id and member.partnership.ended_at is None
    }
    Partnership.objects.filter(pk__in=earlier).update(ended_at=now)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                round=run.round,
                score=round(pair.score, 1),
                published_at=now,
                reasons={"engine": pair.reasons, "summary": summary_lines(pair, interest_names)},
            )
            for pair in pairs
        ]
    )
    members = []
    for pair, partnership in zip(pairs, partnerships, strict=True):
        pair.partnership = partnership
        for member in pair.members:
            member.partnership = partnership
            member.status = Application.Status.MATCHED
            members.append(member)
    ProposedPair.objects.bulk_update(pairs, ["partnership"])
    Application.objects.bulk_update(members, ["partnership", "status"])
    for pair in pairs:
        for member in pair.members:
            introduce(member, [m for m in pair.members if m.pk != member.pk], pair.partnership)


def _finish_approval(run: MatchRun) -> None:
    now = timezone.now()
    waitlist = Q(reason="waitlist")
    Application.objects.filter(pk__in=run.unmatched.filter(waitlist).values("application")).update(
        status=Application.Status.WAITLISTED, waitlisted_at=now
    )
    if run.kind == MatchRun.Kind.ROUND:
        Application.objects.filter(
            pk__in=run.unmatched.exclude(waitlist).values("application")
        ).update(status=Application.Status.UNMATCHED)
    run.status = MatchRun.Status.APPROVED
    run.approved_at = now
    run.progress = 1
    run.message = _("Approved")
    run.lease_expires_at = None
    run.save(update_fields=["status", "approved_at", "progress", "message", "lease_expires_at"])


def introduce(member: Application, partners: list[Application], partnership: Partnership) -> None:
    queue_email(
        f"introduction:{partnership.pk}:{member.pk}",
        member.email,
        "introduction",
        {
            "name": member.name,
            "round": member.round.name,
            "partners": [
                {
                    "name": p.name,
                    "email": p.email,
                    "country": p.country.name,
                    "sector": p.get_sector_display(),
                    "role": p.role,
                    "city": p.city,
                }
                for p in partners
            ],
            "reasons": partnership.reasons.get("summary", []),
            "page_url": links.personal_page_url(member),
            "starts": member.round.starts_on.isoformat(),
        },
    )
