"""What the API really sends parses: missing "required" properties read as None, nulls, unknown
enum values and unknown properties are kept, and to_dict() gives them back. Requests keep the
spec's shape."""

from __future__ import annotations

from intercom_v2_11.models import Admin, ArticleContent, ArticleContentState, Contact
from intercom_v2_11.types import UNSET

from intercom_ext import NOT_GIVEN


def test_missing_required_property_reads_none_and_is_not_written_back() -> None:
    # The spec's own admin examples omit the required job_title.
    admin = Admin.from_dict({"type": "admin", "id": "1", "name": "Ann", "email": "a@x.io"})
    assert admin.job_title is None
    assert admin.raw("job_title") is NOT_GIVEN
    assert admin.to_dict() == {"type": "admin", "id": "1", "name": "Ann", "email": "a@x.io"}


def test_unknown_enum_value_is_kept_as_its_string() -> None:
    content = ArticleContent.from_dict({"type": "article_content", "state": "scheduled"})
    assert content.state == "scheduled"
    assert isinstance(content.state, ArticleContentState)
    assert content.to_dict() == {"type": "article_content", "state": "scheduled"}
    assert ArticleContentState("draft") is ArticleContentState.DRAFT


def test_null_for_a_non_nullable_object_and_unknown_fields_are_kept() -> None:
    contact = Contact.from_dict({"type": "contact", "id": "1", "location": None, "brand_new_field": {"a": 1}})
    assert contact.location is None
    assert contact.additional_properties == {"brand_new_field": {"a": 1}}
    assert contact.to_dict() == {"type": "contact", "id": "1", "location": None, "brand_new_field": {"a": 1}}


def test_unset_survives_pickle_and_copy() -> None:
    import copy
    import pickle

    import intercom_preview.types
    import intercom_v2_10.types

    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    assert copy.deepcopy(UNSET) is UNSET
    # one sentinel for every version
    assert UNSET is NOT_GIVEN is intercom_v2_10.types.UNSET is intercom_preview.types.UNSET
    assert intercom_v2_10.types.Unset is intercom_preview.types.Unset
    admin = Admin.from_dict({"type": "admin", "id": "1"})
    assert pickle.loads(pickle.dumps(admin)).job_title is None
