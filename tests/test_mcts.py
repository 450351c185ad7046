"""MCTS, flat and bi-level: PUCT with policy priors, widening, pluggable leaf
values, the same budgets and faults as best-first."""
import pytest

from lean_env.protocol import Crash, ProofFinished, Timeout
from lean_env.theorems import Theorem
from scripted_policy import ScriptedEnv, ScriptedPolicy, script_reference_proof, state
from search.prover import prove
from search.result import Budget
from search.value import DEFAULT_VALUE, ConstantValue, GoalCountValue

THM = Theorem("t", "theorem t : A")


def mcts(env, policy, budget=Budget(), **options):
    return prove(env, policy, THM, algorithm="mcts", budget=budget, **options)


def chain_env(**kw):
    return ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "b"): ProofFinished()}, **kw)


def test_flat_mcts_finds_the_proof():
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("a", -0.5)], "⊢ B": [("y", -0.1), ("b", -0.2)]})
    result = mcts(chain_env(), policy)
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert result.stats.total_nodes == 2 and result.stats.expanded_nodes == 2
    assert result.settings == {"search": "mcts"}


def test_bilevel_mcts_finds_the_proof_and_records_targets():
    policy = ScriptedPolicy(plans={
        "⊢ A": [("⊢ C", -0.1, [("x", -0.1)]), ("⊢ B", -0.3, [("a", -0.2)])],
        "⊢ B": [("no goals", -0.1, [("b", -0.1)])],
    })
    result = mcts(chain_env(), policy)
    assert result.status == "proved" and result.proof == ["a", "b"]
    assert [e.reached_target for e in result.tree.proof_edges()] == [True, True]


def test_the_first_tactic_tried_is_the_one_with_the_highest_joint_prior():
    env = chain_env()
    policy = ScriptedPolicy(plans={"⊢ A": [("⊢ X", -3.0, [("x", -0.1)]), ("⊢ B", -0.1, [("a", -1.0)])]})
    mcts(env, policy, budget=Budget(max_env_calls=1))
    assert env.runs == [("⊢ A", "a")]  # joint -1.1 beats -3.1


def test_progressive_widening_deepens_before_trying_weak_candidates():
    # With leaf value 0, plain PUCT tries every root tactic before going deeper;
    # widening keeps the third candidate out until the root has more visits.
    transitions = {("⊢ A", "c2"): state("⊢ B"), ("⊢ A", "c3"): state("⊢ C")}
    tactics = {"⊢ A": [("c1", -0.1), ("c2", -0.2), ("c3", -0.3)], "⊢ B": [("b", -0.1)]}
    plain_env, widened_env = ScriptedEnv("⊢ A", transitions), ScriptedEnv("⊢ A", transitions)
    widened = ScriptedPolicy(tactics=tactics)
    mcts(plain_env, ScriptedPolicy(tactics=tactics), Budget(max_env_calls=3),
         widening=None, value=ConstantValue(0.0))
    mcts(widened_env, widened, Budget(max_env_calls=3), widening=(1.0, 0.5), value=ConstantValue(0.0))
    assert [t for _, t in plain_env.runs] == ["c1", "c2", "c3"]
    assert [t for _, t in widened_env.runs] == ["c1", "c2", "b"]
    assert widened.expanded() == ["⊢ A", "⊢ B"]


def test_a_fixed_branching_set_can_cap_the_candidates():
    env = chain_env()
    policy = ScriptedPolicy(tactics={"⊢ A": [("x", -0.1), ("a", -0.5)], "⊢ B": [("b", -0.2)]})
    result = mcts(env, policy, widening=None, max_children=1)
    assert result.status == "failed" and result.reason.startswith("tree exhausted")
    assert env.runs == [("⊢ A", "x")]


def test_leaf_values_come_from_the_pluggable_estimator():
    seen = []

    def value(st):
        seen.append(st.pp)
        return 0.5

    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)], "⊢ B": [("b", -0.1)]})
    assert mcts(chain_env(), policy, value=value).status == "proved"
    assert seen == ["⊢ B"]  # the proof itself is worth 1, no estimate needed


