"""One output format's renderer: a function per kind of result (see lca.output)."""

from __future__ import annotations

from collections.abc import Callable

from lca.choices import OutputFormat
from lca.errors import OutputError

__all__ = ["Renderer"]


class Renderer:
    """The functions of one output format, by result kind."""

    def __init__(self, fmt: OutputFormat):
        self.fmt = fmt
        self.functions: dict[str, Callable] = {}

    def kind(self, kind: str):
        def register(function):
            self.functions[kind] = function
            return function
        return register

    def __call__(self, result) -> str:
        function = self.functions.get(result.kind)
        if function is None:
            raise OutputError(f"a {result.kind} result has no {self.fmt.value} output")
        return function(result)
