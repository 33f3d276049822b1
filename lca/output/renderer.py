"""One output format's renderer: a function per kind of result (see lca.output)."""

from __future__ import annotations

from collections.abc import Callable

from lca.choices import OutputFormat
from lca.errors import OutputError

__all__ = ["Renderer"]


class Renderer:
    """The functions of one output format, by result kind.

    ``kind`` registers a function that returns the text. ``result`` registers the function of a
    computed result (a footprint, a comparison, a Monte Carlo...), which returns what ``finish``
    turns into the text under the output contract (lca.output.envelope): a record that the JSON
    renderer puts under the envelope, (header, rows) that the CSV renderer gives unit and method
    columns. The table renderer has no ``finish``: its functions return the text.
    """

    def __init__(self, fmt: OutputFormat, finish: Callable | None = None, check: Callable | None = None):
        self.fmt = fmt
        self.finish = finish  # finish(result, returned) -> text
        self.check = check  # check(result): refuses a computed result that breaks the contract, before any work
        self.functions: dict[str, Callable] = {}
        self.results: set[str] = set()  # the kinds registered with ``result``

    def kind(self, kind: str):
        def register(function):
            self.functions[kind] = function
            return function
        return register

    def result(self, kind: str):
        """Register the function of a computed result of ``kind``, finished under the output contract."""
        def register(function):
            self.results.add(kind)

            def render(result) -> str:
                if self.check is not None:
                    self.check(result)
                returned = function(result)
                return returned if self.finish is None else self.finish(result, returned)

            self.functions[kind] = render
            return function
        return register

    def __call__(self, result) -> str:
        function = self.functions.get(result.kind)
        if function is None:
            raise OutputError(f"a {result.kind} result has no {self.fmt.value} output")
        return function(result)
