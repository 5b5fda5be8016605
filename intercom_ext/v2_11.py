"""Intercom API 2.11: ``Intercom``, ``AsyncIntercom`` and ``models``.

Generated in ``intercom_v2_11.facade`` (see codegen/facade.py).
"""

from intercom_v2_11.facade import AsyncIntercom, Intercom, models

__all__ = ["AsyncIntercom", "Intercom", "models"]
