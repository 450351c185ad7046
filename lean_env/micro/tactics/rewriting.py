"""`rw`/`rewrite`, `simp`, `simp only`, `simpa`, `simp_all`.

Models Lean 4 src/Lean/Elab/Tactic/Rewrite.lean (`rw` = `rewrite` then `rfl`; a rule whose
pattern does not occur fails with "did not find instance of the pattern") and
src/Lean/Elab/Tactic/Simp.lean / Lean/Meta/Tactic/Simp/ (`simp`, `simp only [..]`).
Weaker: rewriting is first-order (`lean_env.micro.rewrite`); the default simp set is a
small fixed subset of Lean's and Mathlib's `@[simp]` lemmas.
"""
from __future__ import annotations

from lean_env.micro.goals import Goal, Hyp, TacticError
from lean_env.micro.rewrite import Rule, default_simp_rules, make_rule, rewrite_once, simp_fix
from lean_env.micro.syntax import Forall, Iff, Imp, MVar, Not, Rel, Truth, subst
from lean_env.micro.tactic_parser import PApp, PName, Tactic
from lean_env.micro.tactics.closing import reducible_rfl
from lean_env.micro.tactics.common import find_hyp, replace_hyp, wildcard_locations
from lean_env.micro.tactics.registry import tactic
from lean_env.micro.unify import defeq, has_mvars, instantiate

TRUE, FALSE = Truth(True), Truth(False)


def rewrite_rules(r, tac, goal) -> list[tuple[Rule, list]]:
    out = []
    for rev, e in tac.rules:
        el = r.elaborator(goal)
        ty, names, postponed = el.spine(e)
        el.finish(postponed)
        ty = instantiate(ty, el.sub)
        premises = []
        while True:  # remaining explicit arguments become metavariables / side goals
            if isinstance(ty, Forall):
                el.fresh += 1
                ty = subst(ty.body, ty.var, MVar(f"{ty.var}_{el.fresh}", ty.ty))
            elif isinstance(ty, Imp) and isinstance(ty.right, (Rel, Iff, Forall, Imp)):
                premises.append(ty.left)
                ty = ty.right
            else:
                break
        out.append((make_rule(ty, rev), premises))
    return out


@tactic('rw', 'rewrite')
def t_rw(r, tac, goal):
    locs = tac.loc or ("⊢",)
    side_goals: list[Goal] = []
    for rule, premises in rewrite_rules(r, tac, goal):
        for loc in locs:
            if loc == "⊢":
                res = rewrite_once(goal.target, rule)
                if res is None:
                    raise TacticError("tactic 'rewrite' failed, did not find instance of the pattern "
                                      f"in the target expression\n  {_show_rule(rule, goal)}")
                goal = goal.with_target(res[0])
            else:
                h = find_hyp(goal, loc)
                if isinstance(h.type, str):
                    raise TacticError(f"'{loc}' is not a hypothesis")
                res = rewrite_once(h.type, rule)
                if res is None:
                    raise TacticError("tactic 'rewrite' failed, did not find instance of the pattern "
                                      f"in the hypothesis\n  {_show_rule(rule, goal)}")
                goal = replace_hyp(goal, h.name, Hyp(h.name, h.user, res[0], h.hidden))
            for p in premises:
                p = instantiate(p, res[1])
                if has_mvars(p):
                    raise TacticError("motive is not type correct: cannot infer rewrite side condition")
                side_goals.append(goal.with_target(p))
    if tac.kind == "rw" and reducible_rfl(goal.target):
        return side_goals  # `rw` is `rewrite` then `with_reducible rfl`
    return [goal] + side_goals


@tactic('simp')
def t_simp(r, tac, goal):
    return t_simp_only(r, tac, goal, default_simp_rules())


def simp_set(r, tac, goal, defaults=()):
    """The rewrite rules and the facts (`h : P` rewrites P to True) of `simp [..]`, and
    whether the default simp set is on (`simp`, not `simp only`)."""
    rules, facts = list(defaults), {}
    full = bool(defaults)
    for rev, e in tac.rules:
        el = r.elaborator(goal)
        ty = el.result(el.infer(e)) if not _is_lemma_name(e) else None
        if ty is not None and not isinstance(ty, (Rel, Iff)) or (
                isinstance(ty, Rel) and ty.op != "="):
            # a hypothesis `h : P` rewrites P to True (¬P: P to False)
            if isinstance(ty, Not):
                facts[ty.arg] = False
            elif isinstance(ty, Rel) and ty.op == "≠":
                facts[Rel("=", ty.left, ty.right)] = False
            else:
                facts[ty] = True
            continue
        sub_tac = Tactic("rw", rules=((rev, e),))
        for rule, premises in rewrite_rules(r, sub_tac, goal):
            if not premises:
                rules.append(rule)
    return rules, facts, full


