"""``python -m lca``: the `lca` program."""

from lca.cli.entry import main

main()
