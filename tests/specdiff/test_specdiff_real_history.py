"""The differ on real upstream history: 2.11 @54a014d -> @8889625 and Unstable @7a21588 -> @40df073.

Every expectation here was read off the two YAML revisions by hand (see the comment on each)."""

from __future__ import annotations

from codegen.specdiff import Kind, render_markdown


def _one(changelog, kind, **attrs):
    found = changelog.find(kind, **attrs)
    assert len(found) == 1, (kind, attrs, found)
    return found[0]


# ---------------------------------------------------------------------------------------------- 2.11


def test_211_path_parameters_renamed_not_removed(changelog_211):
    # /contacts/{id} became /contacts/{contact_id} (and 51 more like it); no operation disappeared.
    renamed = _one(changelog_211, Kind.PARAMETER_RENAMED, subject="GET /contacts/{contact_id}")
    assert renamed.breaking and (renamed.old, renamed.new) == ("id", "contact_id")
    second = _one(
        changelog_211, Kind.PARAMETER_RENAMED, subject="DELETE /contacts/{contact_id}/tags/{tag_id}"
    )
    assert (second.old, second.new) == ("id", "tag_id")
    assert len(changelog_211.find(Kind.PARAMETER_RENAMED)) == 52
    assert not changelog_211.find(Kind.OPERATION_REMOVED)
    assert not changelog_211.find(Kind.OPERATION_ADDED)


def test_211_path_parameter_type_integer_to_string(changelog_211):
    # GET /admins/{id}: `id: integer` -> `admin_id: string`.
    change = _one(changelog_211, Kind.PARAMETER_TYPE_CHANGED, subject="GET /admins/{admin_id}")
    assert change.breaking and (change.old, change.new) == ("integer", "string")


def test_211_removed_property(changelog_211):
    # data_export.job_identfier (sic) is gone.
    change = _one(changelog_211, Kind.PROPERTY_REMOVED, subject="data_export", name="job_identfier")
    assert change.breaking


def test_211_newly_required_properties(changelog_211):
    # merge_contacts_request (a request body) now requires `from` and `into`: new required arguments.
    for name in ("from", "into"):
        change = _one(
            changelog_211, Kind.PROPERTY_REQUIRED_CHANGED, subject="merge_contacts_request", name=name
        )
        assert change.breaking and change.new == "true"
    # admin (only ever returned) now lists `id` as required: nothing breaks for readers.
    assert not _one(changelog_211, Kind.PROPERTY_REQUIRED_CHANGED, subject="admin", name="id").breaking


def test_211_added_parameters_and_schemas(changelog_211):
    # No operation was added in this range; GET /contacts gained optional paging parameters instead.
    added = _one(changelog_211, Kind.PARAMETER_ADDED, subject="GET /contacts", name="per_page")
    assert not added.breaking and added.where == "query parameter `per_page`"
    assert not _one(changelog_211, Kind.SCHEMA_ADDED, name="tag_basic").breaking
    assert len(changelog_211.find(Kind.SCHEMA_ADDED)) == 48


def test_211_enum_changes(changelog_211):
    # intercom_version drops `Unstable`; activity_log.activity_type gains two values.
    assert _one(changelog_211, Kind.ENUM_VALUE_REMOVED, subject="intercom_version", name="Unstable").breaking
    added = {c.name for c in changelog_211.find(Kind.ENUM_VALUE_ADDED, subject="activity_log")}
    assert added == {"admin_avatar_change", "conversation_pdf_export"}


def test_211_schemas_removed_and_responses_retyped(changelog_211):
    removed = {c.name for c in changelog_211.find(Kind.SCHEMA_REMOVED)}
    assert removed == {
        "article_search_response",
        "conversation_list",
        "custom_attributes",
        "custom_object_instance",
        "paginated_response",
        "update_article_request",
        "update_ticket_type_request",
    }
    change = _one(changelog_211, Kind.RESPONSE_CHANGED, subject="POST /tags")
    assert change.breaking and (change.old, change.new) == ("tag", "tag_basic")


def test_211_operation_id_typo_fix_renames_the_function(changelog_211):
    change = _one(changelog_211, Kind.OPERATION_RENAMED, subject="GET /data_attributes")
    assert change.breaking and (change.old, change.new) == ("lisDataAttributes", "listDataAttributes")


