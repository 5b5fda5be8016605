"""Plain-HTTP calls for the fake's tests where the facade takes a union body (conversation reply and
manage, ticket reply, tagging) or a nested model: kept in one place so a change of the facade's
request side touches nothing else."""

from __future__ import annotations

from typing import Any

import httpx

from intercom_ext.testing import FakeIntercom

TOKEN = "test-token"


def http(fake: FakeIntercom, **headers: str) -> httpx.Client:
    # verify=False: plain HTTP on loopback, and no CA bundle to load for each client (70 ms)
    return httpx.Client(
        verify=False,
        base_url=fake.url,
        headers={"Authorization": f"Bearer {TOKEN}", "Intercom-Version": fake.header, **headers},
    )


def call(fake: FakeIntercom, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
    with http(fake) as client:
        return client.request(method, path, json=body, params=params)


def admin_reply(fake: FakeIntercom, conversation_id: str, text: str, admin_id: str = "1") -> Any:
    body = {"message_type": "comment", "type": "admin", "admin_id": admin_id, "body": text}
    return call(fake, "POST", f"/conversations/{conversation_id}/reply", body).json()


def contact_reply(fake: FakeIntercom, conversation_id: str, contact_id: str, text: str) -> Any:
    body = {"message_type": "comment", "type": "user", "intercom_user_id": contact_id, "body": text}
    return call(fake, "POST", f"/conversations/{conversation_id}/reply", body).json()


def manage(fake: FakeIntercom, conversation_id: str, message_type: str, **fields: Any) -> httpx.Response:
    body = {"message_type": message_type, "type": "admin", "admin_id": "1", **fields}
    return call(fake, "POST", f"/conversations/{conversation_id}/parts", body)


def start_conversation(fake: FakeIntercom, contact_id: str, text: str) -> str:
    body = {"from": {"type": "user", "id": contact_id}, "body": text}
    return str(call(fake, "POST", "/conversations", body).json()["conversation_id"])


def tag_contact(fake: FakeIntercom, contact_id: str, tag_name: str) -> str:
    tag = call(fake, "POST", "/tags", {"name": tag_name}).json()
    call(fake, "POST", f"/contacts/{contact_id}/tags", {"id": tag["id"]})
    return str(tag["id"])


def data_attribute(fake: FakeIntercom, name: str, data_type: str = "string", model: str = "contact") -> Any:
    return call(
        fake, "POST", "/data_attributes", {"name": name, "model": model, "data_type": data_type}
    ).json()


def set_custom(fake: FakeIntercom, contact_id: str, **attributes: Any) -> httpx.Response:
    return call(fake, "PUT", f"/contacts/{contact_id}", {"custom_attributes": attributes})


def search(fake: FakeIntercom, resource: str, query: Any, **body: Any) -> Any:
    return call(fake, "POST", f"/{resource}/search", {"query": query, **body}).json()
