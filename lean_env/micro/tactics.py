"""The tactics. Each acts on the main (first) goal, as in Lean 4, and returns the
goals that replace it; combinators act on the whole state.

Naming follows Lean 4: anonymous intros are inaccessible (`a✝`, `x✝`), `cases`
and `rcases` tag goals `inl`/`inr`/`intro`, `induction` and `cases` on ℕ tag
`zero`/`succ` with `n✝` and the IH `a✝`, `by_cases` tags `pos`/`neg`, and a tag
is appended to the parent's (`mp.inl`).
"""
from __future__ import annotations

import time

from lean_env.micro import arith
from lean_env.micro.elaborate import Elaborator, resolve_prop, resolve_term, unfold
from lean_env.micro.goals import Goal, Hyp, ProofState, TacticError
from lean_env.micro.rewrite import Rule, default_simp_rules, make_rule, rewrite_once, simp_fix
from lean_env.micro.syntax import (
    And, Exists, Forall, Iff, Imp, MVar, Not, Num, Or, Rel, Truth, Var, free_vars, subst,
    succ, term_vars,
)
from lean_env.micro.tactic_parser import PApp, PName, PatAlts, PatName, PatTuple, Tactic
from lean_env.micro.unify import canon, defeq, has_mvars, instantiate, match

TRUE, FALSE = Truth(True), Truth(False)


def child_tag(parent: str, tag: str) -> str:
    return f"{parent}.{tag}" if parent else tag


def _replace_hyp(goal: Goal, name: str, new: Hyp | None) -> Goal:
    hyps = tuple(new if h.name == name else h for h in goal.hyps if new is not None or h.name != name)
    return Goal(hyps, goal.target, goal.tag)


def _find(goal: Goal, user: str) -> Hyp:
    h = goal.accessible().get(user)
    if h is None:
        raise TacticError(f"unknown identifier '{user}'")
    return h


def _prop_hyps(goal: Goal) -> list:
    return [h.type for h in goal.hyps if not isinstance(h.type, str)]


