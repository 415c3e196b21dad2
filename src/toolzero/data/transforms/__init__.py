"""Data transforms of METHOD.md section 5, each a pure function over records.

In pipeline order:

* :func:`parse_filter` (5.1, :mod:`.filtering`) turns raw records into tasks and drops the broken
  ones, counting why;
* :func:`mask_names` / :func:`unmask_names` (5.2, :mod:`.names`) rename functions and parameters
  to ``func_k`` / ``param_k``;
* :func:`make_irrelevant` (5.3, :mod:`.irrelevance`) removes the called tools and expects no call;
* multi-turn augmentation (5.4): :func:`concat_dialogues` (a, :mod:`.concat`),
  :func:`drop_and_reintroduce` (b, :mod:`.reintroduce`), :func:`mask_parameter` (c,
  :mod:`.missing_param`), :func:`perturb_previous_call` (d, :mod:`.correction`);
* :func:`dedupe` and :func:`decontaminate` (5.5, :mod:`.duplicates`), the latter with an indexed
  near-duplicate search.

Tasks are frozen: every transform returns new tasks (``dataclasses.replace``).  Seeding and the
conventions of the conversations the augmentations write: :mod:`.common`.
"""

from toolzero.data.transforms.common import AugCategory, assistant_turn
from toolzero.data.transforms.concat import concat_dialogues
from toolzero.data.transforms.correction import perturb_previous_call
from toolzero.data.transforms.duplicates import (
    NEAR_JACCARD,
    ContaminationHit,
    QueryIndex,
    decontaminate,
    dedupe,
    normalize_query,
)
from toolzero.data.transforms.filtering import parse_filter
from toolzero.data.transforms.irrelevance import make_irrelevant
from toolzero.data.transforms.missing_param import mask_parameter
from toolzero.data.transforms.names import NameMapping, mask_names, rename_calls, unmask_names
from toolzero.data.transforms.reintroduce import drop_and_reintroduce

__all__ = [
    "NEAR_JACCARD", "AugCategory", "ContaminationHit", "NameMapping", "QueryIndex", "assistant_turn", "concat_dialogues",
    "decontaminate", "dedupe", "drop_and_reintroduce", "make_irrelevant", "mask_names", "mask_parameter", "normalize_query",
    "parse_filter", "perturb_previous_call", "rename_calls", "unmask_names",
]
