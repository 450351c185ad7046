"""Tactic combinators, acting on the whole proof state: `;`, `<;>`, `all_goals`,
`any_goals`, `try`, `first`, `repeat`, `iterate n`, `focus`, `·`, `case`/`next`,
`rotate_left`/`rotate_right`, `swap` (Mathlib's `pick_goal 2`), `skip`, `done`.

Models Lean 4 src/Init/Tactics.lean (macros: `try t` is `first | t | skip`; `t <;> u` is
`focus (t; all_goals u)`; `repeat t` is `first | (t; repeat t) | skip`; `iterate n t`;
`next x… => t` is `case _ x… => t`) and src/Lean/Elab/Tactic/BuiltinTactic.lean
(`evalAllGoals` fails if the tactic fails on any goal, `evalAnyGoals` fails only when it
fails on every goal, "failed on all goals"; `evalFirst` rethrows the last alternative's
error; `·` and `case` close their goal or fail with "unsolved goals"; `case` finds its goal
by tag: equal, else a suffix, else a prefix, renames inaccessible hypotheses like
`rename_i`, and clears the goal's tag). Weaker: `repeat` gives up after 64 rounds, and
when its tactic succeeds without changing the state (Lean would recurse until
"maximum recursion depth has been reached"), with that error.
"""
from __future__ import annotations

from lean_env.micro.goals import Goal, ProofState, TacticError

REPEAT_LIMIT = 64


def run_seq(r, tac, state: ProofState) -> ProofState:
    for t in tac.body:
        state = r.run(t, state)
    return state


def run_then_all(r, tac, state: ProofState) -> ProofState:
    """`t <;> u`: `t` on the main goal, then `u` on every goal it produced."""
    if not state.goals:
        raise TacticError("no goals to be proved")
    first = r.run(tac.body[0], ProofState(state.goals[:1]))
    out = all_goals(r, tac.body[1], first)
    return ProofState(out.goals + state.goals[1:])


def all_goals(r, body, state: ProofState) -> ProofState:
    out: list[Goal] = []
    for g in state.goals:
        out += r.run(body, ProofState((g,))).goals
    return ProofState(tuple(out))


def run_all_goals(r, tac, state):
    return all_goals(r, tac.body[0], state)


def run_any_goals(r, tac, state):
    out: list[Goal] = []
    succeeded = False
    for g in state.goals:
        try:
            out += r.run(tac.body[0], ProofState((g,))).goals
            succeeded = True
        except TacticError:
            out.append(g)
    if not succeeded:
        raise TacticError("failed on all goals")
    return ProofState(tuple(out))


def run_try(r, tac, state):
    try:
        return r.run(tac.body[0], state)
    except TacticError:
        return state


def run_first(r, tac, state):
    error = None
    for t in tac.body:
        try:
            return r.run(t, state)
        except TacticError as e:
            error = e
    raise error


def run_repeat(r, tac, state):
    """Stops at the first failure of the tactic; the state reached so far stands."""
    for _ in range(REPEAT_LIMIT):
        r.check_time()
        try:
            new = r.run(tac.body[0], state)
        except TacticError:
            return state
        if new == state:
            break
        state = new
    raise TacticError("maximum recursion depth has been reached")


def run_iterate(r, tac, state):
    """`iterate n t`: `t` exactly n times; any failure fails."""
    for _ in range(tac.names[0]):
        r.check_time()
        state = r.run(tac.body[0], state)
    return state


def run_focus(r, tac, state):
    if not state.goals:
        raise TacticError("no goals to be proved")
    rest = r.run(tac.body[0], ProofState(state.goals[:1]))
    return ProofState(rest.goals + state.goals[1:])


def run_cdot(r, tac, state):
    if not state.goals:
        raise TacticError("no goals to be proved")
    r.prove(state.goals[0], tac.body[0])
    return ProofState(state.goals[1:])


def run_case(r, tac, state):
    from lean_env.micro.tactics.cases import rename_inaccessible

    goals = list(state.goals)
    for tag, names in tac.pattern:
        i = find_tag(goals, tag)
        g = rename_inaccessible(goals.pop(i), names)
        r.prove(Goal(g.hyps, g.target, ""), tac.body[0])
    return ProofState(tuple(goals))


def find_tag(goals: list[Goal], tag: str) -> int:
    """Lean's `findTag?`: the goal tagged `tag`, else one whose tag ends with it, else one
    whose tag starts with it (name components); `_` is the main goal."""
    if not goals:
        raise TacticError("no goals to be proved")
    if tag == "_":
        return 0
    want = tag.split(".")
    parts = [g.tag.split(".") if g.tag else [] for g in goals]
    for test in (lambda p: p == want, lambda p: p[len(p) - len(want):] == want,
                 lambda p: p[:len(want)] == want):
        for i, p in enumerate(parts):
            if len(p) >= len(want) and test(p):
                return i
    raise TacticError(f"Case tag '{tag}' not found.\n\nAvailable tags: "
                      + ", ".join(f"'{g.tag}'" for g in goals if g.tag))


def run_rotate(r, tac, state):
    """`rotate_left n` puts the first n goals last; `rotate_right n` the last n first."""
    goals = state.goals
    if not goals:
        return state
    n = tac.names[0] % len(goals)
    if tac.kind == "rotate_right":
        n = (len(goals) - n) % len(goals)
    return ProofState(goals[n:] + goals[:n])


def run_swap(r, tac, state):
    """Mathlib's `swap` (`pick_goal 2`): the second goal first."""
    if len(state.goals) < 2:
        raise TacticError("not enough goals")
    g = state.goals
    return ProofState((g[1], g[0]) + g[2:])


def run_skip(r, tac, state):
    return state


def run_done(r, tac, state):
    if state.goals:
        raise TacticError("unsolved goals\n" + state.pp())
    return state


COMBINATORS = {
    "seq": run_seq, "<;>": run_then_all, "all_goals": run_all_goals,
    "any_goals": run_any_goals, "try": run_try, "first": run_first, "repeat": run_repeat,
    "iterate": run_iterate, "focus": run_focus, "·": run_cdot, "case": run_case,
    "rotate_left": run_rotate, "rotate_right": run_rotate, "swap": run_swap,
    "skip": run_skip, "done": run_done,
}
