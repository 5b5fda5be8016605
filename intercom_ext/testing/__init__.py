"""Test without a workspace: a stateful in-memory fake Intercom over real HTTP on loopback.

::

    from intercom_ext import v2_11
    from intercom_ext.testing import FakeIntercom

    with FakeIntercom(version="2.11") as fake:
        client = v2_11.Intercom(token="test-token", base_url=fake.url)
        client.contacts.create(email="ada@example.com", name="Ada")
        assert [r.operation for r in fake.requests] == ["contacts.create"]

With pytest, the fixtures ``intercom_fake`` and ``intercom_fake_factory`` come with the package
(plugin ``intercom_ext.testing.pytest_plugin``); from a shell, ``intercom-sdk mock`` serves one.
See the testing guide (docs/guides/testing.md).
"""

from ._fake import FakeIntercom, Fault, RecordedRequest, newest_stable_version
from ._support import FakeClock, free_port

__all__ = ["FakeClock", "FakeIntercom", "Fault", "RecordedRequest", "free_port", "newest_stable_version"]
