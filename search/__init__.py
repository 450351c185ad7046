"""Proof search over tactic states: best-first and MCTS, flat and bi-level."""
from search.policy import Policy, Suggestion
from search.result import Budget, SearchResult, SearchStats

__all__ = ["Budget", "Policy", "SearchResult", "SearchStats", "Suggestion"]
