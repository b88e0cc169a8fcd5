"""A removal decision, recorded by a director in the admin over HTTP, and carried out by one
service: it bars the normalised address (the entry linked to the decision), closes the
person's open applications, ends their partnership, puts the partner in the re-match pool
with an email, and sends the person a neutral notice; each step once, with an audit row,
however often it runs. The applications listing's bulk action goes through it too."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from conduct.models import Complaint
from conduct.services import removal
from mentoring.models import Application, BarredEmail, Partnership
from mentoring.services import runs
from tests.conduct.admin_forms import post_edit
from tests.mentoring.test_views import valid_post
from volunteers.models import VolunteerRecord
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.volunteers import make_record
from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(pair):
    return Complaint.objects.create(
        reporter_application=pair.ana,
        reporter_name=pair.ana.name,
        reporter_email=pair.ana.email,
        subject_application=pair.kofi,
        subject_name=pair.kofi.name,
        subject_email=pair.kofi.email,
        round=pair.round,
        partnership=pair.partnership,
        what_happened="Insults after the second call.",
    )


def edit_url(complaint) -> str:
    return reverse("wagtailsnippets_conduct_complaint:edit", args=[complaint.pk])


def actions_of(complaint) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(complaint)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_director_decides_a_removal_and_every_step_happens_once(
    client, pair, complaint, director
):
    later = RoundFactory(name="Round 10", opened_days_ago=-30)
    waiting = ApplicationFactory(
        round=later,
        name="Kofi Mensah",
        email="kofi.mensah@example.org",
        status=Application.Status.VERIFIED,
    )
    assert pair.ana.pk not in runs.rematch_pool(pair.round)
    client.force_login(director)

    response = post_edit(client, edit_url(complaint), status="investigating")
    assert response.status_code == 302
    refused = post_edit(client, edit_url(complaint), decision="removal")
    assert refused.status_code == 200
    assert "A complaint with a decision is decided." in refused.content.decode()
    assert Complaint.objects.get().decision == ""

    response = post_edit(
        client,
        edit_url(complaint),
        status="decided",
        decision="removal",
        reasons="Repeated insults, confirmed by the messages.",
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.decided_by == director and complaint.decided_at
    assert complaint.removal_done_at

    barred = BarredEmail.objects.get()
    assert barred.email_normalised == "kofi.mensah@example.org"
    assert complaint.barred_email == barred
    assert list(barred.decisions.all()) == [complaint]
    pair.kofi.refresh_from_db()
    waiting.refresh_from_db()
    assert pair.kofi.status == waiting.status == Application.Status.REMOVED
    pair.partnership.refresh_from_db()
    assert pair.partnership.ended_at and pair.partnership.flagged_at
    assert runs.rematch_pool(pair.round) == [pair.ana.pk]
    messages = OutboundEmail.objects.filter(template__startswith="conduct_")
    assert sorted((m.template, m.to) for m in messages) == [
        ("conduct_rematch_offer", "ana.lima@example.org"),
        ("conduct_removal_notice", "Kofi.Mensah@example.org"),
    ]
    notice = OutboundEmail.objects.get(template="conduct_removal_notice")
    assert "insult" not in str(notice.context).lower()
    steps = actions_of(complaint)
    assert steps.count("conduct.removal.barred") == 1
    assert steps.count("conduct.removal.application_closed") == 2
    assert steps.count("conduct.removal.partnership_ended") == 1
    assert steps.count("conduct.removal.rematch_offered") == 1
    assert steps.count("conduct.removal.notice_sent") == 1
    assert steps.count("conduct.changed") == 2  # investigating; decided with its decision
    decided = (
        ModelLogEntry.objects.for_instance(complaint)
        .filter(action="conduct.changed")
        .order_by("pk")
        .last()
    )
    assert decided.user == director
    assert decided.data["values"]["decision"] == ["", "removal"]
    assert "Repeated insults" not in str(decided.data)

    # Saving it again, or running the service again, does nothing more.
    before = (OutboundEmail.objects.count(), len(actions_of(complaint)))
    post_edit(client, edit_url(complaint), actions="Spoke to both on the phone.")
    assert removal.carry_out(complaint, by=director) == []
    assert OutboundEmail.objects.count() == before[0]
    assert actions_of(complaint).count("conduct.changed") == 3
    assert actions_of(complaint)[before[1] :] == ["wagtail.edit", "conduct.changed"]
    assert BarredEmail.objects.count() == 1


def test_the_partner_is_in_the_rematch_pool_and_told_on_their_page(client, pair, complaint):
    complaint.status, complaint.decision = "decided", "removal"
    complaint.save()
    removal.carry_out(complaint)
    from tests.conduct.conftest import page_token

    page = client.get(
        reverse("mentoring:personal_page", kwargs={"token": page_token(pair.ana)})
    ).content.decode()
    assert "we will find you a new partner" in page
    assert "Kofi.Mensah@example.org" not in page
    from mentoring.services import cockpit

    assert [person.pk for person in cockpit.waiting_for_partner(pair.round)] == [pair.ana.pk]


def test_a_removal_half_done_finishes_on_the_next_run(pair, complaint):
    complaint.status, complaint.decision = "decided", "removal"
    complaint.save()
    BarredEmail.objects.create(email_normalised="kofi.mensah@example.org")
    done = removal.carry_out(complaint)
    assert "barred" in done  # linked to the decision, though the entry was already there
    assert BarredEmail.objects.count() == 1
    assert removal.carry_out(complaint) == []


def test_the_removed_person_gets_the_neutral_message_when_applying_again(client, pair, complaint):
    complaint.status, complaint.decision = "decided", "removal"
    complaint.save()
    removal.carry_out(complaint)
    next_round = RoundFactory(name="Round 10", opened_days_ago=2)
    response = client.post("/apply/", valid_post(name="Kofi M.", email="KOFI.MENSAH@example.org"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "We are unable to accept your application to this round" in body
    assert "code of conduct" not in body.lower().replace("agree to the code of conduct", "")
    assert not Application.objects.filter(round=next_round).exists()


def test_removing_a_volunteer_ends_their_admin_access(client, director):
    volunteer = UserFactory(username="vera")
    make_record(volunteer, ["content_officer"], by=director)
    assert volunteer.groups.filter(name=settings.CONTENT_OFFICERS_GROUP).exists()
    client.force_login(volunteer)
    assert client.get("/admin/volunteers/accept/").status_code == 200  # signed in, serving
    complaint = Complaint.objects.create(
        about="volunteer",
        subject_user=volunteer,
        what_happened="Harassed a participant.",
        status="decided",
        decision="removal",
    )
    done = removal.carry_out(complaint, by=director)
    assert "admin_access" in done and "notice" in done
    volunteer.refresh_from_db()
    assert not volunteer.is_active and not volunteer.groups.exists()
    record = VolunteerRecord.objects.get(user=volunteer)
    assert record.status == VolunteerRecord.Status.RESIGNED  # the volunteer record ends too
    refused = client.get("/admin/volunteers/accept/")  # the old session is refused
    assert refused.status_code == 302 and refused.url.startswith("/admin/login/")
    assert (
        ModelLogEntry.objects.for_instance(volunteer)
        .filter(action="conduct.admin_access_ended", user=director)
        .exists()
    )
    assert removal.carry_out(complaint, by=director) == []


def test_the_bulk_action_removes_through_the_same_service(client, pair, director):
    client.force_login(director)
    url = reverse("wagtail_bulk_action", args=("mentoring", "application", "bar"))
    for _twice in range(2):
        assert client.post(f"{url}?id={pair.kofi.pk}", {}).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.decision == "removal" and complaint.decided_by == director
    assert complaint.barred_email.email_normalised == "kofi.mensah@example.org"
    assert runs.rematch_pool(pair.round) == [pair.ana.pk]
    assert OutboundEmail.objects.filter(template="conduct_removal_notice").count() == 1
    assert OutboundEmail.objects.filter(template="conduct_rematch_offer").count() == 1


def test_a_data_officer_cannot_remove_through_the_bulk_action(client, pair):
    client.force_login(UserFactory(username="dan", groups=[settings.DATA_OFFICERS_GROUP]))
    url = reverse("wagtail_bulk_action", args=("mentoring", "application", "bar"))
    client.post(f"{url}?id={pair.kofi.pk}", {})
    assert not Complaint.objects.exists() and not BarredEmail.objects.exists()


def test_decided_at_is_cleared_when_a_decision_is_reopened(client, complaint, director):
    client.force_login(director)
    post_edit(client, edit_url(complaint), status="decided", decision="warning")
    complaint.refresh_from_db()
    assert complaint.decided_at and complaint.decided_at > timezone.now() - timedelta(minutes=1)
    post_edit(client, edit_url(complaint), status="investigating", decision="")
    complaint.refresh_from_db()
    assert complaint.decided_at is None and complaint.decided_by is None
    assert not BarredEmail.objects.exists()


def test_a_director_records_a_complaint_that_came_by_email_with_a_file(client, pair, director):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conduct.admin_forms import form_values

    client.force_login(director)
    url = reverse("wagtailsnippets_conduct_complaint:add")
    data = form_values(client.get(url).content.decode())
    data.update(
        reporter_name="Ana Lima",
        reporter_email="ana.lima@example.org",
        subject_application=str(pair.kofi.pk),
        what_happened="Told us by email: rude messages.",
        new_evidence=SimpleUploadedFile("email.eml", b"From: ana", "message/rfc822"),
    )
    response = client.post(url, data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.evidence.get().file.read() == b"From: ana"
    assert actions_of(complaint) == ["wagtail.create", "conduct.evidence_added", "conduct.changed"]
    entry = ModelLogEntry.objects.for_instance(complaint).get(action="conduct.changed")
    assert entry.user == director
    assert "subject_application" in entry.data["fields"]
    assert "rude" not in str(entry.data)
    history = client.get(
        reverse("wagtailsnippets_conduct_complaint:history", args=[complaint.pk])
    ).content.decode()
    assert "Evidence added" in history or "evidence file was added" in history


def test_a_removal_leaves_a_finished_round_as_it_was(pair, complaint, director):
    old = RoundFactory(name="Round 3", opened_days_ago=400)
    assert old.status == "finished"
    earlier = Partnership.objects.create(round=old, score=70, published_at=timezone.now())
    old_kofi = ApplicationFactory(
        round=old,
        name="Kofi Mensah",
        email="kofi.mensah@example.org",
        status=Application.Status.MATCHED,
        partnership=earlier,
    )
    bea = ApplicationFactory(
        round=old,
        name="Bea Old",
        email="bea.old@example.org",
        status=Application.Status.MATCHED,
        partnership=earlier,
    )
    complaint.status, complaint.decision = "decided", "removal"
    complaint.save()

    removal.carry_out(complaint, by=director)

    old_kofi.refresh_from_db()
    earlier.refresh_from_db()
    assert old_kofi.status == Application.Status.MATCHED
    assert earlier.ended_at is None and earlier.flagged_at is None
    assert not OutboundEmail.objects.filter(to="bea.old@example.org").exists()
    assert bea.pk not in runs.rematch_pool(old)
    # The running round's partner is still offered a new partner.
    assert OutboundEmail.objects.filter(
        template="conduct_rematch_offer", to="ana.lima@example.org"
    ).exists()


def test_no_rematch_offer_for_a_partnership_that_had_already_ended(pair, complaint, director):
    Partnership.objects.filter(pk=pair.partnership.pk).update(ended_at=timezone.now())
    complaint.status, complaint.decision = "decided", "removal"
    complaint.save()

    removal.carry_out(complaint, by=director)

    assert not OutboundEmail.objects.filter(template="conduct_rematch_offer").exists()


def test_a_director_cannot_lock_out_a_superuser_or_another_director(
    client, director, second_director, admin_user
):
    volunteer = UserFactory(username="vera", groups=[settings.CONTENT_OFFICERS_GROUP])
    client.force_login(director)
    add = client.get(reverse("wagtailsnippets_conduct_complaint:add")).content.decode()
    assert f'value="{volunteer.pk}"' in add
    assert f'value="{second_director.pk}"' not in add
    assert f'value="{admin_user.pk}"' not in add

    for target in (second_director, admin_user):
        complaint = Complaint.objects.create(
            about="volunteer", subject_user=target, what_happened="Harassed a participant."
        )
        response = post_edit(
            client,
            edit_url(complaint),
            status="decided",
            decision="removal",
            reasons="Confirmed.",
        )
        assert response.status_code == 200
        assert "You may not remove this account" in response.content.decode()
        assert "Harassed a participant." in response.content.decode()  # nothing lost
        target.refresh_from_db()
        assert target.is_active
        assert Complaint.objects.get(pk=complaint.pk).decision == ""
        with pytest.raises(removal.RemovalError):
            removal.end_admin_access(target, by=director)
        target.refresh_from_db()
        assert target.is_active

    # A superuser may remove a director.
    assert removal.end_admin_access(second_director, by=admin_user)


def test_a_complaint_holds_at_most_twenty_files(client, complaint, director):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conduct.forms import MAX_EVIDENCE_FILES
    from conduct.models import Evidence

    for number in range(MAX_EVIDENCE_FILES):
        Evidence.objects.create(complaint=complaint, name=f"file{number}.txt")
    client.force_login(director)
    response = post_edit(
        client,
        edit_url(complaint),
        actions="Added the last chat.",
        new_evidence=SimpleUploadedFile("chat.txt", b"hello", "text/plain"),
    )
    assert response.status_code == 200
    assert "already holds 20 files" in response.content.decode()
    assert complaint.evidence.count() == MAX_EVIDENCE_FILES
