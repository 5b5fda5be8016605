"""The facade's naming and paging rules, and their exception tables.

* resource = the operation's first tag in snake_case (:func:`resource_for`);
* verb = :func:`verb_for` applied to the operationId (rule in its docstring), unless
  :data:`VERB_EXCEPTIONS` names it;
* the pagination style of a list operation = :func:`pagination_style`, from the spec's paging
  parameters, with :data:`PAGINATION_OVERRIDES` where the spec is silent;
* ``<resource>.export()`` exists for the resources of :data:`EXPORTS`.

The tables are data: a new upstream revision that needs an exception adds an entry here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Collection

from openapi_python_client.strings import snake_case

#: First words of an operationId that mean the same verb.
VERB_SYNONYMS = {"retrieve": "get", "show": "get", "find": "get", "lis": "list", "fetch": "get"}
_FILLER = {"a", "an", "the", "all"}
_TRAILING = {"for", "to", "from", "over", "with", "of", "by", "on", "in", "into"}

#: operationId -> verb, where the rule reads badly. Keys are operationIds (any version).
VERB_EXCEPTIONS: dict[str, str] = {
    "createPhoneSwitch": "create",
    "dataEventSummaries": "create_summaries",
    "detachSubscriptionTypeToContact": "detach_from_contact",
    # Unstable: GET /messages/status (statuses by ruleset) vs GET /messages/whatsapp/status.
    "getWhatsAppMessageStatus": "list_statuses",
}

#: (version, METHOD, path) -> pagination style, for list operations whose spec declares no paging
#: parameters although the API pages (2.10's GET /contacts pages with starting_after like 2.11's).
PAGINATION_OVERRIDES: dict[tuple[str, str, str], str] = {
    ("2.10", "GET", "/contacts"): "CURSOR",
}

#: resource -> (verb of the operation an export walks, seconds each search window reaches beyond its
#: ends). Contact search indexes timestamps by day, hence a day of overlap.
EXPORTS: dict[str, tuple[str, int]] = {
    "contacts": ("search", 86400),
    "conversations": ("search", 0),
    "tickets": ("search", 0),
    "companies": ("scroll", 0),
}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "news")):
        return word[:-1]
    return word


def resource_for(tag: str) -> str:
    """``Data Attributes`` -> ``data_attributes``."""
    return snake_case(tag)


def verb_for(operation_id: str, resource: str) -> str:
    """The method name for an operation on ``resource``.

    Rule: snake_case the operationId; map the first word through :data:`VERB_SYNONYMS`
    (retrieve/show/find -> get); drop filler words (a, an, the, all); drop the resource's own
    name, singular or plural (``createDataAttribute`` on ``data_attributes`` -> ``create``); drop
    a trailing preposition left behind (``listCompaniesForAContact`` -> ``list_companies``).
    """
    if operation_id in VERB_EXCEPTIONS:
        return VERB_EXCEPTIONS[operation_id]
    words = snake_case(operation_id).split("_")
    words[0] = VERB_SYNONYMS.get(words[0], words[0])
    words = [words[0]] + [w for w in words[1:] if w not in _FILLER]
    res = resource.split("_")
    for candidate in (res, [*res[:-1], _singular(res[-1])]):
        n = len(candidate)
        for i in range(1, len(words) - n + 1):
            if words[i : i + n] == candidate:
                words = words[:i] + words[i + n :]
                break
        else:
            continue
        break
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return "_".join(words)


def pagination_style(
    version: str, method: str, path: str, query: Collection[str], body_fields: Collection[str]
) -> str | None:
    """How a list operation pages, from its query parameter names and its body model's field names:
    SCROLL (``scroll_param`` query), CURSOR (``starting_after`` query), SEARCH (a body with a
    ``pagination`` object), PAGE (``page`` query); :data:`PAGINATION_OVERRIDES` first."""
    override = PAGINATION_OVERRIDES.get((version, method.upper(), path))
    if override:
        return override
    if "scroll_param" in query:
        return "SCROLL"
    if "starting_after" in query:
        return "CURSOR"
    if "pagination" in body_fields:
        return "SEARCH"
    if "page" in query:
        return "PAGE"
    return None
