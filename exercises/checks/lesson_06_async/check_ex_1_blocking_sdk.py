"""Checks that `/health` answers while a customer is being notified, and the SMS still goes.

--8<-- [start:hint]
Two fixes work. Either make `notify_customer` a plain `def`: FastAPI then runs it in its
threadpool, where blocking holds up one worker thread, not the event loop. Or keep `async
def` and hand the blocking call to a thread: `await run_in_threadpool(send_sms, phone, text)`
(from `fastapi.concurrency`) or `await asyncio.to_thread(send_sms, phone, text)`.
--8<-- [end:hint]
"""

import threading
import time
from types import ModuleType

import pytest
from fastapi.testclient import TestClient

from exercises.checks.words import answered

HEALTH_WITHIN_SECONDS = 0.75


@pytest.fixture
def sent(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each SMS, still sending it the slow way."""
    texts: list[str] = []
    real_send_sms = module.send_sms

    def send_sms(phone: str, text: str) -> None:
        real_send_sms(phone, text)
        texts.append(text)

    monkeypatch.setattr(module, "send_sms", send_sms)
    return texts


def test_notifying_sends_one_sms(client: TestClient, sent: list[str], module: ModuleType) -> None:
    assert module.SMS_SECONDS == 1.5, "leave SMS_SECONDS at 1.5: the check times the calls"
    response = client.post("/tickets/1/notify")
    assert response.status_code == 200, answered("POST /tickets/1/notify", response, 200)
    assert response.json() == {"status": "sent"}
    assert len(sent) == 1, f"send_sms should be called once per notification; it was {len(sent)}"


@pytest.mark.usefixtures("sent")
def test_health_answers_while_a_customer_is_notified(client: TestClient) -> None:
    notifying = threading.Thread(target=client.post, args=("/tickets/1/notify",))
    notifying.start()
    time.sleep(0.1)  # the notification is under way
    started = time.perf_counter()
    response = client.get("/health")
    waited = time.perf_counter() - started
    notifying.join()
    assert response.status_code == 200, answered("GET /health", response, 200)
    assert waited < HEALTH_WITHIN_SECONDS, (
        f"GET /health took {waited:.2f} s while a customer was being notified: "
        "send_sms still blocks the event loop"
    )
