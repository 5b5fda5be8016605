"""Intercom API 2.10: ``Intercom``, ``AsyncIntercom`` and ``models`` (generated in ``intercom_v2_10.facade``)."""

from intercom_v2_10.facade import AsyncIntercom, Intercom, models

__all__ = ["AsyncIntercom", "Intercom", "models"]
