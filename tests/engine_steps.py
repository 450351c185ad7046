"""Run a tactic script on the embedded engine, for the tactic and fidelity tests."""
from lean_env.micro import MicroEnv
from lean_env.protocol import ProofFinished, TacticState
from lean_env.theorems import Theorem


def run(statement: str, *tactics: str):
    """The outcome of the last tactic (earlier ones must give states)."""
    env = MicroEnv()
    state = env.open(Theorem("t", statement))
    outcome = state
    for i, tac in enumerate(tactics):
        outcome = env.run_tac(state, tac)
        if i < len(tactics) - 1:
            assert isinstance(outcome, TacticState), (tac, outcome)
            state = outcome
    return outcome


def proves(statement: str, *tactics: str) -> bool:
    return isinstance(run(statement, *tactics), ProofFinished)