class Runner:
    """Runs parsed tactics on proof states."""

    def __init__(self, solver_timeout_ms: int = 2000, deadline: float | None = None):
        self.timeout_ms = solver_timeout_ms
        self.deadline = deadline

    def check_time(self) -> None:
        if self.deadline is not None and time.perf_counter() > self.deadline:
            raise TimeoutError

    # ---- state level ----
    def run(self, tac: Tactic, state: ProofState) -> ProofState:
        kind = tac.kind
        if kind == "seq":
            for t in tac.body:
                state = self.run(t, state)
            return state
        if kind == "<;>":
            first = self.run(tac.body[0], ProofState(state.goals[:1]))
            out: list[Goal] = []
            for g in first.goals:
                out += self.run(tac.body[1], ProofState((g,))).goals
            return ProofState(tuple(out) + state.goals[1:])
        if kind in ("all_goals", "any_goals"):
            out, ok, last_error = [], False, None
            for g in state.goals:
                try:
                    out += self.run(tac.body[0], ProofState((g,))).goals
                    ok = True
                except TacticError as e:
                    if kind == "all_goals":
                        raise
                    out.append(g)
                    last_error = e
            if not ok and last_error is not None:
                raise last_error
            return ProofState(tuple(out))
        if kind == "try":
            try:
                return self.run(tac.body[0], state)
            except TacticError:
                return state
        if kind == "first":
            error = None
            for t in tac.body:
                try:
                    return self.run(t, state)
                except TacticError as e:
                    error = e
            raise error
        if kind == "repeat":
            for _ in range(64):
                self.check_time()
                try:
                    new = self.run(tac.body[0], state)
                except TacticError:
                    return state
                if new == state:
                    return state
                state = new
            return state
        if kind == "skip":
            return state
        if kind == "·":
            if not state.goals:
                raise TacticError("no goals to be proved")
            self.prove(state.goals[0], tac.body[0])
            return ProofState(state.goals[1:])
        if not state.goals:
            raise TacticError("no goals to be proved")
        new = TACTICS[kind](self, tac, state.goals[0])
        return state.replace_main(new)

    def prove(self, goal: Goal, tac: Tactic) -> None:
        """A `by` block: the tactic must close `goal`."""
        rest = self.run(tac, ProofState((goal,)))
        if rest.goals:
            raise TacticError("unsolved goals\n" + rest.pp())

    def elaborator(self, goal: Goal, holes: bool = False) -> Elaborator:
        return Elaborator(goal, self.prove, holes)

    # ---- closing tactics shared by trivial/use/exists ----
    def closes_trivially(self, goal: Goal) -> bool:
        try:
            return not self.t_trivial(None, goal)
        except TacticError:
            return False

    # ---- intro ----
    def intro1(self, goal: Goal, name: str | None) -> tuple[Goal, str]:
        t = unfold(goal.target)
        hidden = name is None or name == "_"
        if isinstance(t, Forall):
            g, internal = goal.add(t.var if hidden else name, "ℕ", hidden)
            body = t.body if internal == t.var else subst(t.body, t.var, Var(internal))
            return g.with_target(body), internal
        if isinstance(t, Imp):
            g, internal = goal.add("a" if hidden else name, t.left, hidden)
            return g.with_target(t.right), internal
        raise TacticError("tactic 'introN' failed, insufficient number of binders")

    def t_intro(self, tac, goal):
        names = tac.names or (None,)
        for n in names:
            goal, _ = self.intro1(goal, n)
        return [goal]

    def t_intros(self, tac, goal):
        if tac.names:
            return self.t_intro(tac, goal)
        while isinstance(goal.target, (Forall, Imp)):
            goal, _ = self.intro1(goal, None)
        return [goal]

    def t_rintro(self, tac, goal):
        goals = [goal]
        for pat in tac.body:
            new = []
            for g in goals:
                if isinstance(pat, PatName) and pat.name not in ("rfl", "-"):
                    new.append(self.intro1(g, pat.name)[0])
                else:
                    g2, h = self.intro1(g, None)
                    new += self.rcases(g2, h, pat)
            goals = new
        return goals

    # ---- proof terms ----
    def t_exact(self, tac, goal):
        el = self.elaborator(goal)
        el.check(tac.exprs[0], goal.target)
        return []

    def t_refine(self, tac, goal):
        el = self.elaborator(goal, holes=True)
        el.check(tac.exprs[0], goal.target)
        return self._new_goals(goal, [(t, instantiate(p, el.sub)) for t, p in el.new_goals], False)

    def _new_goals(self, goal, items, named: bool):
        for _, p in items:
            if has_mvars(p):
                raise TacticError("don't know how to synthesize implicit argument")
        if len(items) == 1:
            return [goal.with_target(items[0][1])]
        return [goal.with_target(p, child_tag(goal.tag, t) if named else goal.tag) for t, p in items]

    def t_apply(self, tac, goal):
        el = self.elaborator(goal, holes=True)
        e = tac.exprs[0]
        ty, names, postponed = el.spine(e)
        premises = []
        for i in range(64):
            m = match(ty, goal.target, el.sub)
            if m is not None:
                el.sub = m
                break
            ty = unfold(ty)
            if isinstance(ty, Forall):
                el.fresh += 1
                ty = subst(ty.body, ty.var, MVar(f"{ty.var}_{el.fresh}"))
            elif isinstance(ty, Imp):
                premises.append((names[i] if i < len(names) else "a", ty.left))
                ty = ty.right
            else:
                raise TacticError(f"tactic 'apply' failed, could not unify the conclusion of "
                                  f"`{_show(e)}`\n  {el.show(ty)}\nwith the goal\n  {el.show(goal.target)}")
        else:
            raise TacticError("tactic 'apply' failed")
        holes_before = len(el.new_goals)
        el.finish(postponed)
        items = el.new_goals[holes_before:] + premises
        items = [(t, instantiate(p, el.sub)) for t, p in items]
        return self._new_goals(goal, items, True)

    def t_have(self, tac, goal):
        el = self.elaborator(goal)
        if tac.prop is not None:
            prop = resolve_prop(tac.prop, goal.accessible())
            el.check(tac.exprs[0], prop)
        else:
            prop = el.result(el.infer(tac.exprs[0]))
        g, _ = goal.add(tac.names[0], prop)
        return [g]

    def t_specialize(self, tac, goal):
        e = tac.exprs[0]
        if not (isinstance(e, PApp) and isinstance(e.fn, PName)):
            raise TacticError("'specialize' requires a term of the form `h x_1 .. x_n`")
        h = _find(goal, e.fn.name)
        el = self.elaborator(goal)
        prop = el.result(el.infer(e))
        g = _replace_hyp(goal, h.name, None)
        return [g.add(h.user, prop)[0]]

    # ---- rcases family ----
    def with_alternatives(self, tac, goal: Goal, goals: list[Goal]) -> list[Goal]:
        """`cases h with | inl h => tac | inr h => tac`: name the new hypotheses of
        each case, then the case's tactics must close it."""
        if not tac.body:
            return goals
        old = set(goal.hyps)
        alts = {alt.kind: alt for alt in tac.body}
        for g in goals:
            tag = g.tag.rsplit(".", 1)[-1]
            alt = alts.pop(tag, None)
            if alt is None:
                raise TacticError(f"alternative '{tag}' has not been provided")
            fresh = [h for h in g.hyps if h not in old and h.hidden]
            if len(alt.names) > len(fresh):
                raise TacticError(f"too many variable names provided at alternative '{tag}'")
            renames = {h.name: n for h, n in zip(fresh, alt.names) if n != "_"}
            hyps = tuple(Hyp(h.name, renames[h.name], h.type) if h.name in renames else h for h in g.hyps)
            self.prove(Goal(hyps, g.target, g.tag), alt.body[0])
        if alts:
            raise TacticError(f"invalid alternative name '{next(iter(alts))}'")
        return []

    def t_cases(self, tac, goal):
        return self.with_alternatives(tac, goal, self._cases(tac, goal))

    def t_symm(self, tac, goal):
        t = goal.target
        if isinstance(t, Rel) and t.op in ("=", "≠"):
            return [goal.with_target(Rel(t.op, t.right, t.left))]
        if isinstance(t, Iff):
            return [goal.with_target(Iff(t.right, t.left))]
        raise TacticError("symm failed: the goal is not a symmetric relation")

    def t_by__contra(self, tac, goal):
        t = goal.target
        hyp = t.arg if isinstance(t, Not) else Not(t)
        g, _ = goal.add(tac.names[0], hyp)
        return [g.with_target(FALSE)]

    def _cases(self, tac, goal):
        h = _find(goal, tac.names[0])
        if h.type == "ℕ":
            return self.nat_cases(goal, h, induction=False)
        t = unfold(h.type) if isinstance(h.type, Not) else h.type
        if isinstance(t, Or):
            pat = PatAlts((PatName("_"), PatName("_")))
        elif isinstance(t, (And, Exists, Iff)):
            pat = PatTuple((PatName("_"), PatName("_")))
        elif t == FALSE:
            return []
        else:
            raise TacticError("tactic 'induction' failed, major premise type is not an inductive type")
        return self.rcases(goal, h.name, pat)

    def t_induction(self, tac, goal):
        h = _find(goal, tac.names[0])
        if h.type != "ℕ":
            raise TacticError("tactic 'induction' failed: only induction on a variable of type ℕ is supported")
        return self.with_alternatives(tac, goal, self.nat_cases(goal, h, induction=True))

    def nat_cases(self, goal: Goal, n: Hyp, induction: bool) -> list[Goal]:
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
        g, k = g.add("n", "ℕ", hidden=True)
        if induction:
            motive = goal.target
            for d in reversed(deps):
                motive = Imp(d.type, motive)
            g, _ = g.add("a", subst(motive, n.name, Var(k)), hidden=True)
        succ_goal = reintro(g, succ(Var(k)))
        succ_goal = succ_goal.with_target(subst(goal.target, n.name, succ(Var(k))))
        return [zero, succ_goal]

    def t_rcases(self, tac, goal):
        return self._destruct(goal, tac.exprs[0], tac.pattern, None)

    def t_obtain(self, tac, goal):
        return self._destruct(goal, tac.exprs[0], tac.pattern, tac.prop)

    def _destruct(self, goal, e, pattern, prop):
        if prop is None and isinstance(e, PName) and e.name in goal.accessible():
            h = goal.accessible()[e.name]
            if h.type == "ℕ":
                return self._rcases_nat(goal, h, pattern)
            return self.rcases(goal, h.name, pattern)
        el = self.elaborator(goal)
        if prop is not None:
            ty = resolve_prop(prop, goal.accessible())
            el.check(e, ty)
        else:
            ty = el.result(el.infer(e))
        g, h = goal.add("h", ty, hidden=True)
        return self.rcases(g, h, pattern)

    def _rcases_nat(self, goal, h, pattern):
        if isinstance(pattern, PatAlts) and len(pattern.alts) == 2:
            zero, succ_goal = self.nat_cases(goal, h, induction=False)
            name = pattern.alts[1]
            if isinstance(name, PatName) and name.name != "_":
                succ_goal = _rename_var(succ_goal, name.name)
            return [zero, succ_goal]
        if isinstance(pattern, PatName):
            return [_replace_hyp(goal, h.name, Hyp(h.name, pattern.name, "ℕ", pattern.name == "_"))]
        raise TacticError("rcases: unsupported pattern for a natural number")

    def rcases(self, goal: Goal, name: str, pat) -> list[Goal]:
        h = next(x for x in goal.hyps if x.name == name)
        ty = h.type
        if isinstance(pat, PatName):
            if pat.name == "-":
                return [_replace_hyp(goal, name, None)]
            if pat.name == "rfl":
                return [self.subst_eq(goal, h)]
            if pat.name == "_":
                return [goal]
            return [_replace_hyp(goal, name, Hyp(h.name, pat.name, ty, False))]
        if ty == FALSE:
            return []
        if isinstance(pat, PatAlts):
            if len(pat.alts) == 1:
                return self.rcases(goal, name, pat.alts[0])
            if not isinstance(ty, Or):
                return self.rcases(goal, name, pat.alts[0])
            rest = pat.alts[1] if len(pat.alts) == 2 else PatAlts(pat.alts[1:])
            out = []
            for side, sub_pat, tag in ((ty.left, pat.alts[0], "inl"), (ty.right, rest, "inr")):
                g = Goal(goal.hyps, goal.target, child_tag(goal.tag, tag))
                g = _replace_hyp(g, name, None)
                g, new = _add_component(g, sub_pat, "h", side)
                out += self.rcases(g, new, sub_pat)
            return out
        items = pat.items
        if not items:
            return [goal]
        if len(items) == 1:
            return self.rcases(goal, name, items[0])
        rest = items[1] if len(items) == 2 else PatTuple(items[1:])
        g = _replace_hyp(Goal(goal.hyps, goal.target, child_tag(goal.tag, "intro")), name, None)
        if isinstance(ty, And):
            parts = [(items[0], "left", ty.left), (rest, "right", ty.right)]
        elif isinstance(ty, Iff):
            parts = [(items[0], "mp", Imp(ty.left, ty.right)), (rest, "mpr", Imp(ty.right, ty.left))]
        elif isinstance(ty, Exists):
            w = items[0]
            if not isinstance(w, PatName):
                raise TacticError("rcases: the witness of ∃ must be named by a simple pattern")
            hidden = w.name in ("_", "-", "rfl")
            g, wname = g.add("w" if hidden else w.name, "ℕ", hidden)
            body = ty.body if wname == ty.var else subst(ty.body, ty.var, Var(wname))
            parts = [(rest, "h", body)]
        else:
            raise TacticError("rcases: the hypothesis is not a conjunction, disjunction, iff or ∃")
        added = []
        for sub_pat, default, typ in parts:
            g, new = _add_component(g, sub_pat, default, typ)
            added.append((new, sub_pat))
        goals = [g]
        for new, sub_pat in added:
            goals = [x for gg in goals for x in self.rcases(gg, new, sub_pat)]
        return goals

    def subst_eq(self, goal: Goal, h: Hyp) -> Goal:
        ty = h.type
        if not (isinstance(ty, Rel) and ty.op == "="):
            raise TacticError("rcases: `rfl` pattern needs an equation")
        g = _replace_hyp(goal, h.name, None)
        for var, value in ((ty.right, ty.left), (ty.left, ty.right)):
            if isinstance(var, Var) and var.name not in term_vars(value) and any(
                    x.name == var.name and x.type == "ℕ" for x in g.hyps):
                hyps = tuple(Hyp(x.name, x.user, x.type if isinstance(x.type, str) else
                                 subst(x.type, var.name, value), x.hidden)
                             for x in g.hyps if x.name != var.name)
                return Goal(hyps, subst(g.target, var.name, value), g.tag)
        raise TacticError("motive is not type correct: `rfl` needs a variable on one side")

    def t_subst(self, tac, goal):
        return [self.subst_eq(goal, _find(goal, tac.names[0]))]

    def t_rename__i(self, tac, goal):
        shown = goal.display_names()
        inaccessible = [h for h in goal.hyps if "✝" in shown[h.name]]
        names = tac.names
        if len(names) > len(inaccessible):
            raise TacticError("too many variable names provided")
        targets = inaccessible[len(inaccessible) - len(names):]
        renames = {h.name: n for h, n in zip(targets, names) if n != "_"}
        hyps = tuple(Hyp(h.name, renames[h.name], h.type, False) if h.name in renames else h
                     for h in goal.hyps)
        return [Goal(hyps, goal.target, goal.tag)]

    # ---- goal-directed ----
    def t_constructor(self, tac, goal):
        t = goal.target
        if isinstance(t, And):
            return [goal.with_target(t.left, child_tag(goal.tag, "left")),
                    goal.with_target(t.right, child_tag(goal.tag, "right"))]
        if isinstance(t, Iff):
            return [goal.with_target(Imp(t.left, t.right), child_tag(goal.tag, "mp")),
                    goal.with_target(Imp(t.right, t.left), child_tag(goal.tag, "mpr"))]
        if t == TRUE or (isinstance(t, Rel) and t.op == "=" and _refl(t)):
            return []
        raise TacticError(f"tactic 'constructor' failed, target is not an inductive datatype with "
                          f"a unique solution in this fragment\n{goal.pp()}")

    def t_left(self, tac, goal):
        if not isinstance(goal.target, Or):
            raise TacticError("tactic 'left' failed, target is not an inductive datatype with 2 constructors")
        return [goal.with_target(goal.target.left)]

    def t_right(self, tac, goal):
        if not isinstance(goal.target, Or):
            raise TacticError("tactic 'right' failed, target is not an inductive datatype with 2 constructors")
        return [goal.with_target(goal.target.right)]

    def t_exfalso(self, tac, goal):
        return [goal.with_target(FALSE)]

    def t_exists(self, tac, goal):
        t = goal.target
        acc = goal.accessible()
        for term in tac.terms:
            if not isinstance(t, Exists):
                raise TacticError(f"invalid constructor ⟨...⟩, the goal is not an existential\n{goal.pp()}")
            t = subst(t.body, t.var, resolve_term(term, acc))
        g = goal.with_target(t)
        return [] if self.closes_trivially(g) else [g]

    t_use = t_exists

    def t_by__cases(self, tac, goal):
        p = resolve_prop(tac.prop, goal.accessible())
        pos, _ = goal.with_target(goal.target, child_tag(goal.tag, "pos")).add(tac.names[0], p)
        neg, _ = goal.with_target(goal.target, child_tag(goal.tag, "neg")).add(tac.names[0], Not(p))
        return [pos, neg]

    def t_show(self, tac, goal):
        p = resolve_prop(tac.prop, goal.accessible())
        if not defeq(p, goal.target):
            raise TacticError("type mismatch: the goal is not definitionally equal to the given type")
        return [goal.with_target(p)]

    # ---- closing ----
    def t_assumption(self, tac, goal):
        target = canon(goal.target)
        for h in reversed(goal.hyps):
            if not isinstance(h.type, str) and canon(h.type) == target:
                return []
        raise TacticError("tactic 'assumption' failed")

    def t_contradiction(self, tac, goal):
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
        raise TacticError("tactic 'contradiction' failed")

    def t_rfl(self, tac, goal):
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

    def t_trivial(self, tac, goal):
        t = goal.target
        if t == TRUE:
            return []
        for step in (self.t_rfl, self.t_assumption, self.t_decide):
            try:
                return step(tac, goal)
            except TacticError:
                pass
        if isinstance(t, And):
            if self.closes_trivially(goal.with_target(t.left)) and self.closes_trivially(
                    goal.with_target(t.right)):
                return []
        raise TacticError("tactic 'trivial' failed")

    def t_decide(self, tac, goal):
        t = goal.target
        if free_vars(t):
            raise TacticError(f"failed to synthesize Decidable: the proposition has free variables\n  "
                              f"{goal.pp().splitlines()[-1][2:]}")
        verdict = arith.decide(t)
        if verdict is True:
            return []
        if verdict is False:
            raise TacticError("decide failed: the proposition evaluates to false")
        raise TacticError("failed to synthesize Decidable instance for the proposition")

    def t_omega(self, tac, goal):
        self.check_time()
        if arith.omega(_prop_hyps(goal), goal.target, self.timeout_ms):
            return []
        raise TacticError("omega could not prove the goal")

    def _extra(self, tac, goal) -> list:
        el = self.elaborator(goal)
        return [el.result(el.infer(e)) for e in tac.exprs]

    def t_linarith(self, tac, goal):
        self.check_time()
        if arith.linarith(_prop_hyps(goal) + self._extra(tac, goal), goal.target, self.timeout_ms):
            return []
        raise TacticError("linarith failed to find a contradiction")

    def t_norm__num(self, tac, goal):
        extra = self._extra(tac, goal)
        if tac.loc:
            return self._norm_num_at(tac, goal, extra)
        new = arith.norm_num(goal.target, extra)
        if new == TRUE:
            return []
        if new == goal.target:
            raise TacticError("norm_num failed to simplify")
        return [goal.with_target(new)]

    def _norm_num_at(self, tac, goal, extra):
        for loc in tac.loc:
            if loc == "⊢":
                goals = self.t_norm__num(Tactic("norm_num", exprs=tac.exprs), goal)
                if not goals:
                    return []
                goal = goals[0]
                continue
            h = _find(goal, loc)
            new = arith.norm_num(h.type, extra)
            if new == FALSE:
                return []
            if new == h.type:
                raise TacticError("norm_num failed to simplify")
            goal = _replace_hyp(goal, h.name, None if new == TRUE else Hyp(h.name, h.user, new, h.hidden))
        return [goal]

    def t_ring(self, tac, goal):
        t = goal.target
        if isinstance(t, Rel) and t.op == "=" and arith.ring_equal(t.left, t.right):
            return []
        raise TacticError("ring failed to prove the equality")

    # ---- rewriting ----
    def rules(self, tac, goal) -> list[tuple[Rule, list]]:
        out = []
        for rev, e in tac.rules:
            el = self.elaborator(goal)
            ty, names, postponed = el.spine(e)
            el.finish(postponed)
            ty = instantiate(ty, el.sub)
            premises = []
            while True:  # remaining explicit arguments become metavariables / side goals
                if isinstance(ty, Forall):
                    el.fresh += 1
                    ty = subst(ty.body, ty.var, MVar(f"{ty.var}_{el.fresh}"))
                elif isinstance(ty, Imp) and isinstance(ty.right, (Rel, Iff, Forall, Imp)):
                    premises.append(ty.left)
                    ty = ty.right
                else:
                    break
            out.append((make_rule(ty, rev), premises))
        return out

    def t_rw(self, tac, goal):
        locs = tac.loc or ("⊢",)
        side_goals: list[Goal] = []
        for rule, premises in self.rules(tac, goal):
            for loc in locs:
                if loc == "⊢":
                    res = rewrite_once(goal.target, rule)
                    if res is None:
                        raise TacticError("tactic 'rewrite' failed, did not find instance of the pattern "
                                          f"in the target expression\n  {_show_rule(rule, goal)}")
                    goal = goal.with_target(res[0])
                else:
                    h = _find(goal, loc)
                    if isinstance(h.type, str):
                        raise TacticError(f"'{loc}' is not a hypothesis")
                    res = rewrite_once(h.type, rule)
                    if res is None:
                        raise TacticError("tactic 'rewrite' failed, did not find instance of the pattern "
                                          f"in the hypothesis\n  {_show_rule(rule, goal)}")
                    goal = _replace_hyp(goal, h.name, Hyp(h.name, h.user, res[0], h.hidden))
                for p in premises:
                    p = instantiate(p, res[1])
                    if has_mvars(p):
                        raise TacticError("motive is not type correct: cannot infer rewrite side condition")
                    side_goals.append(goal.with_target(p))
        t = goal.target
        if tac.kind == "rewrite":
            return [goal] + side_goals
        if (isinstance(t, Rel) and t.op == "=" and t.left == t.right) or (
                isinstance(t, Iff) and t.left == t.right):
            return side_goals
        return [goal] + side_goals

    def t_simp(self, tac, goal):
        return self.t_simp_only(tac, goal, default_simp_rules())

    def t_simp_only(self, tac, goal, defaults=()):
        rules, facts = list(defaults), {}
        for rev, e in tac.rules:
            el = self.elaborator(goal)
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
            for rule, premises in self.rules(sub_tac, goal):
                if not premises:
                    rules.append(rule)
        locs = tac.loc or ("⊢",)
        progress = False
        for loc in locs:
            if loc == "⊢":
                new = simp_fix(goal.target, rules, facts)
                if new != goal.target:
                    progress = True
                    if new == TRUE:
                        return []
                    goal = goal.with_target(new)
            else:
                h = _find(goal, loc)
                hfacts = {k: v for k, v in facts.items() if k != h.type}
                new = simp_fix(h.type, rules, hfacts)
                if new != h.type:
                    progress = True
                    if new == FALSE:
                        return []
                    goal = _replace_hyp(goal, h.name, None if new == TRUE else Hyp(h.name, h.user, new, h.hidden))
        if not progress:
            raise TacticError("simp made no progress")
        return [goal]


