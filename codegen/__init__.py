"""Code generation pipeline: Intercom OpenAPI descriptions -> typed per-version packages.

The pipeline is a sequence of small passes, one module each, run by ``python -m codegen``:

    manifest -> fetch -> load -> repair -> validate -> write_spec -> generate -> finalize
    -> format -> report

See ``codegen/pipeline.py`` for the order and ``codegen/repairs/`` for the spec repair rules.
"""
