"""RiR: a hierarchical neural theorem prover for Lean 4."""
__version__ = "0.1.0"
