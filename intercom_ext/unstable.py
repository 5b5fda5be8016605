"""Intercom API Unstable: ``Intercom``, ``AsyncIntercom`` and ``models``.

Generated in ``intercom_unstable.facade`` (see codegen/facade.py).
"""

from intercom_unstable.facade import AsyncIntercom, Intercom, models

__all__ = ["AsyncIntercom", "Intercom", "models"]
