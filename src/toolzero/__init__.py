"""Tool-Zero: train language models to call tools with pure RL (GG-GRPO), and measure them."""

__version__ = "0.1.0"
