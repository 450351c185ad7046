"""`cases`, `induction`, `rcases`, `obtain`, `subst`, `rename_i`.

Models Lean 4 src/Lean/Elab/Tactic/Induction.lean (`cases`/`induction` with `with | tag`
alternatives, goal tags `zero`/`succ`, `inl`/`inr`, `intro`), Mathlib/Tactic/RCases.lean
(`rcases`/`obtain` patterns incl. `rfl` and `-`), src/Lean/Elab/Tactic/BuiltinTactic.lean
(`subst`, `rename_i`), Mathlib/Tactic/Cases.lean (`cases'`, `induction'` with names in
order). Weaker: induction only on ℕ variables; rcases only on ∧, ∨, ↔, ∃,
False, ℕ; no custom eliminators (`using`), no `generalizing`.
"""
from __future__ import annotations

from lean_env.micro.elaborate import resolve_prop, unfold
from lean_env.micro.goals import Goal, Hyp, TacticError
from lean_env.micro.syntax import (
    NAT, NUM_TYPES, And, Exists, Iff, Imp, Not, Num, Or, Rel, Truth, Var, free_vars, subst, succ,
    term_vars,
)
from lean_env.micro.tactic_parser import PName, PatAlts, PatName, PatTuple, Tactic
from lean_env.micro.tactics.common import add_hidden_var, child_tag, find_hyp, name_var, replace_hyp
from lean_env.micro.tactics.registry import TACTICS, tactic

FALSE = Truth(False)


def with_alternatives(r, tac, goal: Goal, goals: list[Goal]) -> list[Goal]:
    """`cases h with | inl h => tac | inr h => tac`: name the new hypotheses of
    each case, then the case's tactics must close it."""
    if not tac.body:
        return goals
    old = set(goal.hyps)
    alts = {alt.kind: alt for alt in tac.body}
    wildcard = alts.pop("_", None)  # `| _ => tac` serves every case not named
    for g in goals:
        tag = g.tag.rsplit(".", 1)[-1]
        alt = alts.pop(tag, None) or wildcard
        if alt is None:
            raise TacticError(f"alternative '{tag}' has not been provided")
        fresh = [h for h in g.hyps if h not in old and h.hidden]
        if len(alt.names) > len(fresh):
            raise TacticError(f"too many variable names provided at alternative '{tag}'")
        for h, n in zip(fresh, alt.names):
            if n != "_":
                g = name_var(g, h, n)
        r.prove(g, alt.body[0])
    if alts:
        raise TacticError(f"invalid alternative name '{next(iter(alts))}'")
    return []


@tactic('cases')
def t_cases(r, tac, goal):
    return with_alternatives(r, tac, goal, cases_goals(r, tac, goal))


@tactic("cases'", "induction'")
def t_cases_prime(r, tac, goal):
    """Mathlib/Tactic/Cases.lean: `cases'`/`induction'` as `cases`/`induction`, then the
    names of `with` go to the new inaccessible hypotheses, goal after goal, in order."""
    target, names = tac.names[0], list(tac.names[1:])
    base = Tactic(tac.kind.rstrip("'"), names=(target,))
    goals = TACTICS[base.kind](r, base, goal)
    old = set(goal.hyps)
    out = []
    for g in goals:
        for h in [h for h in g.hyps if h not in old and h.hidden]:
            if not names:
                break
            n = names.pop(0)
            if n != "_":
                g = name_var(g, h, n)
        out.append(g)
    if names:
        raise TacticError("too many variable names provided")
    return out


def cases_goals(r, tac, goal):
    h = find_hyp(goal, tac.names[0])
    if h.type == "ℕ":
        return nat_cases(r, goal, h, induction=False)
    t = unfold(h.type) if isinstance(h.type, Not) else h.type
    if isinstance(t, Or):
        pat = PatAlts((PatName("_"), PatName("_")))
    elif isinstance(t, (And, Exists, Iff)):
        pat = PatTuple((PatName("_"), PatName("_")))
    elif t == FALSE:
        return []
    else:
        raise TacticError("tactic 'induction' failed, major premise type is not an inductive type")
    return rcases(r, goal, h.name, pat)


@tactic('induction')
def t_induction(r, tac, goal):
    h = find_hyp(goal, tac.names[0])
    if h.type != "ℕ":
        raise TacticError("tactic 'induction' failed: only induction on a variable of type ℕ is supported")
    return with_alternatives(r, tac, goal, nat_cases(r, goal, h, induction=True))