def _refl(t) -> bool:
    c = canon(t)
    return c.left == c.right


def _is_lemma_name(e) -> bool:
    from lean_env.micro.lemmas import get_lemma

    return isinstance(e, PName) and get_lemma(e.name) is not None or isinstance(e, PApp)


def _show(e) -> str:
    from lean_env.micro.elaborate import show_pexpr

    return show_pexpr(e)


def _show_rule(rule: Rule, goal: Goal) -> str:
    from lean_env.micro.printer import format_prop, format_term

    names = goal.display_names()
    return format_prop(rule.lhs, names) if rule.is_prop else format_term(rule.lhs, names)


def _add_component(goal: Goal, pat, default: str, typ) -> tuple[Goal, str]:
    """Add one component of a destructed hypothesis, named by `pat` when it is a name."""
    if isinstance(pat, PatName) and pat.name not in ("_", "-", "rfl"):
        return goal.add(pat.name, typ, False)
    return goal.add(default, typ, True)


def _rename_var(goal: Goal, name: str) -> Goal:
    """Name the newest inaccessible ℕ variable (the `n✝` of a succ case)."""
    for h in reversed(goal.hyps):
        if h.type == "ℕ" and h.hidden:
            return _replace_hyp(goal, h.name, Hyp(h.name, name, "ℕ", False))
    return goal


