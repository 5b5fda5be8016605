"""Generated-code effect: public modules, classes, functions and signatures of two package trees."""

from __future__ import annotations

from pathlib import Path

from codegen.specdiff import diff_packages, render_markdown
from codegen.specdiff._codegen_effect import scan_module
from codegen.specdiff._model import Changelog

API_OLD = """
def _get_kwargs(id: str): ...
def sync(id: str, *, client, page=None): ...
async def asyncio(id: str, *, client, page=None): ...
"""
API_NEW = """
def _get_kwargs(contact_id: str): ...
def sync(contact_id: str, *, client, page=None): ...
async def asyncio(contact_id: str, *, client, page=None): ...
def sync_detailed(contact_id: str, *, client): ...
"""


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_modules_classes_functions_and_signatures(tmp_path):
    old = _tree(
        tmp_path / "old",
        {
            "__init__.py": "",
            "api/__init__.py": "",
            "api/contacts/show_contact.py": API_OLD,
            "api/data/lis_data_attributes.py": "def sync(*, client): ...\n",
            "models/__init__.py": "",
            "models/contact.py": "class Contact: ...\nclass _Private: ...\n",
            "models/paginated_response.py": "class PaginatedResponse: ...\n",
        },
    )
    new = _tree(
        tmp_path / "new",
        {
            "__init__.py": "",
            "api/__init__.py": "",
            "api/contacts/show_contact.py": API_NEW,
            "api/data/list_data_attributes.py": "def sync(*, client): ...\n",
            "models/__init__.py": "",
            "models/contact.py": "class Contact: ...\nclass ContactLocation: ...\n",
            "models/tag_basic.py": "class TagBasic: ...\n",
        },
    )
    effect = diff_packages(old, new)
    assert effect.modules_removed == ["api.data.lis_data_attributes", "models.paginated_response"]
    assert effect.modules_added == ["api.data.list_data_attributes", "models.tag_basic"]
    assert effect.classes_removed == ["models.paginated_response.PaginatedResponse"]
    assert effect.classes_added == ["models.contact.ContactLocation", "models.tag_basic.TagBasic"]
    assert "api.contacts.show_contact.sync_detailed" in effect.functions_added
    assert "api.data.lis_data_attributes.sync" in effect.functions_removed
    assert not any("_get_kwargs" in f for f in effect.functions_added + effect.functions_removed)
    assert effect.signatures_changed == [
        (
            "api.contacts.show_contact.asyncio",
            "(id, *, client, page=...)",
            "(contact_id, *, client, page=...)",
        ),
        ("api.contacts.show_contact.sync", "(id, *, client, page=...)", "(contact_id, *, client, page=...)"),
    ]
    assert effect.summary_line() == "modules +2 -2, classes +2 -1, functions +2 -1, 2 signatures changed"

    text = render_markdown(Changelog(), code=effect)
    assert "## Generated code" in text
    assert "`api.contacts.show_contact.{asyncio,sync}(contact_id, *, client, page=...)` (was" in text
    assert text.strip().splitlines()[-1].endswith("generated code: " + effect.summary_line() + ".")


def test_unparseable_files_are_listed_not_fatal(tmp_path):
    old = _tree(tmp_path / "old", {"models/bad.py": "class Bad: ...\n"})
    new = _tree(tmp_path / "new", {"models/bad.py": "class Bad(:\n"})
    effect = diff_packages(old, new)
    assert effect.unparseable and effect.unparseable[0].startswith("models.bad: line 1")
    assert effect.classes_removed == []  # unknown surface: not reported as removed
    assert "do not parse" in render_markdown(Changelog(), code=effect)


def test_missing_old_tree_means_everything_is_new(tmp_path):
    new = _tree(tmp_path / "new", {"models/a.py": "class A: ...\n"})
    effect = diff_packages(tmp_path / "absent", new)
    assert effect.modules_added == ["models.a"] and effect.classes_added == ["models.a.A"]


def test_identical_trees_have_no_effect(tmp_path):
    files = {"models/a.py": "class A: ...\ndef f(x, *args, y=1, **kw): ...\n"}
    effect = diff_packages(_tree(tmp_path / "a", files), _tree(tmp_path / "b", files))
    assert effect.empty
    assert "No public module, class or function is added or removed." in render_markdown(
        Changelog(), code=effect
    )


def test_signature_rendering():
    surface = scan_module("def f(a, b=1, *args, c, d=2, **kw): ...\ndef g(a, /, b, *, c): ...\n")
    assert surface.functions == {"f": "(a, b=..., *args, c, d=..., **kw)", "g": "(a, b, *, c)"}
