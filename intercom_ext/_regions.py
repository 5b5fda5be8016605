"""Intercom data-hosting regions and base-URL resolution.

Intercom hosts workspaces in three regions, each with its own API host::

    us -> https://api.intercom.io
    eu -> https://api.eu.intercom.io
    au -> https://api.au.intercom.io

:func:`resolve_base_url` applies the precedence used by the clients:
``base_url=`` > ``$INTERCOM_BASE_URL`` > ``region=`` > ``$INTERCOM_REGION`` > ``"us"``.
A blank environment variable counts as unset.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from ._constants import ENV_BASE_URL, ENV_REGION
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

    ``base_url`` wins, else ``$INTERCOM_BASE_URL`` (either one's trailing ``/`` is dropped); the
    returned region is then the explicitly passed one (validated) or ``None``. Otherwise the region
    is ``region``, else ``$INTERCOM_REGION``, else ``"us"``.
    """
    explicit = region.strip().lower() if region is not None else None
    if region is not None:
        region_base_url(region)  # validate even when a base URL overrides it
    if base_url is not None:
        return _checked_base_url(base_url, "base_url"), explicit
    env_base_url = os.environ.get(ENV_BASE_URL, "").strip()
    if env_base_url:
        return _checked_base_url(env_base_url, f"${ENV_BASE_URL}"), explicit
    if explicit is not None:
        return region_base_url(explicit), explicit
    env_region = os.environ.get(ENV_REGION, "").strip()
    name = env_region or DEFAULT_REGION
    return region_base_url(name), name.lower()


def _checked_base_url(url: str, source: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise IntercomConfigError(f"{source} must start with http:// or https://, got {url!r}")
    return url.rstrip("/")
