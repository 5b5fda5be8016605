"""The built site (``site/``, ``make docs``) has every operation of every version in its reference.

Marker ``docs``: ``make docs`` runs this right after ``mkdocs build --strict``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from docsgen.reference import load_versions, model_groups

pytestmark = pytest.mark.docs

SITE = Path(__file__).resolve().parents[2] / "site"
VERSIONS = load_versions()


@pytest.fixture(scope="module", autouse=True)
def built() -> None:
    assert (SITE / "index.html").is_file(), "site/ is not built: run `make docs`"


def _page(*parts: str) -> str:
    return (SITE.joinpath(*parts) / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", VERSIONS, ids=lambda d: d.version.name)
def test_every_operation_is_in_the_reference(doc) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for resource in doc.resources():
        page = _page("reference", doc.module, resource)
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        for op in (op for op in doc.operations if op.resource == resource):
            anchor = f'id="{doc.qualname(resource, op.verb)}"'
            if anchor not in page or f"client.{resource}.{op.verb}(" not in text or op.path not in text:
                missing.append(f"{resource}.{op.verb}")
    assert not missing, f"{doc.version.name}: not in the built reference: {missing}"
    assert sum(1 for _ in doc.operations) == len(doc.facade.OPERATIONS)


@pytest.mark.parametrize("doc", VERSIONS, ids=lambda d: d.version.name)
def test_every_model_is_on_its_resource_s_models_page(doc) -> None:  # type: ignore[no-untyped-def]
    missing = []
    for group, items in model_groups(doc).items():
        page = _page("reference", doc.module, "models", group)
        missing += [cls for module, cls in items if f'id="{doc.package}.models.{module}.{cls}"' not in page]
    assert not missing, missing[:10]
    index = html.unescape(re.sub(r"<[^>]+>", "", _page("reference", doc.module, "models")))
    assert "Every model" in index and all(
        cls in index for items in model_groups(doc).values() for _, cls in items
    )


def test_the_reference_index_lists_every_version() -> None:
    page = _page("reference")
    for doc in VERSIONS:
        assert f'href="{doc.module}/"' in page, doc.version.name


def test_a_method_shows_signature_description_and_example() -> None:
    doc = next(d for d in VERSIONS if d.module == "v2_11")
    text = html.unescape(re.sub(r"<[^>]+>", "", _page("reference", "v2_11", "contacts")))
    assert "contact_id: str" in text  # the signature
    assert "Get a contact" in text  # the description
    assert 'client.contacts.get("<contact_id>")' in text  # the example
    assert "SyncPager[ContactList, Contact]" in text  # a list method's return type
    assert doc.resources()
