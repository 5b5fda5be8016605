"""Pass 6: run openapi-python-client (in-process) on the repaired spec.

Uses the checked-in ``codegen/generator-config.yaml`` and the template overrides in
``codegen/templates/`` (only the templates we need to change live there, plus our own
``facade.py.jinja``); the generator's client and endpoint modules are not written (:class:`_ModelsOnly`).
Returns the generator's warnings so the report can count them (the goal is
zero), and its Jinja environment, which the facade pass renders with.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path
from typing import Any

import attrs
from jinja2 import Environment
from openapi_python_client import Project
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError

from codegen import shapes
from codegen.annotations import query_parameter, request_field
from codegen.strings import plain

CONFIG_FILE = Path(__file__).with_name("generator-config.yaml")
TEMPLATES = Path(__file__).with_name("templates")


def _format_error(err: GeneratorError) -> str:
    text = f"{err.level.value}: {plain(err.header)}"
    if err.detail:
        text += f" - {plain(err.detail)}"
    return text


def _as_required(prop: Any) -> Any:
    """The same property marked required: templates use it to emit the construct/transform code for
    a present value after handling UNSET and None themselves (see templates/model.py.jinja)."""
    return attrs.evolve(prop, required=True)


class _ModelsOnly(Project):
    """The generator's project without its API layer: the facade (``codegen/facade.py``) is the one
    front door, so the generator's own client (``client.py``), ``errors.py`` and the per-endpoint
    ``api/`` modules (``sync``/``asyncio``/``*_detailed``, no retries, no rate limiter) are not
    written. Models, enums and ``types.py`` are."""

    def _build_api(self) -> None:
        return None


def run_generator(
    spec: dict[str, Any], package: str, out_dir: Path
) -> tuple[GeneratorData | None, list[str], Environment | None]:
    """Generate ``package`` into ``out_dir`` (replaced). Returns the parsed data, the warnings and
    the generator's template environment (with our globals)."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG_FILE).model_copy(update={"package_name_override": package}),
        MetaType.NONE,
        document_source=Path("repaired-spec.json"),
        file_encoding="utf-8",
        overwrite=True,
        output_path=out_dir,
    )
    with contextlib.redirect_stdout(io.StringIO()):
        data = GeneratorData.from_dict(spec, config=config)
        if isinstance(data, GeneratorError):
            return None, [_format_error(data)], None
        project = _ModelsOnly(openapi=data, config=config, custom_template_path=TEMPLATES)
        project.env.globals.update(
            as_required=_as_required,
            response_models=shapes.response_models(data),
            field_plan=shapes.field_plan,
            model_consts=shapes.consts,
            field_doc=shapes.field_doc,
            shape_code=shapes.shape_code,
            request_field=request_field,
            query_parameter=query_parameter,
        )
        errors = project.build()
    return data, [_format_error(e) for e in errors], project.env
