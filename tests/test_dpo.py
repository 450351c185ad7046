import math

import pytest
import torch

from rir.policy import PolicyModel, actor_input, flat_input
from search.tree import ERROR, PROVED, STATE, TIMEOUT, EdgeRecord
from training.dpo import (
    DPOSummary, PreferencePair, dpo_loss, frozen_copy, preference_margins, preference_pairs, train_dpo,
)

pytestmark = pytest.mark.usefixtures("one_torch_thread")


ROOT = "x : ℕ\nh : x < 3\n⊢ x + 0 ≤ 2"
MID = "x : ℕ\nh : x < 3\n⊢ x ≤ 2"
TARGET = "x : ℕ\nh : x < 3\n⊢ x ≤ 2"


def records(target=TARGET):
    return [
        EdgeRecord(ROOT, "rw [Nat.add_zero]", target, STATE, MID, True),
        EdgeRecord(ROOT, "exact h", target, ERROR, None, False),
        EdgeRecord(ROOT, "simp only [foo]", target, ERROR, None, False),
        EdgeRecord(ROOT, "omega", target, TIMEOUT, None, False),  # a timeout is no error
        EdgeRecord(ROOT, "exact h", "⊢ False", ERROR, None, False),  # another target
        EdgeRecord(MID, "omega", None, PROVED, "no goals", True),
        EdgeRecord(MID, "linarith", None, STATE, MID, False),  # off the path, no error
    ]


def test_a_proof_path_tactic_is_preferred_to_each_error_at_its_state_and_target():
    assert preference_pairs(records()) == [
        PreferencePair(ROOT, TARGET, "rw [Nat.add_zero]", "exact h"),
        PreferencePair(ROOT, TARGET, "rw [Nat.add_zero]", "simp only [foo]"),
    ]


def test_no_pair_where_nothing_errored_and_repeats_are_merged():
    recs = records()
    assert not [p for p in preference_pairs(recs) if p.state == MID]
    assert len(preference_pairs(recs + recs)) == 2  # the same state met in two searches


def test_flat_search_pairs_use_the_flat_format():
    pairs = preference_pairs(records(target=None))
    assert {p.rejected for p in pairs} == {"exact h", "simp only [foo]"}
    assert all(p.target is None and p.actor_input() == flat_input(ROOT) for p in pairs)
    assert preference_pairs(records())[0].actor_input() == actor_input(ROOT, TARGET)


def test_dpo_loss_is_log_2_when_the_policy_is_the_reference():
    c, r = torch.tensor([-3.0, -5.0]), torch.tensor([-4.0, -1.0])
    assert dpo_loss(c, r, c, r, beta=0.1).item() == pytest.approx(math.log(2))


def test_dpo_loss_falls_as_the_chosen_margin_grows():
    ref_c, ref_r = torch.tensor([-3.0]), torch.tensor([-4.0])
    losses = [dpo_loss(ref_c + gain, ref_r, ref_c, ref_r, beta=0.5).item() for gain in (-1.0, 0.0, 1.0, 4.0)]
    assert losses == sorted(losses, reverse=True) and losses[-1] < math.log(2) < losses[0]
    expected = -math.log(1 / (1 + math.exp(-0.5 * 4.0)))
    assert losses[-1] == pytest.approx(expected)


def test_train_dpo_raises_the_chosen_margin_over_a_frozen_reference():
    model = PolicyModel.tiny(seed=0)
    reference = frozen_copy(model)
    pairs = preference_pairs(records()) + preference_pairs(records(target=None))[:1]
    assert len(pairs) == 3
    assert preference_margins(model, reference, pairs) == pytest.approx([0.0] * 3, abs=1e-4)
    frozen = [p.clone() for p in reference.model.parameters()]

    summary = train_dpo(model, reference, pairs, steps=20, lr=1e-3, beta=0.1, batch_size=2, seed=0)

    assert summary.steps == 20 and summary.pairs == 3
    assert summary.first_loss == pytest.approx(math.log(2), abs=1e-3)
    assert summary.final_loss < summary.first_loss
    assert all(m > 0 for m in preference_margins(model, reference, pairs))
    assert all(torch.equal(a, b) for a, b in zip(frozen, reference.model.parameters()))
    assert not model.model.training and not any(p.requires_grad for p in reference.model.parameters())


def test_without_a_reference_train_dpo_freezes_a_copy_of_the_model_before_training():
    model = PolicyModel.tiny(seed=0)
    start = frozen_copy(model)
    pairs = preference_pairs(records())
    for reference in (None, model):
        summary = train_dpo(model, reference, pairs, steps=3, lr=1e-3, batch_size=2, seed=0)
        assert summary.first_loss == pytest.approx(math.log(2), abs=1e-3)
    assert all(m > 0 for m in preference_margins(model, start, pairs))
    assert all(p.requires_grad for p in model.model.parameters())


def test_train_dpo_without_pairs_does_nothing():
    model = PolicyModel.tiny(seed=0)
    before = [p.clone() for p in model.model.parameters()]
    assert train_dpo(model, model, [], steps=10) == DPOSummary(0, None, None, 0)
    assert all(torch.equal(a, b) for a, b in zip(before, model.model.parameters()))
