"""A found proof is reported `proved` only once it replays from the start (issue 29, item 3)."""
from lean_env import Theorem
from lean_env.micro import MicroEnv
from lean_env.protocol import ProofCheck
from rir.prover import ProverSettings, parse_env_options, prove_theorem
from rir.report import summarize
from scripted_policy import script_reference_proof

AND_INTRO = Theorem("and_intro", "theorem and_intro (p q : Prop) (hp : p) (hq : q) : p ∧ q",
                    proof="constructor\nexact hp\nexact hq")


class RefusingEnv(MicroEnv):
    """An engine whose whole-proof replay disagrees with the search (as a REPL whose tactic
    mode accepted an unsound step would)."""

    def check_proof(self, theorem, tactics):
        return ProofCheck(False, "declaration has errors")


def test_a_proof_that_replays_is_reported_proved():
    env = MicroEnv()
    result = prove_theorem(env, script_reference_proof(env, AND_INTRO), AND_INTRO, ProverSettings())
    assert result.status == "proved" and result.proof == ["constructor", "exact hp", "exact hq"]


def test_a_proof_that_fails_the_final_check_is_its_own_status_and_a_failure():
    env = RefusingEnv()
    result = prove_theorem(env, script_reference_proof(env, AND_INTRO), AND_INTRO, ProverSettings())
    assert result.status == "check_failed" and "declaration has errors" in result.reason
    summary = summarize([result])
    assert summary.proved == 0 and summary.failed == 1


def test_the_default_replay_catches_a_path_that_never_ran_in_sequence():
    verdict = MicroEnv().check_proof(AND_INTRO, ["constructor", "exact hq", "exact hp"])
    assert not verdict.ok and "step 2" in verdict.reason


def test_env_option_none_means_none():
    assert parse_env_options(["project=None", "lean_version=null", "timeout=30"]) == {
        "project": None, "lean_version": None, "timeout": 30}
