"""``python -m intercom_ext``: the ``intercom-sdk`` command line (:mod:`intercom_ext.cli`)."""

import sys

from .cli import main

sys.exit(main())
