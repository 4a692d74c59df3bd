"""One module per command, each with HELP, add_arguments(parser) and run(args) -> exit code."""
from . import check, deadlines, demo, new
from . import build, serve
from . import recap

COMMANDS = {
    "check": check,
    "new": new,
    "deadlines": deadlines,
    "demo": demo,
    "build": build,
    "serve": serve,
    "recap": recap,
}
