"""Hand-written layer over the generated Intercom packages (filled in by the EXT work)."""

__version__ = "0.1.0"
