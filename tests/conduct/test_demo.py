"""The demo's complaints: one decided with its removal carried out, one open with evidence;
building again keeps them as they are."""

import io

import pytest

from conduct import demo as conduct_demo
from conduct.models import Complaint
from mentoring import demo as mentoring_demo
from mentoring.models import Application, BarredEmail
from mentoring.services import runs
from website import demo as website_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_closed_removal_and_an_open_complaint(settings):
    website_demo.build(io.StringIO(), seed=2013)
    mentoring_demo.build(io.StringIO(), seed=2013)
    conduct_demo.build(io.StringIO(), seed=2013)
    closed = Complaint.objects.get(decision="removal")
    assert closed.status == "decided" and closed.removal_done_at and closed.decided_by
    assert BarredEmail.objects.filter(pk=closed.barred_email_id).exists()
    assert closed.subject_application.status == Application.Status.REMOVED
    partner = closed.partnership.members.exclude(pk=closed.subject_application_id).get()
    assert partner.pk in runs.rematch_pool(closed.round)
    still_open = Complaint.objects.get(status="investigating")
    assert still_open.evidence.get().file.read().startswith(b"(A transcript")

    out = io.StringIO()
    conduct_demo.build(out, seed=2013)
    assert "kept as they are" in out.getvalue()
    assert Complaint.objects.count() == 2
