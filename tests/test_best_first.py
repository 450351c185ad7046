"""Best-first search, flat and bi-level, on a scripted environment and (when it
exists) the embedded engine, with a scripted policy."""
import time

import pytest

from lean_env.protocol import Crash, ProofFinished, Timeout
from lean_env.theorems import Theorem
from scripted_policy import ScriptedEnv, ScriptedPolicy, script_reference_proof, state
from search.prover import prove
from search.policy import Suggestion
from search.result import Budget

THM = Theorem("t", "theorem t : A")


def chain_env(**kw):
    """⊢ A --a--> ⊢ B --b--> proved; other tactics fail."""
    return ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "b"): ProofFinished()}, **kw)


def test_flat_search_finds_the_proof_and_reports_statistics():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("a", -0.5)], "⊢ B": [("b", -0.2)]})
    result = prove(chain_env(), policy, THM)
    assert result.status == "proved" and result.proof == ["a", "b"] and result.reason is None
    s = result.stats
    assert (s.total_nodes, s.expanded_nodes, s.env_calls) == (2, 2, 3)
    assert 0 <= s.planner_time + s.actor_time + s.env_time <= s.total_time
    assert result.tree.proof() == ["a", "b"] and result.settings == {"search": "bfs"}


def test_bilevel_search_follows_targets_and_records_whether_they_were_reached():
    policy = ScriptedPolicy(plans={
        "⊢ A": [("⊢ C", -0.1, [("x", -0.1)]), ("⊢ B", -0.3, [("a", -0.2)])],
        "⊢ B": [("no goals", -0.1, [("b", -0.1)])],
    })
    result = prove(chain_env(), policy, THM)
    assert result.status == "proved" and result.proof == ["a", "b"]
    edges = {e.tactic: e for e in result.tree.edges}
    assert (edges["a"].target, edges["a"].reached_target) == ("⊢ B", True)
    assert edges["x"].reached_target is False and edges["b"].reached_target is True
    assert ("plan", "⊢ A") in policy.calls and ("act", "⊢ A", ("⊢ C", "⊢ B")) in policy.calls


def test_expansions_follow_cumulative_log_probability():
    # B has the best first step but C's descendant D outranks it: A, C, D, B.
    env = ScriptedEnv("⊢ A", {
        ("⊢ A", "a"): state("⊢ B"), ("⊢ A", "c"): state("⊢ C"),
        ("⊢ C", "d"): state("⊢ D"), ("⊢ B", "b"): ProofFinished(),
    })
    policy = ScriptedPolicy(tactics={
        "⊢ A": [("c", -0.1), ("a", -1.0)], "⊢ C": [("d", -0.2)], "⊢ B": [("b", -0.1)],
    })
    result = prove(env, policy, THM)
    assert policy.expanded() == ["⊢ A", "⊢ C", "⊢ D", "⊢ B"]
    assert result.proof == ["a", "b"]


def test_bilevel_priority_adds_the_target_log_probability():
    env = ScriptedEnv("⊢ A", {("⊢ A", "x"): state("⊢ B"), ("⊢ A", "y"): state("⊢ C")})
    policy = ScriptedPolicy(plans={"⊢ A": [("⊢ B", -2.0, [("x", -0.1)]), ("⊢ C", -0.1, [("y", -0.5)])]})
    result = prove(env, policy, THM)
    assert policy.expanded() == ["⊢ A", "⊢ C", "⊢ B"]  # C: -0.6 beats B: -2.1
    assert result.tree.nodes["⊢ B"].priority == pytest.approx(-2.1)


def test_a_tactic_proposed_under_several_targets_runs_once_with_its_best_score():
    env = chain_env()
    policy = ScriptedPolicy(plans={
        "⊢ A": [("⊢ B", -0.5, [("a", -0.1)]), ("⊢ Z", -0.1, [("a", -0.2), ("z", -3.0)])],
    })
    result = prove(env, policy, THM)
    assert env.runs == [("⊢ A", "a"), ("⊢ A", "z")]
    edge = result.tree.edges[0]
    assert (edge.tactic, edge.target, edge.target_logprob, edge.logprob) == ("a", "⊢ Z", -0.1, -0.2)


