"""Lesson 04's comparison of API keys, kept by every later lesson that compares keys so.

`compare_digest` takes as long for a near miss as for a far one, but its time may still depend
on the lengths it compares: the keys are compared as SHA-256 digests, always 32 bytes each.
"""

import hmac

import pytest
from fastapi.testclient import TestClient


def test_api_keys_are_compared_as_digests_of_one_length(
    anonymous_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[int, int]] = []
    compare_digest = hmac.compare_digest

    def recording_compare_digest(sent: bytes, known: bytes) -> bool:
        compared.append((len(sent), len(known)))
        return compare_digest(sent, known)

    monkeypatch.setattr(hmac, "compare_digest", recording_compare_digest)
    for key in ("f", "front-desk-demo-key", "x" * 1000):
        anonymous_client.get("/tickets", headers={"X-API-Key": key})
    assert compared, "no API key went through hmac.compare_digest"
    assert set(compared) == {(32, 32)}
