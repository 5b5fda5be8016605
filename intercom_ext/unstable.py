"""Intercom API Unstable: ``Intercom``, ``AsyncIntercom`` and ``models`` (generated in ``intercom_unstable.facade``)."""

from intercom_unstable.facade import AsyncIntercom, Intercom, models

__all__ = ["AsyncIntercom", "Intercom", "models"]