def test_the_default_leaf_value_halves_with_each_open_goal():
    assert DEFAULT_VALUE == GoalCountValue(0.5)
    assert [DEFAULT_VALUE(state("⊢ p", n)) for n in (1, 2, 3)] == [0.5, 0.25, 0.125]
    assert ConstantValue()(state("⊢ p", 4)) == 0.5


def test_a_tactic_proposed_under_several_targets_runs_once():
    env = chain_env()
    policy = ScriptedPolicy(plans={"⊢ A": [("⊢ B", -0.5, [("a", -0.1)]), ("⊢ Z", -0.1, [("a", -0.2)])]})
    result = mcts(env, policy)
    assert env.runs == [("⊢ A", "a")] and result.tree.edges[0].target == "⊢ Z"


def test_budgets_are_respected():
    env = ScriptedEnv("⊢ 0", {(f"⊢ {i}", "next"): state(f"⊢ {i + 1}") for i in range(100)})
    policy = ScriptedPolicy(tactics={f"⊢ {i}": [("next", -0.1)] for i in range(100)})
    result = mcts(env, policy, Budget(max_expansions=5))
    assert result.reason == "budget: 5 expansions" and result.stats.expanded_nodes == 5
    result = mcts(env, policy, Budget(max_env_calls=7))
    assert result.reason == "budget: 7 environment calls" and result.stats.env_calls == 7
    slow = ScriptedEnv("⊢ A", {}, delay=0.02)
    result = mcts(slow, ScriptedPolicy(tactics={"⊢ A": [(f"bad{i}", -0.1) for i in range(50)]}),
                  Budget(timeout=0.1))
    assert result.reason.startswith("timeout") and result.stats.env_calls <= 7


def test_a_proof_found_in_the_step_that_crosses_the_limit_is_kept():
    slow = ScriptedEnv("⊢ A", {("⊢ A", "a"): ProofFinished()}, delay=0.05)
    result = mcts(slow, ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)]}), Budget(timeout=0.01))
    assert result.status == "proved"


def test_timeouts_fail_edges_and_crashes_end_the_search_with_statistics():
    env = ScriptedEnv("⊢ A", {("⊢ A", "slow"): Timeout(), ("⊢ A", "a"): ProofFinished()})
    result = mcts(env, ScriptedPolicy(tactics={"⊢ A": [("slow", -0.1), ("a", -0.2)]}))
    assert result.status == "proved" and result.tree.edges[0].outcome == "timeout"
    env = ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "boom"): Crash("out of memory", True)})
    result = mcts(env, ScriptedPolicy(tactics={"⊢ A": [("a", -0.1)], "⊢ B": [("boom", -0.1)]}))
    assert result.status == "error" and result.reason == "out of memory"
    assert (result.stats.env_calls, result.stats.expanded_nodes) == (2, 2)


def test_cycles_and_dead_ends_exhaust_the_tree_instead_of_looping():
    env = ScriptedEnv("⊢ A", {("⊢ A", "a"): state("⊢ B"), ("⊢ B", "back"): state("⊢ A"),
                               ("⊢ B", "same"): state("⊢ B")})
    policy = ScriptedPolicy(tactics={"⊢ A": [("a", -0.1), ("bad", -0.2)],
                                     "⊢ B": [("back", -0.1), ("same", -0.2)]})
    result = mcts(env, policy)
    assert result.status == "failed" and result.reason.startswith("tree exhausted")
    assert len(env.runs) == 4


from lean_env.micro import MicroEnv  # noqa: E402
AND_INTRO = Theorem("and_intro", "theorem and_intro (p q : Prop) (hp : p) (hq : q) : p ∧ q",
                    proof="constructor\nexact hp\nexact hq")


@pytest.mark.parametrize("mode", ["flat", "rir"])
def test_mcts_proves_on_the_embedded_engine(mode):
    env = MicroEnv()
    policy = script_reference_proof(env, AND_INTRO)
    if mode == "flat":
        policy.plans.clear()
    result = prove(env, policy, AND_INTRO, algorithm="mcts")
    assert result.status == "proved" and result.proof == AND_INTRO.tactics()