def nat_cases(r, goal: Goal, n: Hyp, induction: bool) -> list[Goal]:
    idx = goal.hyps.index(n)
    deps = [h for h in goal.hyps[idx + 1:] if not isinstance(h.type, str) and n.name in free_vars(h.type)]
    base = tuple(h for h in goal.hyps if h is not n and h not in deps)

    def reintro(g: Goal, value) -> Goal:
        for d in deps:
            g = Goal(g.hyps + (Hyp(d.name, d.user, subst(d.type, n.name, value), d.hidden),),
                     g.target, g.tag)
        return g
    zero = reintro(Goal(base, subst(goal.target, n.name, Num(0)), child_tag(goal.tag, "zero")), Num(0))
    g = Goal(base, goal.target, child_tag(goal.tag, "succ"))
    g, k = add_hidden_var(g, "n", "ℕ", [goal.target] + [d.type for d in deps])
    if induction:
        motive = goal.target
        for d in reversed(deps):
            motive = Imp(d.type, motive)
        g, _ = g.add("a", subst(motive, n.name, Var(k)), hidden=True)
    succ_goal = reintro(g, succ(Var(k)))
    succ_goal = succ_goal.with_target(subst(goal.target, n.name, succ(Var(k))))
    return [zero, succ_goal]


@tactic('rcases')
def t_rcases(r, tac, goal):
    return destruct(r, goal, tac.exprs[0], tac.pattern, None)


@tactic('obtain')
def t_obtain(r, tac, goal):
    return destruct(r, goal, tac.exprs[0], tac.pattern, tac.prop)


def destruct(r, goal, e, pattern, prop):
    if prop is None and isinstance(e, PName) and e.name in goal.accessible():
        h = goal.accessible()[e.name]
        if h.is_var:
            return rcases_var(r, goal, h, pattern)
        return rcases(r, goal, h.name, pattern)
    el = r.elaborator(goal)
    if prop is not None:
        ty = resolve_prop(prop, goal.accessible())
        el.check(e, ty)
    else:
        ty = el.result(el.infer(e))
    g, h = goal.add("h", ty, hidden=True)
    return rcases(r, g, h, pattern)


def rcases_var(r, goal, h, pattern):
    """rcases on a variable: a name renames it; `_ | k` splits a natural number."""
    if isinstance(pattern, PatAlts) and len(pattern.alts) == 2 and h.type == NAT:
        zero, succ_goal = nat_cases(r, goal, h, induction=False)
        name = pattern.alts[1]
        if isinstance(name, PatName) and name.name != "_":
            k = next(h for h in reversed(succ_goal.hyps) if h.is_var and h.hidden)
            succ_goal = name_var(succ_goal, k, name.name)
        return [zero, succ_goal]
    if isinstance(pattern, PatName):
        return [replace_hyp(goal, h.name, Hyp(h.name, pattern.name, h.type, pattern.name == "_"))]
    if h.type != NAT:
        raise TacticError(f"rcases: the embedded engine does not destruct a variable of type {h.type}")
    raise TacticError("rcases: unsupported pattern for a natural number")


def rcases(r, goal: Goal, name: str, pat) -> list[Goal]:
    h = next(x for x in goal.hyps if x.name == name)
    ty = h.type
    if isinstance(pat, PatName):
        if pat.name == "-":
            return [replace_hyp(goal, name, None)]
        if pat.name == "rfl":
            return [subst_eq(r, goal, h)]
        if pat.name == "_":
            return [goal]
        return [replace_hyp(goal, name, Hyp(h.name, pat.name, ty, False))]
    if ty == FALSE:
        return []
    if isinstance(pat, PatAlts):
        if len(pat.alts) == 1:
            return rcases(r, goal, name, pat.alts[0])
        if not isinstance(ty, Or):
            return rcases(r, goal, name, pat.alts[0])
        rest = pat.alts[1] if len(pat.alts) == 2 else PatAlts(pat.alts[1:])
        out = []
        for side, sub_pat, tag in ((ty.left, pat.alts[0], "inl"), (ty.right, rest, "inr")):
            g = Goal(goal.hyps, goal.target, child_tag(goal.tag, tag))
            g = replace_hyp(g, name, None)
            g, new = _add_component(g, sub_pat, "h", side)
            out += rcases(r, g, new, sub_pat)
        return out
    items = pat.items
    if not items:
        return [goal]
    if len(items) == 1:
        return rcases(r, goal, name, items[0])
    rest = items[1] if len(items) == 2 else PatTuple(items[1:])
    g = replace_hyp(Goal(goal.hyps, goal.target, child_tag(goal.tag, "intro")), name, None)
    if isinstance(ty, And):
        parts = [(items[0], "left", ty.left), (rest, "right", ty.right)]
    elif isinstance(ty, Iff):
        parts = [(items[0], "mp", Imp(ty.left, ty.right)), (rest, "mpr", Imp(ty.right, ty.left))]
    elif isinstance(ty, Exists):
        w = items[0]
        if not isinstance(w, PatName):
            raise TacticError("rcases: the witness of ∃ must be named by a simple pattern")
        if w.name in ("_", "-", "rfl"):
            g, wname = add_hidden_var(g, "w", ty.ty, [ty.body])
        else:
            g, wname = g.add(w.name, ty.ty)
        body = ty.body if wname == ty.var else subst(ty.body, ty.var, Var(wname, ty.ty))
        parts = [(rest, "h", body)]
    else:
        raise TacticError("rcases: the hypothesis is not a conjunction, disjunction, iff or ∃")
    added = []
    for sub_pat, default, typ in parts:
        g, new = _add_component(g, sub_pat, default, typ)
        added.append((new, sub_pat))
    goals = [g]
    for new, sub_pat in added:
        goals = [x for gg in goals for x in rcases(r, gg, new, sub_pat)]
    return goals