def test_untargeted_search_also_asks_the_actor_without_a_target():
    # The planner's only target leads nowhere; the untargeted tactic "a" proves it.
    policy = ScriptedPolicy(
        plans={"⊢ A": [("⊢ Z", -0.1, [("z", -0.1)])], "⊢ B": [("no goals", -0.1, [("b", -0.1)])]},
        tactics={"⊢ A": [("a", -0.5)]})
    assert prove(chain_env(), policy, THM).status == "failed"
    result = prove(chain_env(), policy, THM, untargeted=True)
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert ("act", "⊢ A", ("⊢ Z", None)) in policy.calls
    edge = next(e for e in result.tree.edges if e.tactic == "a")
    assert (edge.target, edge.target_logprob) == (None, 0.0)


def test_max_expansions_is_respected():
    env = ScriptedEnv("⊢ 0", {(f"⊢ {i}", "next"): state(f"⊢ {i + 1}") for i in range(100)})
    policy = ScriptedPolicy(tactics={f"⊢ {i}": [("next", -0.1)] for i in range(100)})
    result = prove(env, policy, THM, budget=Budget(max_expansions=5))
    assert result.status == "failed" and result.reason == "budget: 5 expansions"
    assert result.stats.expanded_nodes == 5 and result.stats.total_nodes == 6


def test_max_env_calls_is_respected_inside_an_expansion():
    policy = ScriptedPolicy(tactics={"⊢ A": [(f"bad{i}", -0.1) for i in range(10)]})
    result = prove(chain_env(), policy, THM, budget=Budget(max_env_calls=4))
    assert result.status == "failed" and result.reason == "budget: 4 environment calls"
    assert result.stats.env_calls == 4 and result.stats.expanded_nodes == 1


def test_wall_clock_is_checked_inside_the_tactic_loop():
    env = chain_env(delay=0.02)
    policy = ScriptedPolicy(tactics={"⊢ A": [(f"bad{i}", -0.1) for i in range(50)]})
    result = prove(env, policy, THM, budget=Budget(timeout=0.1))
    assert result.status == "failed" and result.reason.startswith("timeout")
    assert result.stats.expanded_nodes == 1 and 3 <= result.stats.env_calls <= 7


def test_a_proof_found_in_the_step_that_crosses_a_limit_is_kept():
    slow = ScriptedEnv("⊢ A", {("⊢ A", "a"): ProofFinished()}, delay=0.05)
    result = prove(slow, ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)]}), THM, budget=Budget(timeout=0.01))
    assert result.status == "proved" and result.proof == ["a"]
    policy = ScriptedPolicy(tactics={"⊢ A": [("bad", -0.1), ("a", -0.2)], "⊢ B": [("b", -0.1)]})
    result = prove(chain_env(), policy, THM, budget=Budget(max_env_calls=3))
    assert result.status == "proved" and result.stats.env_calls == 3


def test_a_timed_out_tactic_is_a_failed_edge():
    env = ScriptedEnv("⊢ A", {("⊢ A", "slow"): Timeout(), ("⊢ A", "a"): ProofFinished()})
    result = prove(env, ScriptedPolicy(tactics={"⊢ A": [("slow", -0.1), ("a", -0.2)]}), THM)
    assert result.status == "proved" and result.tree.edges[0].outcome == "timeout"


def test_a_crash_mid_search_ends_it_with_an_error_and_keeps_statistics():
    env = ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "boom"): Crash("lean process died")})
    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)], "⊢ B": [("boom", -0.1), ("b", -0.2)]})
    result = prove(env, policy, THM)
    assert result.status == "error" and result.reason == "lean process died" and result.proof is None
    assert (result.stats.env_calls, result.stats.expanded_nodes, result.stats.total_nodes) == (2, 2, 2)
    assert result.tree is not None


def test_an_exhausted_tree_fails_and_says_so():
    env = ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "back"): state("⊢ A")})
    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1), ("bad", -0.2)], "⊢ B": [("back", -0.1)]})
    result = prove(env, policy, THM)
    assert result.status == "failed" and result.reason.startswith("tree exhausted")


def test_an_unopenable_theorem_is_an_error_result_not_an_exception():
    env = ScriptedEnv("⊢ A", {}, bad_statements=("theorem t : (",))
    result = prove(env, ScriptedPolicy(), Theorem("t", "theorem t : ("))
    assert result.status == "error" and "cannot parse" in result.reason
    assert result.stats.total_nodes == 0 and result.tree is None


