"""The planner over a flat prover (rir/flat_actor.py): a separate flat model answers
every request without a target, the co-trained model plans and acts toward targets."""
import json

import pytest

from lean_env.protocol import ProofFinished
from lean_env.theorems import Theorem
from rir.flat_actor import WithFlatActor
from rir.prover import DEFAULT_MODELS, ProverSettings, build_policy
from scripted_policy import ScriptedEnv, ScriptedPolicy
from search.prover import prove

PLANS = {"⊢ A": [("⊢ B", -0.5, [("toward b", -0.1)])]}


def test_untargeted_requests_go_to_the_flat_model_targets_to_the_co_trained_one():
    cotrained = ScriptedPolicy(tactics={"⊢ A": [("weak guess", -0.1)]}, plans=PLANS)
    flat = ScriptedPolicy(tactics={"⊢ A": [("strong guess", -0.2)]})
    policy = WithFlatActor(cotrained, flat)
    assert [s.text for s in policy.plan("⊢ A")] == ["⊢ B"]
    first, toward_b = policy.act("⊢ A", [None, "⊢ B"])
    assert [s.text for s in first] == ["strong guess"] and [s.text for s in toward_b] == ["toward b"]
    assert ("act", "⊢ A", ("⊢ B",)) in cotrained.calls and ("act", "⊢ A", (None,)) in flat.calls
    # a request with targets only never asks the flat model; one without only never the co-trained
    flat.calls.clear()
    policy.act("⊢ A", ["⊢ B"])
    assert flat.calls == []
    cotrained.calls.clear()
    policy.act("⊢ A", [None], width=16)
    assert cotrained.calls == [] and flat.widths[-1] == 16


def test_fallback_search_first_tries_the_flat_guesses_then_plans():
    # The flat guess fails; the node comes up again, plans ⊢ B, and the targeted tactic proves it.
    env = ScriptedEnv("⊢ A", {("⊢ A", "toward b"): ProofFinished()})
    cotrained = ScriptedPolicy(tactics={"⊢ A": [("toward b", -0.1)]}, plans=PLANS)
    flat = ScriptedPolicy(tactics={"⊢ A": [("strong guess", -0.2)]})
    result = prove(env, WithFlatActor(cotrained, flat), Theorem("t", "theorem t : A"),
                   planning="fallback")
    assert result.proof == ["toward b"]
    assert [tactic for _, tactic in env.runs] == ["strong guess", "toward b"]
    assert [c[0] for c in cotrained.calls] == ["plan", "act"]  # its untargeted actor never asked


def test_settings_load_the_shipped_flat_model_for_shipped():
    settings = ProverSettings(flat_actor="shipped", timeout=5)
    assert settings.flat_actor_path == str(DEFAULT_MODELS["flat"])
    assert json.loads(json.dumps(settings.to_dict()))["flat_actor"] == str(DEFAULT_MODELS["flat"])
    policy = build_policy(settings)
    assert isinstance(policy, WithFlatActor) and policy.flat.mode == "flat" and policy.policy.mode == "rir"
    assert not isinstance(build_policy(settings.with_(mode="flat")), WithFlatActor)


def test_auto_pairs_the_shipped_flat_model_with_the_shipped_co_trained_model_only(tmp_path):
    shipped_flat = str(DEFAULT_MODELS["flat"])
    assert ProverSettings().flat_actor == "auto" and ProverSettings().flat_actor_path == shipped_flat
    assert ProverSettings(model=str(DEFAULT_MODELS["rir"]) + "/").flat_actor_path == shipped_flat
    # a user's own co-trained model is searched alone unless a flat actor is named
    assert ProverSettings(model=str(tmp_path)).flat_actor_path is None
    assert ProverSettings(model=str(tmp_path), flat_actor="shipped").flat_actor_path == shipped_flat
    assert ProverSettings(flat_actor="none").flat_actor_path is None
    assert ProverSettings(flat_actor=None).flat_actor_path is None
    assert ProverSettings(mode="flat").flat_actor_path is None  # flat search has no planner
    assert ProverSettings(mode="flat").to_dict()["flat_actor"] is None


def test_a_missing_flat_actor_is_named_with_its_option(tmp_path):
    from lean_env.errors import MissingDependency

    with pytest.raises(MissingDependency, match=f"missing --flat-actor checkpoint {tmp_path}/nowhere"):
        build_policy(ProverSettings(flat_actor=str(tmp_path / "nowhere"), timeout=5))


def test_a_flat_actor_trained_without_the_flat_mode_is_refused_by_name(tmp_path):
    from lean_env.errors import BadInput
    from rir.generation import PolicyModel

    PolicyModel.tiny().save(tmp_path / "planner-only", modes=["rir"])
    with pytest.raises(BadInput, match="planner-only was trained for mode rir"):
        build_policy(ProverSettings(flat_actor=str(tmp_path / "planner-only"), timeout=5))


def test_on_the_engine_the_shipped_pair_proves_a_micro_theorem():
    from lean_env.micro import MicroEnv
    from lean_env.theorem_sets import load_theorem_set
    from rir.prover import prove_theorem

    settings = ProverSettings(flat_actor="shipped", timeout=30, max_expansions=20)
    thm = next(t for t in load_theorem_set("micro-test") if t.full_name == "micro.quant.exists_pair_1")
    result = prove_theorem(MicroEnv(), build_policy(settings), thm, settings)
    assert result.status == "proved", result.reason
    assert result.proof == ["use a, b + 1", "omega"]  # the flat model's guesses (flat search finds the same)
    assert isinstance(build_policy(ProverSettings()), WithFlatActor)  # the default of rir prove/eval
