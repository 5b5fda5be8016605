"""Intercom API 2.11: ``Intercom``, ``AsyncIntercom`` and ``models`` (generated in ``intercom_v2_11.facade``)."""

from intercom_v2_11.facade import AsyncIntercom, Intercom, models

__all__ = ["AsyncIntercom", "Intercom", "models"]
