"""One module per `rir` subcommand: add_arguments(parser) and run(args) -> int."""
