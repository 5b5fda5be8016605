"""Intercom API 2.10: ``Intercom``, ``AsyncIntercom`` and ``models``.

Generated in ``intercom_v2_10.facade`` (see codegen/facade.py).
"""

from intercom_v2_10.facade import AsyncIntercom, Intercom, models

__all__ = ["AsyncIntercom", "Intercom", "models"]
