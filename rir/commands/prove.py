"""Prove one theorem: print the proof as a Lean `by` block and the search statistics.

The theorem is looked up by name in --theorems (a named set or a JSONL/JSON path;
default: every named set), in a LeanDojo Benchmark 4 file (--benchmark), or given
by its repository coordinates (--repo, --commit, --file). Exit 0 when proved, 1
when not (budget spent, tree exhausted, backend crash), 2 on bad input: an unknown
theorem, a missing checkpoint, or a statement the backend cannot open.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from lean_env.errors import BadInput
from rir.output_paths import new_file, writing
from rir.prover import add_settings_arguments

# The proof part is a top-level `:= by ...` (or `:= sorry`); a `:=` inside the statement,
# as in `let x := 1; x = 1`, is part of the statement.
_PROOF_PART = re.compile(r"\s*:=\s*(?:by\b.*|sorry\s*)\Z", re.DOTALL)


def add_arguments(parser) -> None:
    parser.add_argument("--theorem", required=True, metavar="NAME", help="full name of the theorem")
    parser.add_argument("--theorems", metavar="SET",
                        help="where to look: a named set or a JSONL/JSON path (default: every named set)")
    parser.add_argument("--benchmark", metavar="PATH", help="a LeanDojo Benchmark 4 JSON file")
    parser.add_argument("--repo", metavar="URL", help="repository of the theorem (with --commit, --file)")
    parser.add_argument("--commit", help="commit of --repo")
    parser.add_argument("--file", metavar="PATH", help="Lean file of the theorem in --repo")
    add_settings_arguments(parser)
    parser.add_argument("--tree", metavar="PATH",
                        help="also write the search tree: GraphML for a .graphml path (for a graph "
                             "viewer), JSON for any other")
    parser.add_argument("--force", action="store_true", help="overwrite an existing --tree file")


def find_theorem(args):
    """The theorem the arguments name; BadInput if there is none."""
    if args.repo or args.commit or args.file:
        if args.benchmark or args.theorems:
            raise BadInput("give --repo/--commit/--file, or --benchmark, or --theorems, not several")
        if not (args.repo and args.commit and args.file):
            raise BadInput("--repo, --commit and --file go together")
        from lean_env.leandojo_benchmark import theorem_from_repo

        return theorem_from_repo(args.repo, args.commit, args.file, args.theorem)
    if args.benchmark:
        if args.theorems:
            raise BadInput("give --benchmark or --theorems, not both")
        from lean_env.leandojo_benchmark import load_benchmark_theorems

        for thm in load_benchmark_theorems(args.benchmark):
            if thm.full_name == args.theorem:
                return thm
        raise BadInput(f"unknown theorem '{args.theorem}' in {args.benchmark}")
    from lean_env.theorem_sets import find_theorem as find_in_sets
    from rir.prover import settings_from_args

    settings = settings_from_args(args)  # the backend decides where names are looked up
    return find_in_sets(args.theorem, args.theorems, settings.backend, settings.env_options)


def lean_proof(theorem, tactics: list[str]) -> str:
    """The proof as Lean source: the statement (or the name) and a `by` block."""
    head = _PROOF_PART.sub("", theorem.statement).strip() or f"theorem {theorem.full_name}"
    body = "\n".join("  " + line for tactic in tactics for line in tactic.splitlines())
    return f"{head} := by\n{body}"


def stats_table(result):
    from rich.markup import escape
    from rich.table import Table

    s = result.stats
    table = Table(title=escape(f"{result.theorem}: {result.status}"), show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    if result.reason:
        table.add_row("reason", escape(result.reason))
    for label, seconds in (("planner time", s.planner_time), ("actor time", s.actor_time),
                           ("environment time", s.env_time), ("total time", s.total_time)):
        table.add_row(label, f"{seconds:.3f} s")
    for label, count in (("total nodes", s.total_nodes), ("expanded nodes", s.expanded_nodes),
                         ("environment calls", s.env_calls)):
        table.add_row(label, str(count))
    return table


def write_tree(tree, path: Path) -> None:
    """The search tree as GraphML (a `.graphml` path) or JSON. GraphML nodes are
    numbered, with the state text in `state`; attributes that are None are left out."""
    if path.suffix.lower() != ".graphml":
        path.write_text(tree.to_json(indent=1), encoding="utf-8")
        return
    import networkx as nx

    graph = nx.convert_node_labels_to_integers(tree.to_networkx(), label_attribute="state")
    for data in [d for _, d in graph.nodes(data=True)] + [d for *_, d in graph.edges(data=True)]:
        for key in [k for k, v in data.items() if v is None]:
            del data[key]
    nx.write_graphml(graph, path, encoding="utf-8")


def run(args) -> int:
    from rich.console import Console
    from rich.markup import escape

    from rir import prover

    tree_path = new_file(args.tree, args.force) if args.tree else None  # before the search, not after
    theorem = find_theorem(args)
    settings = prover.settings_from_args(args)
    prover.check_checkpoints(settings)
    err = Console(stderr=True)
    with err.status(escape(f"loading {settings.model_path}")):
        policy = prover.build_policy(settings)
    with prover.build_env(settings) as env, err.status(escape(f"proving {theorem.full_name}")):
        result = prover.prove_theorem(env, policy, theorem, settings)
    if result.status == "error" and result.stats.total_nodes == 0:  # no root state: never opened
        prefix = f"cannot open theorem '{theorem.full_name}'"
        reason = result.reason or ""
        raise BadInput(reason if reason.startswith(prefix) else f"{prefix}: {reason}")
    out = Console(highlight=False)
    if result.proof is not None:
        print(lean_proof(theorem, result.proof))  # plain: a console would wrap Lean lines
    else:
        print(f"no proof of {theorem.full_name}: {result.reason}", file=sys.stderr)
    out.print(stats_table(result))
    if tree_path is not None and result.tree is not None:  # after the proof is out: a full disk loses no proof
        with writing(tree_path, "the search's result is printed above"):
            write_tree(result.tree, tree_path)
    return 0 if result.status == "proved" else 1

