"""One tiny self-play iteration end to end on the embedded engine, and its resume."""
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from lean_env.errors import BadInput
from lean_env.theorem_sets import load_theorem_set
from lean_env.theorems import write_theorems
from rir.cli import main
from training.data import Triple
from training.selfplay import SelfPlay, check_resume
from training.selfplay_config import SelfPlayConfig
from training.solver_update import mix_replay

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "rir-micro"


@pytest.fixture
def seeds(tmp_path):
    """Four seed theorems: two omega one-liners, two short logic proofs."""
    theorems = load_theorem_set("micro-train")
    picked = [t for t in theorems if t.full_name in (
        "micro.arith.lt_add_1", "micro.arith.lt_add_2", "micro.logic.and_swap_2", "micro.logic.and_swap_3")]
    assert len(picked) == 4
    path = tmp_path / "seeds.jsonl"
    write_theorems(path, picked)
    heldout = tmp_path / "heldout.jsonl"
    write_theorems(heldout, load_theorem_set("micro-test")[:2])
    return path, heldout


def config(out, seeds, iterations=1, **kw):
    seed_path, heldout = seeds
    # max_env_calls bounds each search; the timeout is only a backstop, so a loaded machine
    # does not change what the tests see
    small = dict(seed_theorems=str(seed_path), out_dir=str(out), iterations=iterations,
                 model=str(SHIPPED), num_searches=2, search_timeout=60, max_env_calls=12,
                 num_targets=2, num_tactics=4, train_steps=2, train_batch_size=4,
                 heldout_set=str(heldout), heldout_timeout=2)
    return SelfPlayConfig.of(**{**small, **kw})


