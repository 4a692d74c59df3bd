"""One module per command, each with HELP, add_arguments(parser) and run(args) -> exit code."""
from . import check, deadlines, demo, new
from . import build, serve
from . import recap
from . import init, intake, pr, watch

COMMANDS = {
    "check": check,
    "new": new,
    "deadlines": deadlines,
    "demo": demo,
    "build": build,
    "serve": serve,
    "recap": recap,
    "init": init,
    "intake": intake,
    "pr": pr,
    "watch": watch,
}
