"""ComplexFuncBench (THUDM; NESTFUL-format copy from ``nestful-wrapper``) as first-turn tasks.

Reads ``complexfuncbench-data*.json`` (1,000 multi-step Booking.com tasks: ``{"input",
"output": [{"name", "arguments", "label", "errors"}]}``) and ``complexfuncbench-spec*.json``
(the 40 API specs: ``query_parameters`` with ``type``/``required``/``enum``/``default``).
The offered tools are all 40 specs.

**What is kept.**  As for :mod:`toolzero.data.sources.nestful`: a task is the first turn of
the sequence -- the user's request, and as ground truth the calls whose arguments reference
no earlier output (``"$var1.coordinates.latitude$"``), i.e. the calls that can all be made
at once (independent calls, any order).  Every call that references an earlier output is
dropped and counted as skipped under the id ``<record>#<step>`` (``dependent_call``); with
``mode="first"`` only the first call is kept (``later_step`` for the others).  A step with
recorded ``errors`` is kept like any other (none has errors in this copy).  Records are
categorised ``complete`` or ``first_turn``.  Values follow
:mod:`toolzero.data.sources._values` (numeric strings become numbers only for
integer/number parameters).
"""

from __future__ import annotations

from toolzero.data.sources._files import find_files, read_records
from toolzero.data.sources._loader import Context, SourceSpec
from toolzero.data.sources._skip import Skip
from toolzero.data.sources.nestful import check_mode, first_turn, spec_tools
from toolzero.schema import Tool

SOURCE = "complexfuncbench"


def _spec_tools(ctx: Context) -> list[Tool] | None:
    """The tools of all ``complexfuncbench-spec*.json``; None (counted) when they do not convert."""
    spec_files = find_files(ctx.root.parent if ctx.root.is_file() else ctx.root, ["**/complexfuncbench-spec*.json"])
    if not spec_files:
        raise FileNotFoundError(f"no complexfuncbench-spec*.json under {ctx.root}")
    try:
        return spec_tools([s for f in spec_files for _, s in read_records(f, ctx.report)], spec_files[0].name)
    except Skip as e:
        ctx.report.skip(spec_files[0].name, e.reason)
        return None


SPEC = SourceSpec(name=SOURCE, folder="complexfuncbench",
                  build_row=lambda rid, rec, ctx: first_turn(rid, rec, ctx.shared, SOURCE, ctx),
                  patterns=("**/complexfuncbench-data*.json",), options={"mode": "independent"}, check=check_mode,
                  setup=_spec_tools, prefix=lambda f: SOURCE)
