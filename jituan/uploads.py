"""Refusing an oversized request body before it is read: by its declared Content-Length, and,
for a body sent without one, by counting what arrives."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse
from django.template.loader import render_to_string


def _limit_mb() -> int:
    return settings.JITUAN_REQUEST_MAX_BYTES // (1024 * 1024)


class RequestSizeLimitMiddleware:
    """A 300 MB upload is answered 413 at once, not received whole and then refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.JITUAN_REQUEST_MAX_BYTES:
            # Runs before the session and the user are known: a page of its own, not base.html.
            body = render_to_string("413.html", {"limit": _limit_mb()})
            return HttpResponse(body, status=413)
        return self.get_response(request)


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: counts the bytes of a body that declared no length and
    stops reading it past the limit (the form then reports the file as missing)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.JITUAN_REQUEST_MAX_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
