"""Documentation tooling: the API reference pages generated for the MkDocs site (``make docs``)."""
