"""Privacy: a person's data exported or erased, the erasure log, and the retention rule."""
