"""pytest fixtures for FakeIntercom, registered by the package (entry point ``pytest11``).

``intercom_fake``: a started fake of the newest stable API version, fresh for each test.
``intercom_fake_factory(version=None, **options)``: starts more (other versions, ``rate_limit=``,
``token=``, ``clock=``, ``seed=``); each is stopped when the test ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._fake import FakeIntercom

__all__ = ["intercom_fake", "intercom_fake_factory"]


@pytest.fixture
def intercom_fake_factory() -> Iterator[Callable[..., FakeIntercom]]:
    """Make started ``FakeIntercom`` servers: ``intercom_fake_factory(version="2.11", rate_limit=(5, 1))``."""
    from ._fake import FakeIntercom  # imported when used: loading the plugin stays cheap

    started: list[FakeIntercom] = []

    def make(version: str | None = None, **options: Any) -> FakeIntercom:
        fake = FakeIntercom(version, **options).start()
        started.append(fake)
        return fake

    try:
        yield make
    finally:
        for fake in started:
            fake.stop()


@pytest.fixture
def intercom_fake(intercom_fake_factory: Callable[..., FakeIntercom]) -> FakeIntercom:
    """A started ``FakeIntercom`` of the newest stable version: ``base_url=intercom_fake.url``."""
    return intercom_fake_factory()
