"""Closing and goal-shaping tactics: `assumption`, `contradiction`, `rfl`, `trivial`,
`symm`, `show`.

Models Lean 4 src/Lean/Meta/Tactic/Assumption.lean, Contradiction.lean (False, `¬p` with `p`
up to defeq, `a ≠ a`, a closed decidable hypothesis deciding to false), Rfl.lean
(`Eq.refl` and `@[refl]` lemmas such as `le_refl`), src/Init/Tactics.lean (`trivial`
macro: rfl / assumption / decide / True.intro / And.intro), Symm.lean, and `show`
(src/Lean/Elab/Tactic/Show.lean). Weaker: definitional equality is the engine's `canon`
normal form, not full kernel reduction.
"""
from __future__ import annotations

from lean_env.micro.goals import TacticError
from lean_env.micro.syntax import NAT, And, BinOp, Iff, Imp, Not, Num, Rel, Truth, free_vars
from lean_env.micro.elaborate import resolve_prop
from lean_env.micro.tactics.arithmetic import t_decide
from lean_env.micro.tactics.registry import tactic
from lean_env.micro.unify import canon, defeq, eval_closed

TRUE, FALSE = Truth(True), Truth(False)


def fold_literals(t):
    """Evaluate closed ℕ literal arithmetic (`2 + 2` to `4`): Lean's defeq check reduces
    `Nat.add`/`Nat.mul`/... on literals (`Nat.reduceBinNatOp`) at every transparency."""
    if isinstance(t, BinOp):
        left, right = fold_literals(t.left), fold_literals(t.right)
        # only ℕ literals reduce (`Nat.reduceBinNatOp`); ℤ ℚ ℝ arithmetic does not, and
        # folding it with ℕ semantics would be unsound (`(2 : ℝ) - 3`)
        if isinstance(left, Num) and isinstance(right, Num) and left.ty == NAT == right.ty:
            v = eval_closed(t.op, left.value, right.value)
            if v is not None:
                return Num(v)
        return BinOp(t.op, left, right)
    return t


def reducible_rfl(p) -> bool:
    """`with_reducible rfl` (Lean's Rfl.lean, `Lean.MVarId.applyRfl`): `Eq.refl`, `Iff.refl`
    and the `@[refl]` lemma `le_refl` (`≥` unfolds reducibly to `≤`), with both sides equal
    up to reducible unfolding, i.e. syntactically here after folding ℕ literal arithmetic.
    Weaker than Lean where reducible unfolding would identify more terms."""
    if isinstance(p, Rel) and p.op in ("=", "≤", "≥"):
        return fold_literals(p.left) == fold_literals(p.right)
    return isinstance(p, Iff) and p.left == p.right


def assumption_reducible(goal) -> bool:
    """`with_reducible assumption`: a hypothesis whose type is the target up to reducible
    unfolding (syntactic here, after folding ℕ literals)."""
    target = _fold_prop(goal.target)
    return any(not isinstance(h.type, str) and _fold_prop(h.type) == target for h in goal.hyps)


def _fold_prop(p):
    if isinstance(p, Rel):
        return Rel(p.op, fold_literals(p.left), fold_literals(p.right))
    return p


@tactic('assumption')
def t_assumption(r, tac, goal):
    target = canon(goal.target)
    for h in reversed(goal.hyps):
        if not isinstance(h.type, str) and canon(h.type) == target:
            return []
    raise TacticError("tactic 'assumption' failed")


@tactic('contradiction')
def t_contradiction(r, tac, goal):
    props = [h.type for h in goal.hyps if not isinstance(h.type, str)]
    canon_props = {canon(p) for p in props}
    for p in props:
        c = canon(p)
        if c == FALSE:
            return []
        if isinstance(c, Imp) and c.right == FALSE:
            if c.left in canon_props:
                return []
            if isinstance(c.left, Rel) and c.left.op == "=" and c.left.left == c.left.right:
                return []
        if not free_vars(p) and _decides_false(r, goal, p):
            return []  # a decidable hypothesis that evaluates to false (`h : 2 + 2 = 3`)
    raise TacticError("tactic 'contradiction' failed")


def _decides_false(r, goal, p) -> bool:
    try:
        return not t_decide(r, None, goal.with_target(Not(p)))
    except TacticError:
        return False


@tactic('rfl')
def t_rfl(r, tac, goal):
    t = goal.target
    if isinstance(t, Rel) and t.op in ("=", "≤", "≥"):
        c = canon(t)
        if c.left == c.right:
            return []
        names = goal.display_names()
        from lean_env.micro.printer import format_term
        raise TacticError(f"tactic 'rfl' failed, the left-hand side\n  {format_term(t.left, names)}\n"
                          f"is not definitionally equal to the right-hand side\n  "
                          f"{format_term(t.right, names)}")
    if isinstance(t, Iff) and defeq(t.left, t.right):
        return []
    raise TacticError("The rfl tactic failed: the goal is not a reflexive relation")


@tactic('trivial')
def t_trivial(r, tac, goal):
    t = goal.target
    if t == TRUE:
        return []
    for step in (t_rfl, t_assumption, t_decide):
        try:
            return step(r, tac, goal)
        except TacticError:
            pass
    if isinstance(t, And):
        if r.closes_trivially(goal.with_target(t.left)) and r.closes_trivially(
                goal.with_target(t.right)):
            return []
    raise TacticError("tactic 'trivial' failed")


@tactic('symm')
def t_symm(r, tac, goal):
    t = goal.target
    if isinstance(t, Rel) and t.op in ("=", "≠"):
        return [goal.with_target(Rel(t.op, t.right, t.left))]
    if isinstance(t, Iff):
        return [goal.with_target(Iff(t.right, t.left))]
    raise TacticError("symm failed: the goal is not a symmetric relation")


@tactic('show')
def t_show(r, tac, goal):
    p = resolve_prop(tac.prop, goal.accessible())
    if not defeq(p, goal.target):
        raise TacticError("type mismatch: the goal is not definitionally equal to the given type")
    return [goal.with_target(p)]
