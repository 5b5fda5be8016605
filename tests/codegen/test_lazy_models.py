"""Nested models are built on first access (intercom_ext._model.ResponseModel): what a user sees is
the same as an eager from_dict, only the work moves to the first read."""

from __future__ import annotations

import copy
import pickle
import threading
from typing import Any

import attrs
import pytest
from intercom_v2_11.models import AddressableList, Contact, ContactList, ContactTags

from intercom_ext import NOT_GIVEN
from intercom_ext._model import ResponseModel, Shape

TAGS = {"type": "list", "data": [{"type": "tag", "id": "t1", "url": "/tags/t1"}], "has_more": False}
CONTACT = {
    "type": "contact",
    "id": "c1",
    "email": "a@x.io",
    "tags": TAGS,
    "location": {"type": "location", "country": "France", "city": "Paris"},
    "avatar": None,
    "future_field": [1, 2],
}


class _Counted(Shape):
    def __init__(self, shape: Shape, calls: list[Any]) -> None:
        self.shape, self.calls = shape, calls

    def parse(self, value: Any) -> Any:
        self.calls.append(value)
        return self.shape.parse(value)


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[Any]:
    """Count the builds of ``Contact.<name>`` (the shape its module registered)."""
    calls: list[Any] = []
    monkeypatch.setitem(Contact._shapes, name, _Counted(Contact._shapes[name], calls))
    return calls


def test_a_nested_model_is_built_on_first_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch, "tags")
    contact = Contact.from_dict(CONTACT)
    assert (contact.id, contact.email) == ("c1", "a@x.io")
    assert calls == []  # reading plain fields builds nothing
    tags = contact.tags
    assert isinstance(tags, ContactTags)
    assert contact.tags is tags  # stored: the second read is a plain attribute read
    assert len(calls) == 1
    assert tags.data == [AddressableList.from_dict(TAGS["data"][0])]
    assert tags.has_more is False


def test_lazy_and_fully_read_models_are_equal_and_round_trip() -> None:
    untouched = Contact.from_dict(CONTACT)
    read = Contact.from_dict(CONTACT)
    repr(read)  # reads every attribute
    assert untouched == read
    assert untouched.to_dict() == CONTACT
    assert attrs.asdict(Contact.from_dict(CONTACT))["tags"]["data"][0]["id"] == "t1"
    assert pickle.loads(pickle.dumps(Contact.from_dict(CONTACT))) == read
    assert copy.deepcopy(Contact.from_dict(CONTACT)) == read
    assert "tags=ContactTags(data=[AddressableList(" in repr(untouched)


def test_null_unset_and_unknown_fields_are_as_eager() -> None:
    contact = Contact.from_dict(CONTACT)
    assert contact.avatar is None
    assert contact.notes is None
    assert contact.raw("notes") is NOT_GIVEN
    assert contact.additional_properties == {"future_field": [1, 2]}


def test_a_nested_value_that_does_not_build_is_kept_as_sent_when_read() -> None:
    contact = Contact.from_dict({"id": "c1", "tags": {"data": [1, "x"]}, "location": "Paris"})
    assert contact.location is None  # not an object: never pending, reads None, kept as sent
    assert contact.raw("location") == "Paris"
    assert contact.tags is not None
    assert contact.tags.data is None  # items are not objects: the list is kept as sent
    assert contact.tags.raw("data") == [1, "x"]
    assert contact.to_dict() == {"id": "c1", "tags": {"data": [1, "x"]}, "location": "Paris"}


def test_unknown_attributes_still_raise_attribute_error() -> None:
    contact = Contact.from_dict(CONTACT)
    with pytest.raises(AttributeError, match="'Contact' object has no attribute 'tagz'") as info:
        contact.tagz  # noqa: B018
    assert info.value.name == "tagz"
    assert not hasattr(contact, "tagz")


def test_models_made_by_init_or_assigned_by_the_user_are_not_lazy() -> None:
    tags = ContactTags(data=[], url="/t", total_count=0, has_more=False)
    assert tags.data == []
    contact = Contact.from_dict(CONTACT)
    contact.tags = tags  # assignment wins over what from_dict kept
    assert contact.tags is tags


def test_concurrent_first_reads_get_equal_models() -> None:
    page = ContactList.from_dict({"type": "list", "data": [CONTACT] * 50})
    results: list[Any] = []
    barrier = threading.Barrier(4)

    def read() -> None:
        barrier.wait()
        results.append([contact.tags for contact in page.data])

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert all(result == results[0] for result in results)
    assert all(isinstance(tags, ContactTags) for tags in results[0])


def test_every_model_with_nested_models_is_lazy_and_registers_each_builder() -> None:
    import importlib
    import pkgutil

    import intercom_v2_11.models as models_pkg

    lazy = 0
    for info in pkgutil.iter_modules(models_pkg.__path__):
        module = importlib.import_module(f"intercom_v2_11.models.{info.name}")
        for value in vars(module).values():
            defined_here = isinstance(value, type) and value.__module__ == module.__name__
            if defined_here and issubclass(value, ResponseModel):
                fields = {field.name for field in attrs.fields(value)}
                assert set(value._shapes) <= fields, value
                lazy += any(shape.models for shape in value._shapes.values())
    assert lazy > 50


def test_a_read_racing_with_another_threads_build_gets_that_build() -> None:
    # The moment a racing thread sees: the attribute was unset when its read began, then the other
    # thread built it, stored it and removed it from the pending JSON.
    contact = Contact.from_dict(CONTACT)
    built = ContactTags.from_dict(TAGS)
    object.__setattr__(contact, "tags", built)
    contact._lazy.pop("tags")
    assert contact.__getattr__("tags") is built  # type: ignore[attr-defined]
