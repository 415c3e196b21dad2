"""Shared fixtures: small hand-written tools and tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolzero.schema import Task, Tool, parse_ground_truth

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

WEATHER = {
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": {
        "type": "dict",
        "properties": {
            "city": {"type": "string", "description": "City name."},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer"},
        },
        "required": ["city"],
    },
}
TIME = {
    "name": "get_time",
    "description": "Current time in a time zone.",
    "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}, "required": ["tz"]},
}
HYPOT = {
    "name": "math.hypot",
    "description": "Euclidean norm.",
    "parameters": {
        "type": "dict",
        "properties": {
            "x": {"type": "float"},
            "y": {"type": "number"},
            "coords": {"type": "array", "items": {"type": "integer"}},
            "opts": {"type": "dict", "properties": {"precise": {"type": "boolean"}}},
        },
        "required": ["x", "y"],
    },
}


@pytest.fixture
def tools() -> dict[str, Tool]:
    return {t.name: t for t in (Tool.from_json(WEATHER), Tool.from_json(TIME), Tool.from_json(HYPOT))}


def make_task(gt: list, tools: tuple = (WEATHER, TIME, HYPOT), query: str = "What is the weather in Paris?") -> Task:
    return Task(
        id="t1", source="test", tools=tuple(Tool.from_json(t) for t in tools),
        messages=({"role": "user", "content": query},), ground_truth=parse_ground_truth(gt),
    )


# Figures that tests want shown at the end of the run (e.g. the number of agreement pairs).
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if SUMMARY:
        terminalreporter.section("toolzero figures")
        for line in SUMMARY:
            terminalreporter.write_line(line)
