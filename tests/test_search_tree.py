"""The search tree: one node per state, ReProver status propagation, shortest
proof, and the exports self-play and analysis read."""
import json

from lean_env.protocol import LeanError, ProofFinished, Timeout
from scripted_policy import state
from search.tree import Candidate, EdgeRecord, SearchTree, Status, same_goal


def cand(tactic, lp=-1.0, target=None, target_lp=0.0):
    return Candidate(tactic, lp, target, target_lp)


def test_one_node_per_distinct_state_and_priority_from_the_creating_path():
    tree = SearchTree(state("⊢ A"))
    e1, new1 = tree.add_edge(tree.root, cand("t1", -0.5, "B", -0.25), state("⊢ B"))
    e2, new2 = tree.add_edge(tree.root, cand("t2", -2.0), state("⊢ B"))
    assert new1 and not new2
    assert e1.dst is e2.dst and len(tree) == 2
    assert e1.dst.priority == -0.75 and e1.dst.depth == 1
    assert e1.dst.in_edges == [e1, e2]


def test_a_proof_propagates_proved_to_every_ancestor():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("t1"), state("⊢ B"))
    c, _ = tree.add_edge(b.dst, cand("t2"), state("⊢ C"))
    assert tree.status is Status.OPEN
    tree.add_edge(c.dst, cand("done"), ProofFinished())
    assert [n.status for n in tree.nodes.values()] == [Status.PROVED] * 3


def test_a_node_fails_only_when_explored_and_every_edge_failed():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("t1"), state("⊢ B"))
    tree.add_edge(tree.root, cand("bad"), LeanError("unknown identifier"))
    tree.mark_explored(tree.root)
    assert tree.status is Status.OPEN  # B is still open
    tree.add_edge(b.dst, cand("slow"), Timeout())
    assert b.dst.status is Status.OPEN  # B not explored yet
    tree.mark_explored(b.dst)
    assert b.dst.status is Status.FAILED and tree.status is Status.FAILED


def test_the_extracted_proof_is_the_shortest_one():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("long1"), state("⊢ B"))
    c, _ = tree.add_edge(b.dst, cand("long2"), state("⊢ C"))
    tree.add_edge(c.dst, cand("long3"), ProofFinished())
    d, _ = tree.add_edge(tree.root, cand("short1"), state("⊢ D"))
    tree.add_edge(d.dst, cand("short2"), ProofFinished())
    assert tree.proof() == ["short1", "short2"]


def test_cycles_do_not_break_propagation_or_extraction():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("forth"), state("⊢ B"))
    tree.add_edge(b.dst, cand("back"), state("⊢ A"))
    tree.add_edge(b.dst, cand("done"), ProofFinished())
    assert tree.proof() == ["forth", "done"]


def test_a_tactic_that_leaves_the_state_unchanged_does_not_keep_the_node_open():
    tree = SearchTree(state("⊢ A"))
    tree.add_edge(tree.root, cand("skip"), state("⊢ A"))
    tree.add_edge(tree.root, cand("bad"), LeanError("unknown identifier"))
    assert tree.status is Status.OPEN  # not explored yet
    tree.mark_explored(tree.root)
    assert tree.status is Status.FAILED


def test_a_cycle_of_explored_states_fails_together_with_its_ancestors():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("forth"), state("⊢ B"))
    c, _ = tree.add_edge(b.dst, cand("on"), state("⊢ C"))
    tree.add_edge(c.dst, cand("back"), state("⊢ B"))
    tree.mark_explored(tree.root)
    tree.mark_explored(b.dst)
    assert tree.status is Status.OPEN  # ⊢ C is still to be expanded
    tree.mark_explored(c.dst)
    assert [n.status for n in tree.nodes.values()] == [Status.FAILED] * 3


def test_a_cycle_with_an_unexpanded_way_out_stays_open_and_can_still_be_proved():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("forth"), state("⊢ B"))
    tree.add_edge(b.dst, cand("back"), state("⊢ A"))
    d, _ = tree.add_edge(b.dst, cand("out"), state("⊢ D"))
    tree.mark_explored(tree.root)
    tree.mark_explored(b.dst)
    assert tree.status is Status.OPEN and d.dst.status is Status.OPEN
    tree.add_edge(d.dst, cand("done"), ProofFinished())
    assert tree.status is Status.PROVED and tree.proof() == ["forth", "out", "done"]


def test_reached_target_compares_without_the_goal_count_line():
    assert same_goal("2 goals\n⊢ p\n\n⊢ q", "⊢ p\n\n⊢ q")
    assert not same_goal("⊢ p", "⊢ q")
    tree = SearchTree(state("⊢ A"))
    hit, _ = tree.add_edge(tree.root, cand("t1", target="⊢ B"), state("⊢ B"))
    miss, _ = tree.add_edge(tree.root, cand("t2", target="⊢ B"), state("⊢ C"))
    done, _ = tree.add_edge(tree.root, cand("t3", target="no goals"), ProofFinished())
    flat, _ = tree.add_edge(tree.root, cand("t4"), state("⊢ C"))
    assert (hit.reached_target, miss.reached_target, done.reached_target) == (True, False, True)
    assert flat.reached_target is None


def _small_proved_tree():
    tree = SearchTree(state("⊢ A"))
    b, _ = tree.add_edge(tree.root, cand("t1", target="⊢ B", target_lp=-0.1), state("⊢ B"))
    tree.add_edge(tree.root, cand("oops"), LeanError("type mismatch"))
    tree.add_edge(b.dst, cand("t2"), ProofFinished())
    return tree


def test_edge_records_list_every_tactic_run_with_the_proof_path_marked():
    assert _small_proved_tree().edge_records() == [
        EdgeRecord("⊢ A", "t1", "⊢ B", "state", "⊢ B", True),
        EdgeRecord("⊢ A", "oops", None, "error", None, False),
        EdgeRecord("⊢ B", "t2", None, "proved", "no goals", True),
    ]


def test_json_export_round_trips_through_json():
    d = json.loads(_small_proved_tree().to_json())
    assert d["status"] == "proved"
    assert [n["state"] for n in d["nodes"]] == ["⊢ A", "⊢ B"]
    assert d["edges"][1] == {
        "src": 0, "dst": None, "tactic": "oops", "logprob": -1.0, "target": None,
        "target_logprob": 0.0, "outcome": "error", "message": "type mismatch",
        "reached_target": None, "on_proof_path": False,
    }


def test_networkx_export_has_states_a_proof_terminal_and_error_leaves():
    g = _small_proved_tree().to_networkx()
    assert set(g.nodes) == {"⊢ A", "⊢ B", "no goals", "error:1"}
    assert g.nodes["no goals"]["kind"] == "proved"
    proof_path = [(u, v, d["tactic"]) for u, v, d in g.edges(data=True) if d["on_proof_path"]]
    assert proof_path == [("⊢ A", "⊢ B", "t1"), ("⊢ B", "no goals", "t2")]