def read(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_one_iteration_writes_every_artefact_and_a_rerun_resumes(tmp_path, seeds):
    out = tmp_path / "run"
    metrics = SelfPlay(config(out, seeds, dpo=True, dpo_steps=2)).run()
    it = out / "iter_000"
    conjectures = read(it / "conjectures.jsonl")
    assert len(conjectures) == 4
    for row in conjectures:
        assert len(row["rewards"]) == 2 and all(0 <= r <= 1 for r in row["rewards"])
        assert row["informativeness"] == max(row["rewards"]) - min(row["rewards"])
    proofs = read(it / "proofs.jsonl")
    assert proofs, "the shipped solver proves some seed theorem"
    assert all(p["proof"] for p in proofs)
    pool = read(it / "next_pool.jsonl")
    assert len(pool) == 4
    assert any(p["origin"].startswith("symbolic:") for p in pool), "evolved conjectures join the pool"
    # each evolved conjecture names the seed it descends from
    assert all(p["root"] in {c["name"] for c in conjectures} for p in pool if p["origin"] != "seed")
    assert read(it / "triples.jsonl")
    assert (it / "model" / "config.json").is_file()
    # the shipped model also acts without a target, and so does its retrained successor
    assert json.loads((it / "model" / "rir_policy.json").read_text())["modes"] == ["rir", "flat"]
    assert (it / "done.json").is_file()
    assert (it / "preferences.jsonl").is_file()
    [line] = read(out / "metrics.jsonl")
    assert line == metrics[0]
    assert set(line) >= {"pool_size", "informativeness_histogram", "proved_share", "heldout_pass_rate",
                         "dpo_pairs"}
    assert sum(line["informativeness_histogram"]) == 4
    heldout = read(it / "heldout.jsonl")  # `rir eval`'s results file for this iteration's model
    assert len(heldout) == 2 and all(r["settings"]["model"] == str(it / "model") for r in heldout)
    assert line["heldout_pass_rate"] == sum(r["status"] == "proved" for r in heldout) / 2
    # ... read against the starting model's, measured the same way before iteration 0
    start = read(out / "start_heldout.jsonl")
    assert len(start) == 2 and all(r["settings"]["model"] == str(SHIPPED) for r in start)
    assert read(out / "start.json") == [{"heldout_pass_rate": sum(r["status"] == "proved" for r in start) / 2}]

    # A rerun with one more iteration keeps iteration 0 and runs only iteration 1.
    done_before = (it / "done.json").stat().st_mtime_ns
    metrics = SelfPlay(config(out, seeds, iterations=2, dpo=True, dpo_steps=2)).run()
    assert [m["iteration"] for m in metrics] == [0, 1]
    assert (it / "done.json").stat().st_mtime_ns == done_before
    assert (out / "iter_001" / "done.json").is_file()
    assert read(out / "iter_001" / "conjectures.jsonl")[0]["name"] in {p["name"] for p in pool}


def test_expert_iteration_keeps_the_seed_pool(tmp_path, seeds):
    out = tmp_path / "ei"
    SelfPlay(config(out, seeds, creator=False, heldout_set=None)).run()
    assert [p["origin"] for p in read(out / "iter_000" / "next_pool.jsonl")] == ["seed"] * 4


def test_the_command_prints_the_start_model_and_every_iteration(tmp_path, seeds, capsys):
    seed_path, heldout = seeds
    code = main(["selfplay", "--seed-theorems", str(seed_path), "--iterations", "1", "--model", str(SHIPPED),
                 "--num-searches", "1", "--max-env-calls", "8", "--train-steps", "1", "--heldout", str(heldout),
                 "--heldout-timeout", "2", "--out", str(tmp_path / "o")])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [r["iteration"] for r in rows] == ["start", 0]
    assert all(0 <= r["heldout_pass_rate"] <= 1 for r in rows)


def test_the_command_reports_bad_seed_theorems_in_one_line(tmp_path, capsys):
    code = main(["selfplay", "--seed-theorems", str(tmp_path / "none.jsonl"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "none.jsonl" in err[0]


def test_replayed_proofs_are_trained_on_and_the_new_triples_are_not_drowned(tmp_path, seeds):
    out = tmp_path / "replay"
    sp = SelfPlay(config(out, seeds, creator=False, heldout_set=None, replay="micro-train"))
    assert len({t.source for t in sp.replay_triples}) > 200  # every micro-train reference proof
    sp.run()
    sources = {row["source"].split(":")[0] for row in read(out / "iter_000" / "triples.jsonl")}
    assert sources == {"replay", "selfplay"}


def test_mix_replay_repeats_found_triples_up_to_the_asked_share():
    found = [Triple("s", f"t{i}", "no goals") for i in range(2)]
    replay = [Triple("r", f"t{i}", "no goals") for i in range(10)]
    mixed = mix_replay(found, replay, 0.5)
    assert mixed.count(found[0]) == 5 and sum(t.state == "s" for t in mixed) == 10
    assert mix_replay(found, replay, 0.0) == found + replay
    assert mix_replay([], replay, 0.5) == replay


def test_an_unknown_replay_set_fails_before_any_search(tmp_path, seeds):
    with pytest.raises(BadInput, match="no-such-set"):
        SelfPlay(config(tmp_path / "x", seeds, replay="no-such-set"))


def test_the_command_names_an_unknown_replay_set_in_one_line(tmp_path, capsys):
    code = main(["selfplay", "--seed-theorems", "micro-valid", "--replay", "no-such-set",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "no-such-set" in err[0]


def test_a_restarted_update_trains_the_starting_model_on_every_iteration_s_proofs(tmp_path, seeds):
    out = tmp_path / "restart"
    metrics = SelfPlay(config(out, seeds, iterations=2, heldout_set=None, solver_update="restart")).run()
    found = {(r["state"], r["tactic"]) for i in (0, 1) for r in read(out / f"iter_00{i}" / "triples.jsonl")
             if r["source"].startswith("selfplay:")}
    # iteration 1 trains on its own triples and on iteration 0's, each once
    assert metrics[1]["buffer_triples"] == len(found) > metrics[1]["train_triples"]
    trained = json.loads((out / "iter_001" / "model" / "rir_training.json").read_text())
    assert trained["base_model"] == str(SHIPPED), "each update starts from the starting model"


def test_an_unknown_solver_update_is_bad_input(tmp_path, seeds):
    with pytest.raises(BadInput, match="solver update 'sometimes'"):
        config(tmp_path / "x", seeds, solver_update="sometimes")


def test_adaptive_evolution_weighs_mutations_by_how_informative_their_variants_were(tmp_path, seeds):
    from training.creator import Conjecture, mutation_weights
    from training.evolve import SymbolicEvolver

    class Recording(SymbolicEvolver):
        def __init__(self):
            super().__init__()
            self.weights_seen = []

        def evolve(self, conjecture, n, rng, iteration, weights=None):
            self.weights_seen.append((iteration, weights))
            return super().evolve(conjecture, n, rng, iteration, weights)

    out = tmp_path / "adaptive"
    sp = SelfPlay(config(out, seeds, iterations=2, heldout_set=None, adaptive_evolution=True))
    sp.creator.evolver = evolver = Recording()  # the cached property, filled in
    sp.run()
    # iteration 0's pool is the seeds: nothing is known of any mutation yet
    assert {w for it, w in evolver.weights_seen if it == 1} == {None}
    rows = read(out / "iter_001" / "conjectures.jsonl")
    pool = [Conjecture(r["name"], r["statement"], r["origin"], r["parent"], r["iteration"]) for r in rows]
    expected = mutation_weights(pool, [r["informativeness"] for r in rows])
    assert expected, "iteration 1's pool holds evolved conjectures"
    later = [w for it, w in evolver.weights_seen if it == 2]
    assert later and all(w == expected for w in later)


def test_lineage_sharing_reaches_the_draw(tmp_path, seeds, monkeypatch):
    import training.creator_step as creator_step

    calls = []

    def recording(pool, scores, fraction, rng, lineage_sharing=False):
        calls.append(lineage_sharing)
        return pool[:1]

    monkeypatch.setattr(creator_step, "sample_informative", recording)
    SelfPlay(config(tmp_path / "shared", seeds, heldout_set=None, lineage_sharing=True)).run()
    SelfPlay(config(tmp_path / "plain", seeds, heldout_set=None)).run()
    assert calls == [True, False]


def test_a_parent_s_proof_is_transferred_to_a_variant_it_proves():
    from lean_env import make_env
    from training.creator import Conjecture
    from training.data import transfer_proof

    env, swap = make_env("embedded"), "intro h\nconstructor\nexact h.2\nexact h.1"
    # substitute_proposition: q became p ∧ q; the parent's proof still checks
    variant = Conjecture("v", "theorem v (p q r s : Prop) : (p ∧ q) ∧ (r → s) → (r → s) ∧ (p ∧ q)",
                         parent_proof=swap)
    tactics, triples = transfer_proof(variant, env)
    assert tactics == ["intro h", "constructor", "exact h.2", "exact h.1"]
    assert [t.tactic for t in triples] == tactics and triples[-1].next_state == "no goals"
    assert all(t.source == "selfplay:v" for t in triples)  # trained on like the searches' own
    # compose_lemma added a conjunct: the proof no longer closes it; nothing is transferred
    broken = Conjecture("w", "theorem w (q r s : Prop) : q ∧ (r → s) → ((r → s) ∧ q) ∧ 1 + 1 = 2",
                        parent_proof=swap)
    assert transfer_proof(broken, env) is None
    assert transfer_proof(Conjecture("x", variant.statement), env) is None  # no parent proof known


def test_with_proof_transfer_variants_carry_their_parent_s_proof(tmp_path, seeds):
    out = tmp_path / "transfer"
    SelfPlay(config(out, seeds, iterations=2, heldout_set=None, proof_transfer=True)).run()
    reference = {t.full_name: t.proof for t in load_theorem_set(str(seeds[0]))}
    found = {r["name"]: "\n".join(r["proof"]) for r in read(out / "iter_000" / "conjectures.jsonl") if r["proof"]}
    evolved = [r for r in read(out / "iter_000" / "next_pool.jsonl") if r["origin"] != "seed"]
    assert evolved and all(r["parent_proof"] == found.get(r["parent"], reference[r["parent"]]) for r in evolved)
    # iteration 1 tried them: those that check are proofs of the iteration, and trained on
    rows = read(out / "iter_001" / "conjectures.jsonl")
    transferred = {r["name"] for r in rows if r["transferred"]}
    assert transferred, "an omega or and_swap proof survives some mutation"
    proofs = {r["name"]: r for r in read(out / "iter_001" / "proofs.jsonl")}
    assert transferred <= set(proofs)
    sources = {r["source"] for r in read(out / "iter_001" / "triples.jsonl")}
    assert {f"selfplay:{name}" for name in transferred} <= sources
    [metrics] = [m for m in read(out / "metrics.jsonl") if m["iteration"] == 1]
    assert metrics["proved_by_transfer_only"] == sum(1 for r in rows if r["transferred"] and not r["proof"])


def test_retraining_an_update_with_its_own_seed_gives_the_same_model(tmp_path, seeds):
    from safetensors.torch import load_file

    out = tmp_path / "r"
    sp = SelfPlay(config(out, seeds, solver_update="restart", seed=3))
    [metrics] = sp.run()
    assert sp.retrain(0, seed=3) == metrics["heldout_pass_rate"]  # the run trained iteration 0 with seed 3 + 0
    ran, again = (load_file(str(d / "model" / "model.safetensors"))
                  for d in (out / "iter_000", out / "iter_000" / "retrain_3"))
    assert all((ran[k] == again[k]).all() for k in ran), "the same triples and seed train the same model"
    other = sp.retrain(0, seed=7)
    done = out / "iter_000" / "retrain_7" / "done.json"
    assert json.loads(done.read_text()) == {"train_seed": 7, "heldout_pass_rate": other}
    stamp = done.stat().st_mtime_ns
    assert sp.retrain(0, seed=7) == other and done.stat().st_mtime_ns == stamp  # read back, not retrained
    with pytest.raises(BadInput, match="iteration 1 has not run"):
        sp.retrain(1, seed=7)


def test_the_evolver_can_be_limited_to_some_mutations(tmp_path, seeds):
    sp = SelfPlay(config(tmp_path / "x", seeds, mutations=("instantiate_variable", "shift_bound")))
    assert set(sp.creator.evolver.mutations) == {"instantiate_variable", "shift_bound"}
    with pytest.raises(BadInput, match="unknown mutation 'flip'"):
        config(tmp_path / "x", seeds, mutations=("shift_bound", "flip"))


def test_the_command_names_an_unknown_mutation_in_one_line(tmp_path, capsys):
    code = main(["selfplay", "--seed-theorems", "micro-valid", "--mutations", "shift_bound,flip",
                 "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "'flip'" in err[0]


def test_transfer_variants_train_on_unsearched_variants_their_parent_s_proof_proves(tmp_path, seeds):
    from lean_env import make_env
    from lean_env.micro.parser import parse_statement
    from lean_env.replay import trace_proof
    from lean_env.theorems import Theorem
    from training.conjecture_filter import canonical_key

    out = tmp_path / "augment"
    SelfPlay(config(out, seeds, heldout_set=None, transfer_variants=3)).run()
    rows = read(out / "iter_000" / "augmented.jsonl")
    assert rows, "instances of and_swap and lt_add keep their parent's proof"
    pool = read(out / "iter_000" / "conjectures.jsonl") + read(out / "iter_000" / "next_pool.jsonl")
    assert not {r["name"] for r in rows} & {r["name"] for r in pool}  # never searched, never pooled
    keys = [canonical_key(parse_statement(r["statement"])) for r in rows]
    pooled = {canonical_key(parse_statement(r["statement"])) for r in pool}
    assert len(set(keys)) == len(keys) and not set(keys) & pooled, "each is new up to renaming"
    env = make_env("embedded")
    for r in rows:  # the proof kept is the parent's, and it checks on the variant
        assert r["parent_proof"] == "\n".join(r["proof"])
        assert trace_proof(env, Theorem(r["name"], r["statement"], r["parent_proof"])).ok
    sources = {t["source"] for t in read(out / "iter_000" / "triples.jsonl")}
    assert {f"selfplay:{r['name']}" for r in rows} <= sources  # trained on like found proofs
    [metrics] = read(out / "metrics.jsonl")
    assert metrics["augmented"] == len(rows)


def test_expert_iteration_has_no_creator_to_augment_with(tmp_path, seeds):
    out = tmp_path / "expert"
    SelfPlay(config(out, seeds, heldout_set=None, creator=False, transfer_variants=3)).run()
    assert read(out / "iter_000" / "augmented.jsonl") == []
    with pytest.raises(BadInput, match="transfer_variants"):
        config(out, seeds, transfer_variants=-1)


def test_resuming_with_other_settings_is_refused_and_config_json_left_alone(tmp_path, seeds, capsys):
    seed_path, heldout = seeds
    out = tmp_path / "o"
    out.mkdir()
    started = json.loads(json.dumps(asdict(config(out, seeds))))
    started["estimate"]["num_searches"], started["search"] = 3, "mcts"
    stored = json.dumps(started, indent=2) + "\n"
    (out / "config.json").write_text(stored)
    code = main(["selfplay", "--seed-theorems", str(seed_path), "--model", str(SHIPPED), "--num-searches", "2",
                 "--heldout", str(heldout), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1
    assert "num_searches 3 -> 2" in err[0] and "search 'mcts' -> 'bfs'" in err[0] and "--force" in err[0]
    assert (out / "config.json").read_text() == stored
    assert not (out / "iter_000").exists() and not (out / "start.json").exists()


def test_more_iterations_or_workers_on_resume_are_not_a_settings_change(tmp_path, seeds):
    out = tmp_path / "o"
    out.mkdir()
    (out / "config.json").write_text(json.dumps(asdict(config(out, seeds))))
    check_resume(out / "config.json", config(out, seeds, iterations=5, heldout_workers=2))
    with pytest.raises(BadInput, match="train_steps 2 -> 3"):
        check_resume(out / "config.json", config(out, seeds, train_steps=3))


def test_the_estimate_searches_through_the_prover_assembly_with_one_policy_per_seed(monkeypatch):
    import rir.prover
    from search.result import SearchResult
    from training.creator import Conjecture
    from training.estimate import Estimator
    from training.selfplay_config import EstimateConfig

    built, searched = [], []

    class Frozen:
        def __setattr__(self, name, value):
            raise AssertionError(f"the estimate set policy.{name}")

    def build_policy(settings):
        built.append(settings)
        return Frozen()

    def prove_theorem(env, policy, theorem, settings):
        searched.append((theorem.full_name, settings.seed))
        return SearchResult(theorem=theorem.full_name, status="failed")

    monkeypatch.setattr(rir.prover, "build_policy", build_policy)
    monkeypatch.setattr(rir.prover, "prove_theorem", prove_theorem)
    config = EstimateConfig(num_searches=3, search_timeout=4, max_env_calls=9, temperature=0.7)
    pool = [Conjecture("a", "theorem a : True"), Conjecture("b", "theorem b : True")]
    messages = []
    estimates = Estimator(None, "models/rir-micro", "rir", "mcts", False, 2, config).run(pool, messages.append)
    assert [s.seed for s in built] == [2000, 2001, 2002]
    assert {(s.decoding, s.temperature, s.search, s.timeout, s.max_env_calls) for s in built} == {
        ("sample", 0.7, "mcts", 4, 9)}
    assert sorted(searched) == [(n, s) for n in "ab" for s in (2000, 2001, 2002)]
    assert [e.rewards for e in estimates] == [[0.0] * 3] * 2 and len(messages) == 3
