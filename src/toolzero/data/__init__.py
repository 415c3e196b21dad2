"""Data: every source becomes a :class:`toolzero.schema.Task` (METHOD.md section 5)."""
