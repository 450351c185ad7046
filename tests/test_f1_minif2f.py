"""Which miniF2F statements open on the embedded engine (issue 22), and why the rest do not.

The shipped sets (lean_env/data/minif2f, 244 statements each) are opened with MicroEnv:
at least 90 test and 80 valid statements must open (the F1 statements: ℕ ℤ ℚ ℝ,
numerals, + - * / ^ %, ∣, casts, comparisons, connectives, quantifiers), every one
that opens holds a well-typed goal, and every one that does not is refused with a
one-line OpenError naming what it uses outside the fragment, never a crash.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pytest

from lean_env.errors import OpenError
from lean_env.micro import MicroEnv
from lean_env.micro.fragment import goal_ill_typed, outside_reason
from lean_env.protocol import TacticState
from lean_env.theorem_sets import load_theorem_set

MIN_OPEN = {"minif2f-test": 90, "minif2f-valid": 80}
OUTSIDE = "outside the embedded fragment: uses "


@lru_cache(maxsize=None)
def survey(name: str) -> tuple[tuple[str, ...], Counter]:
    """(names that open, Counter of the reasons of those that do not)."""
    env, opened, reasons = MicroEnv(), [], Counter()
    for theorem in load_theorem_set(name):
        try:
            state = env.open(theorem)
        except OpenError as e:
            reason = str(e).split(": ", 1)[1]
            reasons[re.sub(r"^\d+:\d+: ", "", reason)] += 1  # the parser's position
            continue
        assert isinstance(state, TacticState) and state.pp.strip(), theorem.full_name
        assert goal_ill_typed(env.state(state).goals[0]) is None, theorem.full_name
        opened.append(theorem.full_name)
    env.close()
    return tuple(opened), reasons


@pytest.mark.parametrize("name", sorted(MIN_OPEN))
def test_enough_minif2f_statements_open(name):
    opened, reasons = survey(name)
    top = ", ".join(f"{r} ({n})" for r, n in reasons.most_common(5))
    assert len(opened) >= MIN_OPEN[name], f"{len(opened)} open; top reasons: {top}"
    assert len(opened) + sum(reasons.values()) == 244


@pytest.mark.parametrize("name", sorted(MIN_OPEN))
def test_every_refusal_names_what_is_outside_the_fragment(name):
    _, reasons = survey(name)
    unexplained = {r: n for r, n in reasons.items() if not r.startswith(OUTSIDE)}
    assert not unexplained, unexplained
    assert all("\n" not in r for r in reasons)


@pytest.mark.parametrize("name, statement_of", [
    ("minif2f-test", "mathd_algebra_478"), ("minif2f-valid", "mathd_algebra_109"),
])
def test_known_f1_statements_open(name, statement_of):
    opened, _ = survey(name)
    assert statement_of in opened


@pytest.mark.parametrize("text, uses", [
    ("theorem t (x : ℝ) (h : 0 ≤ x) : Real.sqrt x ^ 2 = x", "Real.sqrt"),
    ("theorem t (f : ℝ → ℝ) (h : ∀ x, f x = 2 * x) : f 1 = 2", None),  # the parser names this
    ("theorem t (a b : ℂ) (h : ‖a‖ = 1) : ‖a * b‖ = ‖b‖", "ℂ"),  # ℂ before the stray ‖
    ("theorem t (a : ℕ) (h : a ≡ 5 [MOD 16]) : a % 16 = 5", "Nat.ModEq (≡ [MOD n])"),
    ("theorem t (p q : ℤ) : (p, q) = (2, 4) ∨ p = q", "tuples (Prod)"),
    ("theorem t : ∑ k in Finset.range 10, k = 45", "Finset.sum (∑)"),
    ("theorem t (S : Finset ℕ) : S.card = 3", "Finset"),
    ("theorem t (x : ℝ) : IsLeast { y : ℝ | 0 ≤ y } 0", "IsLeast"),
    ("theorem t (n : ℕ) (h : Nat.succ n = 3) : n = 2", None),  # in the fragment
    ("theorem t (x y : ℝ) (h : x < y) : x / 2 < y / 2", None),
])
def test_outside_reason_names_the_first_construct(text, uses):
    reason = outside_reason(text)
    assert reason == (None if uses is None else OUTSIDE + uses)


def test_a_statement_outside_the_fragment_is_a_clear_open_error():
    from lean_env.theorems import Theorem

    env = MicroEnv()
    with pytest.raises(OpenError, match=r"cannot open theorem 'c': outside the embedded fragment: "
                                        r"uses ℂ$"):
        env.open(Theorem("c", statement="theorem c (a b : ℂ) (h : ‖a‖ = 1) : ‖a * b‖ = ‖b‖"))


def test_eval_prints_pass_at_1_over_all_and_over_opened():
    from rir.commands.eval import pass_at_1_line
    from search.result import SearchResult

    records = [SearchResult("p", "proved"), SearchResult("f", "failed"),
               SearchResult("x", "error", reason="cannot open theorem 'x': outside the embedded "
                                                 "fragment: uses Real.sqrt"),
               SearchResult("c", "error", reason="backend crashed")]  # opened, then crashed
    assert pass_at_1_line(records) == ("pass@1 25.0% over all 4 theorems, "
                                       "33.3% over the 3 that opened")
    assert pass_at_1_line([]) == "pass@1 n/a over all 0 theorems, n/a over the 0 that opened"


@pytest.mark.slow
def test_rir_eval_records_a_statement_outside_the_fragment_as_an_error(tmp_path):
    import json
    import subprocess
    import sys

    theorems = tmp_path / "two.jsonl"
    inside = "theorem inside (x : ℝ) (h : 2 * x = 4) : x = 2"
    outside = "theorem outside (x : ℝ) : Real.sqrt (x ^ 2) = |x|"
    theorems.write_text("".join(json.dumps({"full_name": name, "statement": st}) + "\n"
                                for name, st in (("inside", inside), ("outside", outside))))
    out = tmp_path / "results.jsonl"
    proc = subprocess.run([sys.executable, "-m", "rir.cli", "eval", "--theorems", str(theorems),
                           "--out", str(out), "--timeout", "5", "--max-expansions", "2", "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    records = {r["name"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert records["outside"]["status"] == "error"
    assert records["outside"]["reason"].endswith("outside the embedded fragment: uses Real.sqrt")
    assert records["inside"]["status"] in ("proved", "failed")
    assert "over the 1 that opened" in proc.stdout
