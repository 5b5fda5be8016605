"""Webhook signature verification (X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body>)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intercom_ext.webhooks import SIGNATURE_HEADER, compute_signature, verify_signature

SECRET = "client-secret-123"
BODY = b'{"type":"notification_event","topic":"contact.user.created","data":{"item":{"id":"1"}}}'
GOOD = "sha1=" + hmac.new(SECRET.encode(), BODY, hashlib.sha1).hexdigest()


def test_valid_signature() -> None:
    assert SIGNATURE_HEADER == "X-Hub-Signature"
    assert compute_signature(BODY, SECRET) == GOOD
    assert verify_signature(BODY, GOOD, SECRET)
    assert verify_signature(bytearray(BODY), GOOD, SECRET.encode())
    assert verify_signature(BODY, GOOD.upper().replace("SHA1=", "sha1="), SECRET)  # hex case-insensitive
    assert verify_signature(BODY, "SHA1=" + GOOD[5:], SECRET)
    assert verify_signature(BODY, f"  {GOOD}\n", SECRET)


def test_wrong_signature_body_or_secret() -> None:
    assert not verify_signature(BODY + b" ", GOOD, SECRET)
    assert not verify_signature(BODY, GOOD, "other-secret")
    assert not verify_signature(BODY, GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"), SECRET)


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "sha1=",
        GOOD[5:],  # no prefix
        "sha256=" + GOOD[5:],
        "md5=" + GOOD[5:],
        GOOD + "00",  # too long
        GOOD[:-2],  # too short
        "sha1=" + "z" * 40,  # not hex
        "sha1=" + "é" * 40,
        "sha1 " + GOOD[5:],
        GOOD.replace("=", "=="),
    ],
)
def test_malformed_header_returns_false(header: str | None) -> None:
    assert verify_signature(BODY, header, SECRET) is False


def test_programming_errors_raise() -> None:
    with pytest.raises(ValueError, match="client_secret"):
        verify_signature(BODY, GOOD, "")
    with pytest.raises(TypeError, match="raw request bytes"):
        verify_signature(BODY.decode(), GOOD, SECRET)  # type: ignore[arg-type]


def test_uses_constant_time_compare(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = hmac.compare_digest

    def spy(a: str, b: str) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr("intercom_ext.webhooks.hmac.compare_digest", spy)
    assert verify_signature(BODY, GOOD, SECRET)
    assert len(calls) == 1


@given(body=st.binary(max_size=512), secret=st.text(min_size=1, max_size=40), flip=st.integers(min_value=0))
def test_roundtrip_and_tamper(body: bytes, secret: str, flip: int) -> None:
    header = compute_signature(body, secret)
    assert verify_signature(body, header, secret)
    if body:
        i = flip % len(body)
        tampered = body[:i] + bytes([body[i] ^ 0x01]) + body[i + 1 :]
        assert not verify_signature(tampered, header, secret)
    assert not verify_signature(body + b"x", header, secret)


@given(header=st.one_of(st.none(), st.text(max_size=60)))
def test_never_raises_on_arbitrary_header(header: str | None) -> None:
    assert verify_signature(BODY, header, SECRET) in (True, False)
