"""Annotations of generator properties, and the imports they need, from the generator's own import
information (``Property.get_imports`` / ``get_lazy_imports``): :class:`TypeRenderer` renders an
annotation and keeps the import statements that bind a name it uses; :class:`Imports` writes them in
isort order (as ruff checks it), so rendered code is lint-clean without ruff's fixes.

An enum renders as ``TheEnum | Literal[<its values>]`` (a caller may pass the enum or its value):
the facade's arguments and the request models' fields (:func:`request_field`) use this.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field

from openapi_python_client.parser.properties import EnumProperty, ListProperty, UnionProperty
from openapi_python_client.parser.properties.protocol import PropertyProtocol

from codegen.strings import plain

_BUILTINS = {"str", "int", "float", "bool", "bytes", "builtins", "None", "Any"}


# -- imports: from the generator's own import information ---------------------------------------


@dataclass
class Imports:
    """Import statements by section, rendered sorted (isort order, as ruff checks it)."""

    plain: set[str] = field(default_factory=set)  # import x
    names: dict[str, set[str]] = field(default_factory=dict)  # from module import name

    def add(self, module: str, name: str) -> None:
        self.names.setdefault(module, set()).add(name)

    def add_line(self, line: str, used: set[str] | None = None) -> set[str]:
        """Add the bindings of one import statement (a generator import string) that ``used`` names
        (all when ``used`` is None). Returns the names bound."""
        bound: set[str] = set()
        for node in ast.parse(line).body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    if used is None or name in used:
                        self.plain.add(alias.name)
                        bound.add(name)
            elif isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
                for alias in node.names:
                    name = alias.asname or alias.name
                    if used is None or name in used:
                        self.add(module, f"{alias.name} as {alias.asname}" if alias.asname else alias.name)
                        bound.add(name)
        return bound

    def sections(self, indent: str = "") -> list[list[str]]:
        """Statement lines grouped into isort sections (stdlib, third party, intercom_ext, local)."""
        groups: list[list[tuple[int, str, str]]] = [[], [], [], []]
        for module in self.plain:
            groups[_section(module)].append((0, module.lower(), f"import {module}"))
        for module, names in self.names.items():
            members = ", ".join(sorted(names, key=_member_key))
            groups[_section(module)].append((1, _module_key(module), from_line(module, members, indent)))
        return [[line for *_key, line in sorted(group)] for group in groups if group]


def _section(module: str) -> int:
    if module.startswith("."):
        return 3
    top = module.split(".")[0]
    if top == "intercom_ext":
        return 2
    return 0 if top in sys.stdlib_module_names else 1


def _module_key(module: str) -> str:
    return module.lower()


def _member_key(name: str) -> tuple[int, str]:
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


def from_line(module: str, members: str, indent: str, width: int = 120) -> str:
    line = f"from {module} import {members}"
    if len(indent + line) <= width:
        return line
    names = "".join(f"\n    {name}," for name in members.split(", "))
    return f"from {module} import ({names}\n)"


def _names_in(annotation: str) -> set[str]:
    """The top-level names an annotation refers to (``datetime.date`` -> ``datetime``)."""
    found = set()
    for node in ast.walk(ast.parse(annotation, mode="eval")):
        if isinstance(node, ast.Name):
            found.add(node.id)
    return found


class TypeRenderer:
    """Annotations of generator properties for the facade, collecting the imports they need.

    Differs from ``Property.get_type_string`` in two ways: a list is ``builtins.list[...]`` (a
    resource class may have a method called ``list``), and an enum is ``TheEnum | Literal[<its
    values>]`` (callers may pass the enum or its value).
    """

    def __init__(
        self,
        *,
        list_name: str = "builtins.list",
        check_imports: bool = True,
        list_literals: bool = True,
        prefix: str = ".",
    ) -> None:
        self.imports = Imports()
        self.prefix = prefix  # of the generator's relative imports (".." from a subpackage)
        self.list_name = list_name
        self.check_imports = check_imports
        self.list_literals = list_literals  # also inside lists (a model's list field stays list[Enum])

    def __call__(self, prop: PropertyProtocol, *, literals: bool = True) -> str:
        if isinstance(prop, ListProperty):
            if self.list_name.startswith("builtins."):
                self.imports.plain.add("builtins")
            inner = self(prop.inner_property, literals=literals and self.list_literals)
            return f"{self.list_name}[{inner}]"
        if isinstance(prop, UnionProperty):
            parts = {self(p, literals=literals) for p in prop.inner_properties}
            return " | ".join(sorted(parts, key=str.lower))
        text = plain(prop.get_type_string(no_optional=True))
        used = _names_in(text) - _BUILTINS
        if "Any" in _names_in(text):
            self.imports.add("typing", "Any")
        bound: set[str] = set()
        for line in sorted(prop.get_imports(prefix=self.prefix) | prop.get_lazy_imports(prefix=self.prefix)):
            bound |= self.imports.add_line(line, used)
        if self.check_imports and used - bound:
            raise ValueError(f"no import for {sorted(used - bound)} in the annotation {text!r}")
        if literals and isinstance(prop, EnumProperty):
            values = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in prop.values.values())
            self.imports.add("typing", "Literal")
            text = f"{text} | Literal[{values}]"
        return text


def _has_enum(prop: PropertyProtocol) -> bool:
    if isinstance(prop, EnumProperty):
        return True
    if isinstance(prop, UnionProperty):
        return any(_has_enum(p) for p in prop.inner_properties)
    return False


def request_field(prop: PropertyProtocol) -> str:
    """A request model's attribute declaration: the generator's, except that a field holding an enum
    also accepts the enum's values (``operator: SingleFilterSearchRequestOperator | Literal["=", ...]``).
    A list of enums stays ``list[Enum]`` (lists are invariant; the model's from_dict builds that)."""
    if not _has_enum(prop):
        return plain(prop.to_string())
    render = TypeRenderer(list_name="list", check_imports=False, list_literals=False)
    declaration = f"{prop.python_name}: {render(prop)}"
    if prop.default is not None:
        return f"{declaration} = {plain(prop.default.python_code)}"
    return declaration if prop.required else f"{declaration} | Unset = UNSET"


def query_parameter(prop: PropertyProtocol) -> str:
    """An endpoint's query parameter declaration: the generator's, except that a list of enums also
    takes the enums' values (``states: list[SearchContentStatesItem | Literal["published", ...]]``),
    as the facade's signature does; the endpoint writes each item with ``str()``, which gives the
    value for both."""
    if not (isinstance(prop, ListProperty) and _has_enum(prop.inner_property)):
        return plain(prop.to_string())
    render = TypeRenderer(list_name="list", check_imports=False, list_literals=True)
    declaration = f"{prop.python_name}: {render(prop)}"
    if prop.default is not None:
        return f"{declaration} = {plain(prop.default.python_code)}"
    return declaration if prop.required else f"{declaration} | Unset = UNSET"
