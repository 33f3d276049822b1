"""The `lca` program: a warm result command is answered from lca.runs.result_cache before click,
Brightway or numpy is imported; any other run goes to the command tree (lca.cli.main)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    from lca.runs import result_cache

    argv = sys.argv[1:]
    stored = result_cache.replay(argv)
    if stored is not None:
        try:
            sys.stdout.write(stored.stdout)
            sys.stdout.flush()
        except BrokenPipeError:  # `lca ... | head`: the reader has gone, as after click's own output
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        for note in stored.notes:
            sys.stderr.write(note + "\n")
        return
    from lca.cli.main import cli

    recording = result_cache.start(argv)
    try:
        cli(prog_name="lca")
    except SystemExit as done:
        if recording is not None and done.code in (0, None):
            recording.stop()
            recording.store()
        raise
    finally:
        if recording is not None:
            recording.stop()
