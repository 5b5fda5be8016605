"""Benchmarks: ours vs python-intercom 5.0.1 vs raw httpx/json (``make bench``; see README.md here).

Each benchmark measures every contender in the same run, alternating them repetition by repetition,
and reports medians with their spread; ratios are taken per repetition (ours / baseline measured
back to back) and summarised the same way. ``python -m benchmarks --help`` lists the options.
"""