def subst_eq(r, goal: Goal, h: Hyp) -> Goal:
    ty = h.type
    if not (isinstance(ty, Rel) and ty.op == "="):
        raise TacticError("rcases: `rfl` pattern needs an equation")
    g = replace_hyp(goal, h.name, None)
    for var, value in ((ty.right, ty.left), (ty.left, ty.right)):
        if isinstance(var, Var) and var.name not in term_vars(value) and any(
                x.name == var.name and x.type in NUM_TYPES for x in g.hyps):
            # Lean's `substCore` reverts the hypotheses that depend on the variable and
            # reintroduces them, rewritten, after the rest of the context (in scope)
            keep, moved = [], []
            for x in g.hyps:
                if x.name == var.name:
                    continue
                if not isinstance(x.type, str) and var.name in free_vars(x.type):
                    moved.append(Hyp(x.name, x.user, subst(x.type, var.name, value), x.hidden))
                else:
                    keep.append(x)
            return Goal(tuple(keep + moved), subst(g.target, var.name, value), g.tag)
    raise TacticError("motive is not type correct: `rfl` needs a variable on one side")


@tactic('subst')
def t_subst(r, tac, goal):
    """`subst h` with `h : a = b`; `subst x` uses the latest hypothesis `x = e` or `e = x`."""
    h = find_hyp(goal, tac.names[0])
    if h.is_var:
        v = Var(h.name, h.type)
        eqs = [x for x in goal.hyps if isinstance(x.type, Rel) and x.type.op == "="
               and v in (x.type.left, x.type.right)]
        if not eqs:
            raise TacticError(f"tactic 'subst' failed, did not find equation for eliminating '{h.user}'")
        eq = eqs[-1]
        side = eq.type.right if eq.type.right == v else eq.type.left
        other = eq.type.left if side is eq.type.right else eq.type.right
        h = Hyp(eq.name, eq.user, Rel("=", other, side), eq.hidden)  # eliminate `v` itself
        goal = replace_hyp(goal, eq.name, h)
    return [subst_eq(r, goal, h)]


@tactic('rename_i')
def t_rename_i(r, tac, goal):
    return [rename_inaccessible(goal, tac.names)]


def rename_inaccessible(goal: Goal, names) -> Goal:
    """Lean's `renameInaccessibles` (`rename_i`, `case tag x…`): the last len(names)
    inaccessible hypotheses get the names, in order; `_` keeps one inaccessible."""
    if not names:
        return goal
    shown = goal.display_names()
    inaccessible = [h for h in goal.hyps if "✝" in shown[h.name]]
    if len(names) > len(inaccessible):
        raise TacticError("too many variable names provided")
    targets = inaccessible[len(inaccessible) - len(names):]
    for h, n in zip(targets, names):
        if n != "_":
            goal = name_var(goal, h, n)
    return goal


def _add_component(goal: Goal, pat, default: str, typ) -> tuple[Goal, str]:
    """Add one component of a destructed hypothesis, named by `pat` when it is a name."""
    if isinstance(pat, PatName) and pat.name not in ("_", "-", "rfl"):
        return goal.add(pat.name, typ, False)
    return goal.add(default, typ, True)
