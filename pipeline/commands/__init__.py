"""One module per command, each with HELP, add_arguments(parser) and run(args) -> exit code."""
from . import check, deadlines, new

COMMANDS = {
    "check": check,
    "new": new,
    "deadlines": deadlines,
}
