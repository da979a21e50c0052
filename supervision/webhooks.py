"""Posting to group robots (群机器人): 企业微信 and 钉钉 take the same text message; a 钉钉 robot
with 加签 wants the request signed. Success is HTTP 200 with errcode 0 in the JSON answer."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

from .models import Webhook

TIMEOUT = 5  # seconds: a robot that does not answer by then is tried again later


class WebhookError(Exception):
    """Why a post failed, fit to show on a page: no address, token or secret in it."""


def payload(text: str) -> dict:
    return {"msgtype": "text", "text": {"content": text}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_url(webhook: Webhook, timestamp_ms: int | None = None) -> str:
    if webhook.kind != Webhook.Kind.DINGTALK or not webhook.secret:
        return webhook.url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    sign = dingtalk_sign(webhook.secret, timestamp_ms)
    joiner = "&" if "?" in webhook.url else "?"
    return f"{webhook.url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def webhook_post(webhook: Webhook, text: str, *, timeout: float = TIMEOUT) -> None:
    """Post the text; raise WebhookError when the robot did not take it."""
    request = urllib.request.Request(
        signed_url(webhook),
        data=json.dumps(payload(text), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, body = response.status, response.read(65536)
    except urllib.error.HTTPError as error:
        raise WebhookError(_("The robot answered HTTP %(code)s.") % {"code": error.code}) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise WebhookError(
            _("The robot could not be reached (%(error)s).") % {"error": type(error).__name__}
        ) from None
    if status != 200:
        raise WebhookError(_("The robot answered HTTP %(code)s.") % {"code": status})
    _check_answer(body)


def _check_answer(body: bytes) -> None:
    try:
        answer = json.loads(body.decode("utf-8"))
        code = answer.get("errcode")
    except (ValueError, AttributeError):
        raise WebhookError(_("The robot's answer was not understood.")) from None
    if code != 0:
        message = str(answer.get("errmsg", ""))[:100]
        raise WebhookError(
            _("The robot refused the message (errcode %(code)s: %(message)s).")
            % {"code": code, "message": message}
        )


def mask_url(url: str) -> str:
    """The address with its tokens hidden: every query value and every long path part shows
    its last four characters only (…wecom/send?key=••••1a2b)."""
    parts = urlsplit(url)
    path = "/".join(_mask(part) if len(part) >= 20 else part for part in parts.path.split("/"))
    query = urlencode(
        [(name, _mask(value)) for name, value in parse_qsl(parts.query, keep_blank_values=True)],
        safe="•",
    )
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, path, query, ""))


def _mask(value: str) -> str:
    return "••••" + value[-4:] if len(value) > 8 else "••••"
