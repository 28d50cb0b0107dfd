"""The benchmark suite: `python -m bench` (see docs/performance.md).

Not collected by pytest (no test_*.py files here): it takes minutes, loads the machine, and
its results are ratios to baselines measured in the same run, not pass/fail assertions.
"""
