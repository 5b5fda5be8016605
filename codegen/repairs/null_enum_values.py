"""Repair: ``null`` listed as a value of an enum.

Upstream defect: Intercom writes "may be null" into some enums as a value, ``enum: [null,
"ai_answer", "custom_answer"]`` (``ai_agent.last_answer_type``, ``ai_agent.resolution_state``,
``linked_object.category``), instead of marking the schema ``nullable``. The generator then splits
the schema into a union of ``None`` and the enum and names the enum class after its position
(``AiAgentLastAnswerTypeType1``).

Rule: an enum schema whose values include ``null`` loses that value and is marked
``nullable: true``: the same values are accepted (``None`` included), and the enum class is named
after the schema (``AiAgentLastAnswerType``).
"""

from __future__ import annotations

from typing import Any

from codegen.spec import all_schemas


def apply(spec: dict[str, Any]) -> list[str]:
    count = 0
    for _, schema in all_schemas(spec):
        values = schema.get("enum")
        if isinstance(values, list) and None in values and any(v is not None for v in values):
            schema["enum"] = [v for v in values if v is not None]
            schema["nullable"] = True
            count += 1
    return [f"made {count} enums with a null value nullable"] if count else []
