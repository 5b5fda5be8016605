"""Intercom data-hosting regions and base-URL resolution.

Intercom hosts workspaces in three regions, each with its own API host::

    us -> https://api.intercom.io
    eu -> https://api.eu.intercom.io
    au -> https://api.au.intercom.io

:func:`resolve_base_url` applies the precedence used by the clients:
``base_url=`` (if given) > ``region=`` > ``$INTERCOM_REGION`` > ``"us"``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ._constants import ENV_REGION
from ._exceptions import IntercomConfigError

REGIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "us": "https://api.intercom.io",
        "eu": "https://api.eu.intercom.io",
        "au": "https://api.au.intercom.io",
    }
)
DEFAULT_REGION: Final = "us"


def region_base_url(region: str) -> str:
    """Return the API base URL of ``region`` (case-insensitive).

    Raises :class:`~intercom_ext.IntercomConfigError` (a ``ValueError``) listing the valid
    regions if ``region`` is unknown.
    """
    key = region.strip().lower()
    try:
        return REGIONS[key]
    except KeyError:
        valid = ", ".join(sorted(REGIONS))
        raise IntercomConfigError(f"Unknown Intercom region {region!r}; valid regions are: {valid}") from None


def resolve_base_url(region: str | None = None, base_url: str | None = None) -> tuple[str, str | None]:
    """Resolve ``(base_url, region)`` from the arguments and the environment.

    An explicit ``base_url`` wins (its trailing ``/`` is dropped); the returned region is then the
    explicitly passed one (validated) or ``None``. Otherwise the region is ``region``, else
    ``$INTERCOM_REGION``, else ``"us"``.
    """
    if region is not None:
        resolved = region_base_url(region)  # validate even when base_url overrides it
        if base_url is None:
            return resolved, region.strip().lower()
    if base_url is not None:
        if not base_url.startswith(("http://", "https://")):
            raise IntercomConfigError(f"base_url must start with http:// or https://, got {base_url!r}")
        return base_url.rstrip("/"), (region.strip().lower() if region is not None else None)
    env_region = os.environ.get(ENV_REGION, "").strip()
    name = env_region or DEFAULT_REGION
    return region_base_url(name), name.lower()
