"""The `rir` command line: parse arguments, call the library, print, exit.

Exit status: 0 the job succeeded; 1 it ran but the answer is negative (a proof
did not check, a theorem was not proved); 2 bad input or a missing dependency,
told in one line on stderr.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from lean_env.errors import RirError

# Each command lives in rir/commands/<name>.py with add_arguments(parser) and run(args) -> int.
COMMANDS = ("prove", "eval", "report", "check", "trace", "train", "selfplay")
DESCRIPTION = ("RiR: hierarchical neural theorem proving for Lean 4. A planner proposes target "
               "goal states, an actor proposes tactics toward them, and best-first or MCTS search "
               "looks for a proof.")
EPILOG = ("exit status: 0 success; 1 ran, but the answer is negative (not proved, did not check); "
          "2 bad input or a missing dependency; 130 interrupted")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not argparse's usage block
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rir", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"rir.commands.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"rir.commands.{name}":
                continue
            raise
        doc = (module.__doc__ or name).strip().splitlines()[0]
        p = sub.add_parser(name, help=doc, description=module.__doc__)
        module.add_arguments(p)
        p.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="rir: %(levelname)s: %(message)s",
    )
    for noisy in ("transformers", "lightning", "pytorch_lightning", "urllib3", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return args.run(args)
    except RirError as e:
        print(f"rir {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"rir {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: still one line unless asked for the traceback
        if os.environ.get("RIR_DEBUG"):
            raise
        print(f"rir {args.command}: internal error: {type(e).__name__}: {e} "
              "(set RIR_DEBUG=1 for the traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
