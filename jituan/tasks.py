from celery import shared_task


@shared_task(ignore_result=False)  # the worker test reads its answer back
def ping(payload: str) -> dict:
    """Round-trips through the broker: used by /healthz-style checks and the worker test."""
    from django.db import connection

    return {"echo": payload, "database": connection.vendor}