# ---- on the embedded engine -------------------------------------------------

from lean_env.micro import MicroEnv  # noqa: E402 (an ImportError fails the tests, never skips them)

AND_INTRO = Theorem("and_intro", "theorem and_intro (p q : Prop) (hp : p) (hq : q) : p ∧ q",
                    proof="constructor\nexact hp\nexact hq")


@pytest.mark.parametrize("mode", ["flat", "rir"])
def test_best_first_proves_on_the_embedded_engine(mode):
    env = MicroEnv()
    policy = script_reference_proof(env, AND_INTRO)
    if mode == "flat":
        policy.plans.clear()
    result = prove(env, policy, AND_INTRO)
    assert result.status == "proved" and result.proof == AND_INTRO.tactics()
    if mode == "rir":
        assert all(e.reached_target for e in result.tree.proof_edges())


@pytest.mark.parametrize("algorithm", ["bfs", "mcts"])
def test_the_deadline_is_checked_between_model_calls_and_passed_to_the_policy(algorithm):
    # The planner outlasts the whole budget: the actor is never called, no tactic runs.
    policy = ScriptedPolicy(plans={"⊢ A": [("⊢ B", -0.1, [("a", -0.1)])]}, delay=0.05)
    before = time.monotonic()
    result = prove(chain_env(), policy, THM, algorithm=algorithm, budget=Budget(timeout=0.01))
    assert result.status == "failed" and result.reason.startswith("timeout")
    assert [c[0] for c in policy.calls] == ["plan"] and result.stats.env_calls == 0
    [deadline] = policy.deadlines  # absolute time.monotonic(): the search's start + timeout
    assert before + 0.01 <= deadline <= time.monotonic() + 0.01


def test_a_policy_without_the_deadline_keyword_still_drives_the_search():
    class OldPolicy:
        def plan(self, state):
            return []

        def act(self, state, targets):
            return [[Suggestion("a", -0.1)] for _ in targets]

    env = ScriptedEnv("⊢ A", {("⊢ A", "a"): ProofFinished()})
    assert prove(env, OldPolicy(), THM).status == "proved"


# ---- fallback planning: the planner only where the actor's own guesses fail ----


def test_fallback_planning_proves_a_short_proof_without_calling_the_planner():
    policy = ScriptedPolicy(
        tactics={"⊢ A": [("a", -0.1)], "⊢ B": [("b", -0.1)]},
        plans={"⊢ A": [("⊢ B", -0.1, [("a", -0.1)])]},
    )
    result = prove(chain_env(), policy, THM, planning="fallback")
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert not [c for c in policy.calls if c[0] == "plan"]
    assert ("act", "⊢ A", (None,)) in policy.calls


def test_fallback_planning_asks_the_planner_when_the_node_comes_up_again():
    # The actor's guess at ⊢ A fails; the planner's target leads to the proof.
    policy = ScriptedPolicy(
        tactics={"⊢ A": [("x", -0.1)], "⊢ B": [("b", -0.1)]},
        plans={"⊢ A": [("⊢ B", -0.2, [("x", -0.1), ("a", -0.3)])]},
    )
    env = chain_env()
    result = prove(env, policy, THM, planning="fallback")
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert policy.calls[:3] == [("act", "⊢ A", (None,)), ("plan", "⊢ A"), ("act", "⊢ A", ("⊢ B",))]
    assert env.runs.count(("⊢ A", "x")) == 1  # a tactic tried once is not run again
    assert result.stats.expanded_nodes == 3  # ⊢ A twice, then ⊢ B


def test_fallback_planning_explores_better_children_before_planning():
    # ⊢ A's untargeted tactic reaches ⊢ C (log-prob -0.1 > the penalty of 1), which is
    # expanded before ⊢ A's second, planned expansion.
    env = ScriptedEnv("⊢ A", {("⊢ A", "c"): state("⊢ C"), ("⊢ C", "d"): ProofFinished()})
    policy = ScriptedPolicy(tactics={"⊢ A": [("c", -0.1)], "⊢ C": [("d", -0.1)]},
                            plans={"⊢ A": [("⊢ B", -0.1, [("a", -0.1)])]})
    result = prove(env, policy, THM, planning="fallback", plan_penalty=1.0)
    assert result.proof == ["c", "d"] and not [c for c in policy.calls if c[0] == "plan"]


