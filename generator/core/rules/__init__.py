"""Rule families; each module has `run(repo, config) -> list[Diagnostic]`."""
