"""Training: TRL's GRPOTrainer / SFTTrainer driven by a YAML recipe (METHOD.md section 4).

Our code is the glue only: the recipe (``recipe.py``), the reward adapter that turns our pure
rewards into TRL reward callables (``adapter.py``), logging callbacks (``callbacks.py``) and
the entry points (``grpo.py``, ``sft.py``).  TRL owns the loop.
"""