def test_fallback_planning_fails_a_node_only_after_its_targets_failed():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1)]},
                            plans={"⊢ A": [("⊢ B", -0.2, [("y", -0.1)])]})
    result = prove(chain_env(), policy, THM, planning="fallback")
    assert result.status == "failed" and "exhausted" in result.reason
    assert [c[0] for c in policy.calls] == ["act", "plan", "act"]


# ---- planning when exhausted: the planner only after the flat first pass ----


def test_exhausted_planning_searches_the_whole_first_pass_before_any_planner_call():
    # ⊢ A's flat guess reaches ⊢ C, a dead end; a fallback search would plan at ⊢ A
    # first (⊢ C's tactic has log-prob -2, below the penalty), this one flat-searches ⊢ C first.
    env = ScriptedEnv("⊢ A", {("⊢ A", "c"): state("⊢ C"), ("⊢ A", "a"): state("⊢ B"),
                              ("⊢ B", "b"): ProofFinished()})
    policy = ScriptedPolicy(tactics={"⊢ A": [("c", -2.0)], "⊢ C": [("z", -0.1)], "⊢ B": [("b", -0.1)]},
                            plans={"⊢ A": [("⊢ B", -0.2, [("a", -0.1)])]})
    result = prove(env, policy, THM, planning="exhausted")
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert policy.calls[:4] == [("act", "⊢ A", (None,)), ("act", "⊢ C", (None,)),
                                ("plan", "⊢ A"), ("act", "⊢ A", ("⊢ B",))]
    assert ("plan", "⊢ C") not in policy.calls  # ⊢ A, the better node, planned first, found it


def test_exhausted_planning_proves_a_short_proof_without_calling_the_planner():
    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)], "⊢ B": [("b", -0.1)]},
                            plans={"⊢ A": [("⊢ B", -0.1, [("a", -0.1)])]})
    result = prove(chain_env(), policy, THM, planning="exhausted")
    assert result.proof == ["a", "b"] and not [c for c in policy.calls if c[0] == "plan"]


def test_exhausted_planning_comes_before_the_widening_rounds_and_runs_only_new_tactics():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("a", -0.2)], "⊢ B": [("b", -0.1)]},
                            plans={"⊢ A": [("⊢ B", -0.1, [("y", -0.1)])]}, num_tactics=1)
    env = chain_env()
    result = prove(env, policy, THM, planning="exhausted", widths=(2,))
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert [c[0] for c in policy.calls] == ["act", "plan", "act", "act", "act"]
    assert policy.widths[:3] == [None, None, 2]  # first pass, planning round, then the wider beam
    assert env.runs == [("⊢ A", "x"), ("⊢ A", "y"), ("⊢ A", "a"), ("⊢ B", "b")]  # x is not run again


def test_exhausted_planning_after_the_widening_rounds_plans_last():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("w", -0.2)], "⊢ B": [("b", -0.1)]},
                            plans={"⊢ A": [("⊢ B", -0.1, [("a", -0.1)])]}, num_tactics=1)
    result = prove(chain_env(), policy, THM, planning="exhausted", widths=(2,), plan_after=1)
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert [c[0] for c in policy.calls] == ["act", "act", "plan", "act", "act"]
    assert policy.widths[:3] == [None, 2, None]  # first pass, the wider beam, then the planning round


def test_exhausted_planning_plans_again_at_states_found_after_its_round():
    # ⊢ B is first reached in the widening round, after ⊢ A's planning round: once the
    # last beam is spent, ⊢ B gets its targets (and ⊢ A, planned before, no second call).
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("a", -0.2)], "⊢ B": [("w", -0.1)]},
                            plans={"⊢ A": [("⊢ C", -0.1, [("z", -0.1)])], "⊢ B": [("⊢ D", -0.1, [("b", -0.1)])]},
                            num_tactics=1)
    result = prove(chain_env(), policy, THM, planning="exhausted", widths=(2,))
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert [c for c in policy.calls if c[0] == "plan"] == [("plan", "⊢ A"), ("plan", "⊢ B")]


