"""The Excel upload when the queue is down, and the sweep that sends stalled imports again."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from targets.models import ImportBatch
from targets.services import import_batch_create
from targets.tasks import import_commit, import_preview, resume_stalled_imports
from tests.sheets import FOUR, task_rows, task_sheet


def broker_down(*args, **kwargs):
    raise ConnectionRefusedError("redis://127.0.0.1:6379 refused")


@pytest.fixture
def sheet(tmp_path):
    path = task_sheet(tmp_path / "任务分解.xlsx", task_rows(1, "扩大招生规模", FOUR))
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.fixture
def sent(monkeypatch):
    """The ids of the batches handed to the worker."""
    ids = []
    monkeypatch.setattr(import_preview, "apply_async", lambda args, **kwargs: ids.append(args[0]))
    return ids


def batch_made(sheet, user, *, status=ImportBatch.Status.QUEUED, ago=timedelta(0)):
    # A batch per call: the same file uploaded again while it waits would be kept once.
    year = 2020 + ImportBatch.objects.count()
    batch = import_batch_create(kind="tasks", year=year, upload=sheet, user=user)
    at = timezone.now() - ago
    started = None if status in (ImportBatch.Status.QUEUED, ImportBatch.Status.COMMITTING) else at
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, created_at=at, queued_at=at, started_at=started
    )
    return batch


@pytest.mark.django_db(transaction=True)  # the on-commit send runs at commit, as in production
def test_with_the_queue_down_the_upload_is_kept_and_the_page_answers_at_once(
    client_for, secretariat, sheet, monkeypatch
):
    monkeypatch.setattr(import_preview, "apply_async", broker_down)
    client = client_for(secretariat)
    response = client.post(
        reverse("targets:import-create"), {"kind": "tasks", "year": 2020, "file": sheet}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    page = client.get(response["Location"])
    assert "队列暂时不可用；您的请求已保存，队列恢复后会自动运行。" in page.content.decode()
    assert batch.status == ImportBatch.Status.QUEUED  # kept: the sweep sends it later


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_up_the_upload_is_sent_without_a_warning(
    client_for, secretariat, sheet, sent
):
    client = client_for(secretariat)
    response = client.post(
        reverse("targets:import-create"),
        {"kind": "tasks", "year": 2020, "file": sheet},
        follow=True,
    )
    assert sent == [ImportBatch.objects.get().pk]
    assert "队列暂时不可用" not in response.content.decode()


@pytest.mark.django_db
def test_the_sweep_sends_a_batch_queued_five_minutes_ago_but_not_one_just_queued(
    secretariat, sheet, sent
):
    stalled = batch_made(sheet, secretariat, ago=timedelta(minutes=5))
    batch_made(sheet, secretariat, ago=timedelta(seconds=30))
    assert resume_stalled_imports() == 1
    assert sent == [stalled.pk]


@pytest.mark.django_db
def test_the_sweep_sends_a_parse_only_once_it_is_past_the_time_limit(secretariat, sheet, sent):
    limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    dead = batch_made(
        sheet, secretariat, status=ImportBatch.Status.PARSING, ago=limit + timedelta(minutes=1)
    )
    batch_made(sheet, secretariat, status=ImportBatch.Status.PARSING, ago=timedelta(minutes=5))
    for done in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        batch_made(sheet, secretariat, status=done, ago=timedelta(hours=2))
    assert resume_stalled_imports() == 1
    assert sent == [dead.pk]


@pytest.mark.django_db
def test_the_sweep_keeps_a_batch_queued_while_the_queue_is_still_down(
    secretariat, sheet, monkeypatch
):
    batch = batch_made(sheet, secretariat, ago=timedelta(minutes=5))
    monkeypatch.setattr(import_preview, "apply_async", broker_down)
    assert resume_stalled_imports() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED


@pytest.mark.django_db
def test_parsing_a_batch_again_gives_the_same_preview(secretariat, sheet):
    dead = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    batch = batch_made(sheet, secretariat, status=ImportBatch.Status.PARSING, ago=dead)
    assert import_preview(batch.pk) == ImportBatch.Status.PREVIEWED  # its worker was killed
    first = ImportBatch.objects.get(pk=batch.pk).preview
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.PARSING, started_at=timezone.now() - dead
    )
    assert import_preview(batch.pk) == ImportBatch.Status.PREVIEWED
    assert ImportBatch.objects.get(pk=batch.pk).preview == first
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTED)
    assert import_preview(batch.pk) == ImportBatch.Status.COMMITTED  # past parsing: left alone


@pytest.mark.django_db
def test_a_second_delivery_leaves_a_batch_another_worker_is_reading(secretariat, sheet):
    batch = batch_made(
        sheet, secretariat, status=ImportBatch.Status.PARSING, ago=timedelta(minutes=1)
    )
    assert import_preview(batch.pk) == ImportBatch.Status.PARSING
    assert ImportBatch.objects.get(pk=batch.pk).preview == {}


@pytest.mark.django_db
def test_the_sweep_sends_an_import_asked_for_while_the_queue_was_down(
    secretariat, sheet, monkeypatch
):
    committing = []
    monkeypatch.setattr(
        import_commit, "apply_async", lambda args, **kwargs: committing.append(args[0])
    )
    waiting = batch_made(
        sheet, secretariat, status=ImportBatch.Status.COMMITTING, ago=timedelta(minutes=5)
    )
    dead = batch_made(sheet, secretariat, status=ImportBatch.Status.COMMITTING, ago=timedelta(0))
    ImportBatch.objects.filter(pk=dead.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    )
    running = batch_made(sheet, secretariat, status=ImportBatch.Status.COMMITTING)
    ImportBatch.objects.filter(pk=running.pk).update(started_at=timezone.now())
    assert resume_stalled_imports() == 2
    assert sorted(committing) == sorted([waiting.pk, dead.pk])
    assert resume_stalled_imports() == 1  # sent again only once its wait is over: the dead one
    assert committing[-1] == dead.pk


@pytest.mark.django_db(transaction=True)
def test_the_same_file_uploaded_again_while_the_queue_is_down_is_kept_once(
    client_for, secretariat, sheet, monkeypatch
):
    monkeypatch.setattr(import_preview, "apply_async", broker_down)
    monkeypatch.setattr("targets.views.plans.queue_reachable", lambda: False)
    client = client_for(secretariat)
    for _click in range(2):
        sheet.seek(0)
        response = client.post(
            reverse("targets:import-create"),
            {"kind": "tasks", "year": 2020, "file": sheet},
            follow=True,
        )
        assert "队列暂时不可用；您的请求已保存，队列恢复后会自动运行。" in response.content.decode()
    assert ImportBatch.objects.count() == 1
