"""The SDK's logger, ``intercom_ext``, and its switch, ``$INTERCOM_LOG``.

What is logged (never the token, nor a header or a body; URLs without their query string):

- DEBUG ``Sending GET https://api.intercom.io/contacts (attempt 1 of 3)``: before every attempt;
- INFO ``GET https://api.intercom.io/contacts -> 200 (request_id=abc, attempt 1 of 3)``: every response;
- DEBUG ``GET https://api.intercom.io/contacts failed: ConnectError (attempt 1 of 3)``: no response;
- INFO ``Retrying GET https://api.intercom.io/contacts in 0.53s (retry 1 of 2) after status 503
  (request_id=abc)``: the wait before a retry, and why;
- INFO ``Not retrying ...: server asks to wait 120.0s (> 60s)``; WARNING when pagination stops on a
  repeated cursor; DEBUG ``intercom_ext.models`` when a response value does not fit its model.

The logger has no handler of its own, so nothing is printed unless the application configures
logging (``logging.basicConfig(level=logging.DEBUG)``) or ``$INTERCOM_LOG`` is set: ``debug`` or
``info`` (case-insensitive) gives the ``intercom_ext`` logger that level and a handler writing to
stderr. The variable is read when a client is constructed; the handler is added once per process,
however many clients are built. Other values are ignored.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Final

from ._constants import ENV_LOG, LOGGER_NAME

if TYPE_CHECKING:
    import logging

__all__ = ["HANDLER_NAME", "logger", "setup_from_env"]

#: The name of the stderr handler ``$INTERCOM_LOG`` adds (``handler.get_name()``).
HANDLER_NAME: Final = "intercom_ext.env"
_LEVELS: Final = {"debug": 10, "info": 20}  # logging.DEBUG, logging.INFO (no import needed)
_FORMAT: Final = "[%(asctime)s %(name)s %(levelname)s] %(message)s"

_lock = threading.Lock()
_logger: logging.Logger | None = None
_configured = False


def logger() -> logging.Logger:
    """The ``intercom_ext`` logger; ``logging`` is imported on first use (httpx imports it anyway)."""
    global _logger
    if _logger is None:
        import logging

        _logger = logging.getLogger(LOGGER_NAME)
    return _logger


def setup_from_env() -> None:
    """Apply ``$INTERCOM_LOG`` (called by every client's constructor; cheap when it is unset)."""
    global _configured
    if _configured:
        return
    level = _LEVELS.get(os.environ.get(ENV_LOG, "").strip().lower())
    if level is None:
        return
    with _lock:
        if _configured:
            return
        import logging

        log = logger()
        log.setLevel(level)
        if not any(handler.get_name() == HANDLER_NAME for handler in log.handlers):
            handler = logging.StreamHandler()  # sys.stderr
            handler.set_name(HANDLER_NAME)
            handler.setFormatter(logging.Formatter(_FORMAT))
            log.addHandler(handler)
        _configured = True