def test_211_nullable_change(changelog_211):
    change = _one(changelog_211, Kind.PROPERTY_NULLABLE_CHANGED, subject="tag", name="applied_at")
    assert change.breaking and change.new == "true"


# ------------------------------------------------------------------------------------------ Unstable


def test_unstable_added_operations(changelog_unstable):
    added = changelog_unstable.find(Kind.OPERATION_ADDED)
    assert len(added) == 60 and not any(c.breaking for c in added)
    brands = _one(changelog_unstable, Kind.OPERATION_ADDED, subject="GET /brands")
    assert brands.name == "listBrands" and brands.resource == "brands"
    assert not changelog_unstable.find(Kind.OPERATION_REMOVED)
    assert not changelog_unstable.find(Kind.PARAMETER_RENAMED)  # none in this range


def test_unstable_removed_properties(changelog_unstable):
    removed = {(c.subject, c.name) for c in changelog_unstable.find(Kind.PROPERTY_REMOVED)}
    assert removed == {
        ("conversation_statistics", "assigned_team_first_response_time_by_team"),
        ("update_ticket_request", "assignment"),
    }
    assert all(c.breaking for c in changelog_unstable.find(Kind.PROPERTY_REMOVED))


def test_unstable_enum_changes(changelog_unstable):
    removed = {c.name for c in changelog_unstable.find(Kind.ENUM_VALUE_REMOVED, subject="ai_agent")}
    assert removed == {"abandoned", "routed_to_team"}
    added = {c.name for c in changelog_unstable.find(Kind.ENUM_VALUE_ADDED, subject="ai_agent")}
    assert added == {"escalated", "negative_feedback", "procedure_handoff"}
    versions = {c.name for c in changelog_unstable.find(Kind.ENUM_VALUE_ADDED, subject="intercom_version")}
    assert versions == {"2.12", "2.13", "2.14"}


def test_unstable_newly_required_and_no_longer_required(changelog_unstable):
    # POST /conversations now returns allOf[message] + required: [conversation_id].
    change = _one(changelog_unstable, Kind.PROPERTY_REQUIRED_CHANGED, subject="POST /conversations")
    assert change.name == "conversation_id" and change.new == "true" and not change.breaking
    # GET /admins/activity_logs: created_at_after is no longer a required argument.
    loosened = _one(changelog_unstable, Kind.PARAMETER_REQUIRED_CHANGED, subject="GET /admins/activity_logs")
    assert loosened.name == "created_at_after" and not loosened.breaking


def test_unstable_schema_removed_and_response_retyped(changelog_unstable):
    assert _one(changelog_unstable, Kind.SCHEMA_REMOVED, name="enqueue_status").breaking
    change = _one(changelog_unstable, Kind.RESPONSE_CHANGED, subject="POST /tickets/enqueue")
    assert (change.old, change.new) == ("enqueue_status", "jobs")
    listing = _one(changelog_unstable, Kind.PROPERTY_TYPE_CHANGED, subject="conversation_list")
    assert (listing.old, listing.new) == ("array[conversation]", "array[conversation_list_item]")


def test_unstable_operation_that_was_malformed_gets_an_operation_id(changelog_unstable):
    # In 7a21588, /jobs/status/{id} had operationId/responses on the path item, not under `get`.
    change = _one(changelog_unstable, Kind.OPERATION_RENAMED, subject="GET /jobs/status/{id}")
    assert change.old == "None" and change.new == "jobsStatus"


# ------------------------------------------------------------------------------------------ rendering


def test_real_changelogs_are_short_summary_first_grouped_and_end_with_the_count(
    changelog_211, changelog_unstable
):
    for changelog in (changelog_211, changelog_unstable):
        text = render_markdown(changelog)
        lines = text.strip().splitlines()
        assert len(lines) < 400  # readable in a minute: the summary, then one line per subject
        headings = [line for line in lines if line.startswith("## ")]
        assert headings[0] == "## Summary"
        assert headings[1].startswith("## Breaking changes")
        assert lines[-1].startswith("**Summary:**")
        assert f"{len(changelog.breaking)} breaking" in lines[-1]
    text_211 = render_markdown(changelog_211)
    assert "### `/contacts`" in text_211 and "### Models" in text_211
    assert "- `GET /contacts/{contact_id}`: path parameter `id` renamed to `contact_id`" in text_211
    assert "- `intercom_version`: enum value `Unstable` removed" in text_211
