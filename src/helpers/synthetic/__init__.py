"""The calibrated synthetic data set of the monitor (see assumptions.py for every choice)."""
from helpers.synthetic.generate import INSTITUTIONS_FILE, RESPONDENTS_FILE, generate, write

__all__ = ["generate", "write", "RESPONDENTS_FILE", "INSTITUTIONS_FILE"]
