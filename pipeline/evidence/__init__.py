"""Evidence: what git history proves about each complaint (the one git runner, history reads,
demo replays). Imports only records."""
