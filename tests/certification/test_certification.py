"""Certification (认定): a record submitted with evidence, certified or rejected by the
secretariat, and what a record's state is in its register."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import Certification, CertificationEvidence
from certification.registry import State
from certification.selectors import record_state, record_states
from jituan.registers import record_save
from partnerships.models import Consortium, Enterprise, OrderClass

pytestmark = pytest.mark.django_db


def pdf(name="协议.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%cert\n", content_type="application/pdf")


@pytest.fixture
def firm():
    return Enterprise.objects.create(name="奇瑞汽车", industry="制造业")


@pytest.fixture
def order_class(school_a, firm):
    return OrderClass.objects.create(
        member=school_a, enterprise=firm, major="汽车维修", year=2024, students=30
    )


@pytest.fixture
def other_class(school_b, firm):
    return OrderClass.objects.create(
        member=school_b, enterprise=firm, major="化工技术", year=2024, students=25
    )


def submit_url(record):
    return reverse("certification:submit", args=[record._meta.label_lower, record.pk])


def submit(client, record, files=None, note="已签协议"):
    files = [pdf()] if files is None else files
    return client.post(submit_url(record), {"note": note, "evidence": files})


@pytest.fixture
def submitted(client_for, liaison, order_class):
    submit(client_for(liaison), order_class)
    return Certification.objects.get()


# --- submitting -------------------------------------------------------------------------------


def test_it_shows_the_record_as_it_will_be_certified(client_for, liaison, order_class):
    response = client_for(liaison).get(submit_url(order_class))
    assert response.status_code == 200
    body = response.content.decode()
    assert "汽车维修" in body and "奇瑞汽车" in body
    assert 'type="file"' in body and "multiple" in body


def test_it_submits_a_record_with_several_evidence_files(client_for, liaison, order_class):
    response = submit(client_for(liaison), order_class, [pdf("协议.pdf"), pdf("名册.pdf")])
    certification = Certification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:detail", args=[certification.pk])
    assert certification.status == Certification.Status.SUBMITTED
    assert certification.member == order_class.member and certification.year == 2024
    assert certification.submitted_by == liaison and certification.note == "已签协议"
    names = {e.original_name for e in certification.evidence.all()}
    assert names == {"名册.pdf", "协议.pdf"}
    assert all(e.file.storage.exists(e.file.name) for e in certification.evidence.all())
    assert record_state(order_class).state == State.SUBMITTED


def test_it_refuses_a_submission_without_evidence(client_for, liaison, order_class):
    response = submit(client_for(liaison), order_class, files=[])
    assert response.status_code == 200
    assert "Attach at least one evidence file" in response.content.decode() or (
        "证明材料" in response.content.decode()
    )
    assert not Certification.objects.exists()
    assert not CertificationEvidence.objects.exists()


def test_it_refuses_a_file_that_is_not_evidence(client_for, liaison, order_class):
    fake = SimpleUploadedFile("协议.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = submit(client_for(liaison), order_class, files=[fake])
    assert response.status_code == 200
    assert not Certification.objects.exists()


def test_it_hides_another_members_record_from_a_liaison(client_for, liaison, other_class):
    client = client_for(liaison)
    assert client.get(submit_url(other_class)).status_code == 404
    assert submit(client, other_class).status_code == 404
    assert not Certification.objects.exists()


def test_it_answers_404_for_an_unknown_record_type(client_for, secretariat, order_class):
    url = reverse("certification:submit", args=["partnerships.enterprise", order_class.pk])
    assert client_for(secretariat).get(url).status_code == 404


def test_it_lets_only_the_secretariat_submit_a_consortium(
    client_for, liaison, secretariat, school_a
):
    consortium = Consortium.objects.create(
        name="经开区产教联合体",
        scope="city",
        level="provincial",
        level_year=2024,
        member=school_a,
        founded=2022,
    )
    assert client_for(liaison).get(submit_url(consortium)).status_code == 403
    assert submit(client_for(secretariat), consortium).status_code == 302
    assert Certification.objects.get().year == 2024


def test_it_refuses_leadership(client_for, leadership, order_class):
    assert client_for(leadership).get(submit_url(order_class)).status_code == 403


def test_it_sends_an_awaiting_record_to_its_submission(client_for, liaison, submitted):
    response = client_for(liaison).get(submit_url(submitted.record))
    assert response.status_code == 302
    assert response["Location"] == submitted.get_absolute_url()


# --- deciding ---------------------------------------------------------------------------------


def test_it_certifies_stamped_with_who_and_when(client_for, secretariat, submitted):
    before = timezone.now()
    url = reverse("certification:certify", args=[submitted.pk])
    assert client_for(secretariat).post(url).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.CERTIFIED
    assert submitted.decided_by == secretariat and submitted.decided_at >= before
    assert record_state(submitted.record).state == State.CERTIFIED


def test_it_rejects_with_a_reason(client_for, secretariat, liaison, submitted):
    url = reverse("certification:reject", args=[submitted.pk])
    assert client_for(secretariat).post(url, {"reason": "协议未盖章"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.REJECTED
    assert submitted.reason == "协议未盖章" and submitted.decided_by == secretariat
    assert record_state(submitted.record).state == State.REJECTED
    body = client_for(liaison).get(submitted.get_absolute_url()).content.decode()
    assert "协议未盖章" in body


def test_it_refuses_a_rejection_without_a_reason(client_for, secretariat, submitted):
    url = reverse("certification:reject", args=[submitted.pk])
    response = client_for(secretariat).post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode() or "理由" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.SUBMITTED and submitted.decided_by is None


def test_it_lets_no_liaison_decide(client_for, liaison, submitted):
    client = client_for(liaison)
    assert client.post(reverse("certification:certify", args=[submitted.pk])).status_code == 403
    url = reverse("certification:reject", args=[submitted.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.SUBMITTED


def test_it_refuses_get_on_the_decisions(client_for, secretariat, submitted):
    client = client_for(secretariat)
    assert client.get(reverse("certification:certify", args=[submitted.pk])).status_code == 405
    assert client.get(reverse("certification:reject", args=[submitted.pk])).status_code == 405


def test_it_shows_the_secretariat_the_decision_buttons(client_for, secretariat, liaison, submitted):
    body = client_for(secretariat).get(submitted.get_absolute_url()).content.decode()
    assert 'data-testid="certification-decide"' in body and "data-confirm" in body
    body = client_for(liaison).get(submitted.get_absolute_url()).content.decode()
    assert 'data-testid="certification-decide"' not in body


# --- a certified record is locked: a change is a new version ----------------------------------


def test_it_turns_a_changed_certified_record_to_changed_and_certifies_it_again(
    client_for, secretariat, liaison, submitted
):
    client_for(secretariat).post(reverse("certification:certify", args=[submitted.pk]))
    record = submitted.record
    record.students = 35
    record_save(record=record, user=liaison)
    assert record_state(record).state == State.CHANGED
    # The submission's page marks what differs from the record as it is now.
    body = client_for(liaison).get(submitted.get_absolute_url()).content.decode()
    assert 'data-testid="certification-changed"' in body
    assert 'data-testid="certification-differs"' in body
    assert submit(client_for(liaison), record).status_code == 302
    again = Certification.objects.order_by("-pk").first()
    assert again.pk != submitted.pk and again.snapshot["students"] == 35
    client_for(secretariat).post(reverse("certification:certify", args=[again.pk]))
    assert record_state(record).state == State.CERTIFIED
    # The submission page lists the earlier one.
    body = client_for(secretariat).get(again.get_absolute_url()).content.decode()
    assert submitted.get_absolute_url() in body


def test_it_knows_a_records_state_as_of_a_cut_off(client_for, secretariat, submitted):
    cut_off = timezone.now()
    client_for(secretariat).post(reverse("certification:certify", args=[submitted.pk]))
    record = submitted.record
    assert record_state(record).state == State.CERTIFIED
    assert record_state(record, as_of=cut_off).state == State.SUBMITTED
    before = cut_off - timedelta(days=1)
    assert record_states([record], as_of=before)[record.pk].state == State.NOT_SUBMITTED


# --- lists, downloads, registers --------------------------------------------------------------


def test_it_lists_awaiting_certifications_scoped_to_the_liaison(
    client_for, liaison, secretariat, submitted, other_class
):
    submit(client_for(secretariat), other_class)
    response = client_for(secretariat).get(reverse("certification:list") + "?status=submitted")
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 2
    body = client_for(liaison).get(reverse("certification:list")).content.decode()
    assert "汽车维修" in body and "化工技术" not in body


def test_it_downloads_evidence_only_within_scope(
    client_for, liaison, secretariat, submitted, other_class
):
    evidence = submitted.evidence.get()
    response = client_for(liaison).get(evidence.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    submit(client_for(secretariat), other_class)
    others = CertificationEvidence.objects.exclude(pk=evidence.pk).get()
    assert client_for(liaison).get(others.get_absolute_url()).status_code == 404
    other = Certification.objects.get(object_id=other_class.pk)
    assert client_for(liaison).get(other.get_absolute_url()).status_code == 404


def test_it_shows_each_records_state_in_its_register(
    client_for, secretariat, submitted, other_class
):
    client = client_for(secretariat)
    response = client.get(reverse("partnerships:order-classes-list"))
    body = response.content.decode()
    assert body.count('data-testid="certification-state"') == 2
    assert submitted.get_absolute_url() in body


def test_it_reads_the_states_of_a_register_page_in_one_query(
    client_for, secretariat, school_a, firm
):
    for n in range(5):
        OrderClass.objects.create(
            member=school_a, enterprise=firm, major=f"专业{n}", year=2024, students=20 + n
        )
    client = client_for(secretariat)
    url = reverse("partnerships:order-classes-list")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    cert_queries = [q for q in captured if "certification_certification" in q["sql"]]
    assert len(cert_queries) == 1


def test_it_shows_the_certification_card_on_the_edit_page(
    client_for, liaison, secretariat, order_class
):
    url = reverse("partnerships:order-classes-update", args=[order_class.pk])
    body = client_for(liaison).get(url).content.decode()
    assert 'data-testid="certification-card"' in body
    assert submit_url(order_class) in body
    submit(client_for(liaison), order_class)
    certification = Certification.objects.get()
    client_for(secretariat).post(reverse("certification:certify", args=[certification.pk]))
    body = client_for(liaison).get(url).content.decode()
    assert 'data-testid="certification-locked"' in body
    assert submit_url(order_class) not in body


def test_it_shows_no_card_on_a_register_that_needs_no_certification(client_for, secretariat, firm):
    url = reverse("partnerships:enterprises-update", args=[firm.pk])
    body = client_for(secretariat).get(url).content.decode()
    assert 'data-testid="certification-card"' not in body


def test_it_closes_an_awaiting_submission_when_the_changed_record_is_submitted_again(
    client_for, secretariat, liaison, submitted
):
    record = submitted.record
    record.students = 40
    record_save(record=record, user=liaison)
    body = client_for(secretariat).get(submitted.get_absolute_url()).content.decode()
    assert 'data-testid="certification-certify"' not in body  # not what the record is now
    assert submit(client_for(liaison), record).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.REJECTED and submitted.reason
    waiting = Certification.objects.filter(status=Certification.Status.SUBMITTED)
    assert [c.snapshot["students"] for c in waiting] == [40]


def test_it_rejects_a_submission_whose_record_changed(client_for, secretariat, liaison, submitted):
    record = submitted.record
    record.students = 41
    record_save(record=record, user=liaison)
    url = reverse("certification:reject", args=[submitted.pk])
    assert client_for(secretariat).post(url, {"reason": "人数有变"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Certification.Status.REJECTED
    assert record_state(record).state == State.REJECTED