@tactic('simpa')
def t_simpa(r, tac, goal):
    """Mathlib/Tactic/Simpa.lean `simpa [..] using e`: simp the goal and the type of `e`
    with the same set, then close the goal with `e` (its simplified type is `False`, or
    defeq to the simplified goal). Without `using`, a hypothesis `this` plays `e`, else
    `assumption` after simp. Either part making no progress is no failure."""
    rules, facts, full = simp_set(r, tac, goal, () if tac.names else default_simp_rules())
    target = simp_fix(goal.target, rules, facts, full)
    if target == TRUE:
        return []
    if tac.exprs:
        el = r.elaborator(goal)
        simped = [el.result(el.infer(tac.exprs[0]))]
    else:
        this = goal.accessible().get("this")
        simped = [this.type] if this is not None and not this.is_var else []
    for ty in simped:
        new = simp_fix(ty, rules, {k: v for k, v in facts.items() if k != ty}, full)
        if new == FALSE or defeq(new, target):
            return []
    if not tac.exprs and any(not h.is_var and defeq(h.type, target) for h in goal.hyps):
        return []  # `assumption` (the other hypotheses are not simplified)
    raise TacticError("simpa failed: the simplified term does not close the simplified goal\n  "
                      + goal.with_target(target).pp().splitlines()[-1])


@tactic('simp_all')
def t_simp_all(r, tac, goal):
    """Lean's `simp_all` (src/Lean/Meta/Tactic/Simp/SimpAll.lean): each propositional
    hypothesis is simplified with the simp set and the other hypotheses (an equation or
    iff as a rewrite rule left to right, any other `P` as `P = True`), round after round
    until nothing changes; one becoming False closes the goal, one becoming True is
    dropped; then the goal is simplified with them all. No change at all is an error."""
    base_rules, base_facts, full = simp_set(r, tac, goal, () if tac.names else default_simp_rules())
    hyps = {h.name: h.type for h in goal.hyps if not h.is_var}
    progress = False
    for _ in range(8):
        changed = False
        for name in list(hyps):
            rules, facts = _context(hyps, name, base_rules, base_facts)
            new = simp_fix(hyps[name], rules, facts, full)
            if new == hyps[name]:
                continue
            if new == FALSE:
                return []
            changed = True
            if new == TRUE:
                del hyps[name]
            else:
                hyps[name] = new
        progress |= changed
        if not changed:
            break
    rules, facts = _context(hyps, None, base_rules, base_facts)
    target = simp_fix(goal.target, rules, facts, full)
    if target == TRUE:
        return []
    if not progress and target == goal.target:
        raise TacticError("simp_all made no progress")
    kept = tuple(h if h.is_var else Hyp(h.name, h.user, hyps[h.name], h.hidden)
                 for h in goal.hyps if h.is_var or h.name in hyps)
    return [Goal(kept, target, goal.tag)]


def _context(hyps: dict, skip, rules, facts):
    """The simp set plus the hypotheses other than `skip`."""
    rules, facts = list(rules), dict(facts)
    for name, ty in hyps.items():
        if name == skip:
            continue
        if isinstance(ty, Rel) and ty.op == "=" or isinstance(ty, Iff):
            try:
                rules.append(make_rule(ty, False))
            except TacticError:
                pass
        elif isinstance(ty, Not):
            facts[ty.arg] = False
        elif isinstance(ty, Rel) and ty.op == "≠":
            facts[Rel("=", ty.left, ty.right)] = False
        else:
            facts[ty] = True
    return rules, facts


@tactic('simp only')
def t_simp_only(r, tac, goal, defaults=()):
    rules, facts, full = simp_set(r, tac, goal, defaults)
    wild = wildcard_locations(goal, tac.loc)  # `simp at *`: internal names
    locs = wild or tac.loc or ("⊢",)
    progress = False
    for loc in locs:
        if loc == "⊢":
            new = simp_fix(goal.target, rules, facts, full)
            if new != goal.target:
                progress = True
                if new == TRUE:
                    return []
                goal = goal.with_target(new)
            continue
        # `at *` gives internal names, `at h` a user name
        h = next(x for x in goal.hyps if x.name == loc) if wild else find_hyp(goal, loc)
        hfacts = {k: v for k, v in facts.items() if k != h.type}
        new = simp_fix(h.type, rules, hfacts, full)
        if new != h.type:
            progress = True
            if new == FALSE:
                return []
            goal = replace_hyp(goal, h.name, None if new == TRUE else Hyp(h.name, h.user, new, h.hidden))
    if not progress:
        raise TacticError("simp made no progress")
    return [goal]


def _is_lemma_name(e) -> bool:
    from lean_env.micro.lemmas import get_lemma

    return isinstance(e, PName) and get_lemma(e.name) is not None or isinstance(e, PApp)


def _show_rule(rule: Rule, goal: Goal) -> str:
    from lean_env.micro.printer import format_prop, format_term

    names = goal.display_names()
    return format_prop(rule.lhs, names) if rule.is_prop else format_term(rule.lhs, names)
