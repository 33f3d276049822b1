"""Carbon footprint of primary versus recycled copper and nickel, on Brightway 2.5.

Importing this package does nothing but define names: the Brightway project is chosen and
built only when :func:`lca.project.open_project` is called.
"""

__version__ = "0.1.0"

from lca.errors import (  # noqa: E402
    CellRef,
    ComparisonError,
    InventoryError,
    LCAError,
    MethodError,
    Problem,
    ProjectError,
    SingularTechnosphere,
)

__all__ = [
    "__version__",
    "LCAError",
    "InventoryError",
    "Problem",
    "CellRef",
    "MethodError",
    "ComparisonError",
    "SingularTechnosphere",
    "ProjectError",
]