def test_exhausted_planning_fails_when_the_planning_round_finds_nothing():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1)]}, plans={"⊢ A": [("⊢ B", -0.2, [("y", -0.1)])]})
    result = prove(chain_env(), policy, THM, planning="exhausted")
    assert result.status == "failed" and "exhausted" in result.reason
    assert [c[0] for c in policy.calls] == ["act", "plan", "act"]


def test_unknown_planning_is_refused():
    with pytest.raises(ValueError, match="planning"):
        prove(chain_env(), ScriptedPolicy(), THM, planning="sometimes")


# ---- wider beams: a narrow beam that exhausts the tree is widened, not given up ----

WIDE = {"⊢ A": [("x", -0.1), ("y", -0.2), ("z", -0.3), ("a", -0.4)], "⊢ B": [("w", -0.1), ("b", -0.2)]}


def test_an_exhausted_narrow_beam_ends_the_search_without_widths():
    policy = ScriptedPolicy(tactics=WIDE, num_tactics=2)
    result = prove(chain_env(), policy, THM)
    assert result.status == "failed" and "exhausted" in result.reason
    assert policy.widths == [None]


def test_widening_reexpands_with_the_wider_beam_and_runs_only_new_tactics():
    policy = ScriptedPolicy(tactics=WIDE, num_tactics=2)
    env = chain_env()
    result = prove(env, policy, THM, widths=(4, 8))
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert policy.widths[:2] == [None, 4]  # x, y fail; then z, a with the beam of 4
    assert [t for _, t in env.runs].count("x") == 1  # a tactic run once is not run again
    assert policy.widths[2] is None  # ⊢ B, new in the widened round, gets the usual beam first


def test_widening_reopens_failed_inner_nodes_in_priority_order():
    # ⊢ B fails with one tactic (w) and so fails ⊢ A; the round of width 2 reopens both
    # and finds ⊢ B's b.
    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)], "⊢ B": [("w", -0.1), ("b", -0.2)]}, num_tactics=1)
    result = prove(chain_env(), policy, THM, widths=(2,))
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert policy.expanded() == ["⊢ A", "⊢ B", "⊢ A", "⊢ B"] and policy.widths == [None, None, 2, 2]


def test_widening_reaches_a_root_that_a_cycle_of_states_kept_open():
    # ⊢ A --a--> ⊢ B --back--> ⊢ A: no edge fails, yet neither state can be proved by
    # what was tried; the widened round must still re-expand ⊢ A and find `c`.
    env = ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "back"): state("⊢ A"),
                              ("⊢ A", "c"): ProofFinished()})
    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1), ("c", -0.2)], "⊢ B": [("back", -0.1)]},
                            num_tactics=1)
    result = prove(env, policy, THM, widths=(2,))
    assert result.status == "proved" and result.proof == ["c"]
    assert policy.expanded() == ["⊢ A", "⊢ B", "⊢ A"] and policy.widths == [None, None, 2]


def test_widening_stops_after_the_last_width_and_says_exhausted():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("y", -0.2), ("z", -0.3)]}, num_tactics=1)
    result = prove(chain_env(), policy, THM, widths=(2, 4))
    assert result.status == "failed" and "exhausted" in result.reason
    assert policy.widths == [None, 2, 4] and result.stats.env_calls == 3


def test_a_policy_without_the_width_keyword_is_not_widened():
    class NarrowPolicy:
        def plan(self, state, *, deadline=None):
            return []

        def act(self, state, targets, *, deadline=None):
            return [[Suggestion("x", -0.1)] for _ in targets]

    result = prove(chain_env(), NarrowPolicy(), THM, widths=(16,))
    assert result.status == "failed" and result.stats.expanded_nodes == 1


def test_widening_respects_the_budget():
    policy = ScriptedPolicy(tactics=WIDE, num_tactics=1)
    result = prove(chain_env(), policy, THM, widths=(2, 4), budget=Budget(max_env_calls=2))
    assert result.status == "failed" and result.reason == "budget: 2 environment calls"


def test_widths_double_up_to_reprover_s_64():
    from search.best_first import widths

    assert widths(8) == (16, 32, 64) and widths(64) == () and widths(5) == (10, 20, 40)
