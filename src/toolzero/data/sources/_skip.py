"""The exception a source converter raises for a record that does not convert."""

from __future__ import annotations


class Skip(Exception):
    """A record that does not convert: ``kind`` is the counted reason, ``details`` says why."""

    def __init__(self, kind: str, details: str):
        super().__init__(f"{kind}: {details}")
        self.kind = kind
        self.details = details

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.details}"