TACTICS = {
    "intro": Runner.t_intro, "intros": Runner.t_intros, "rintro": Runner.t_rintro,
    "exact": Runner.t_exact, "apply": Runner.t_apply, "refine": Runner.t_refine,
    "have": Runner.t_have, "specialize": Runner.t_specialize,
    "cases": Runner.t_cases, "induction": Runner.t_induction, "rcases": Runner.t_rcases,
    "obtain": Runner.t_obtain, "subst": Runner.t_subst, "rename_i": Runner.t_rename__i,
    "constructor": Runner.t_constructor, "left": Runner.t_left, "right": Runner.t_right,
    "exfalso": Runner.t_exfalso, "exists": Runner.t_exists, "use": Runner.t_use,
    "by_cases": Runner.t_by__cases, "by_contra": Runner.t_by__contra, "symm": Runner.t_symm, "show": Runner.t_show,
    "assumption": Runner.t_assumption, "contradiction": Runner.t_contradiction,
    "rfl": Runner.t_rfl, "trivial": Runner.t_trivial, "decide": Runner.t_decide,
    "omega": Runner.t_omega, "linarith": Runner.t_linarith, "norm_num": Runner.t_norm__num,
    "ring": Runner.t_ring, "rw": Runner.t_rw, "rewrite": Runner.t_rw,
    "simp only": Runner.t_simp_only, "simp": Runner.t_simp,
}
