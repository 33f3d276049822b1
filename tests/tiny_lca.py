"""A real bw2calc LCA on a hand-written system of a few activities, without a Brightway project.

The matrices come from one bw_processing datapackage held in memory, so nothing is written and
no bw2data project is built (bw2data is imported by bw2calc, into the tests' temporary folder).
Amounts are written as in a workbook: production positive, inputs positive and flipped by
Brightway into negative matrix entries, a substitution (avoided product) positive and not flipped.
"""

from __future__ import annotations

import bw_processing as bwp
import numpy as np

from lca.brightway.session import quiet

with quiet():  # bw2calc's advice to install pypardiso, bw2data's log line on import
    import bw2calc as bc

PRODUCTION, INPUT, SUBSTITUTION = "production", "input", "substitution"


def tiny_lca(technosphere, biosphere, factors, demand):
    """A bw2calc LCA with its inventory and impact assessment solved for ``demand`` ({node id: amount}).

    ``technosphere``: (product node, activity node, amount, kind) with kind one of PRODUCTION, INPUT
    (entered as ``-amount``), SUBSTITUTION (entered as ``+amount``); ``biosphere``: (flow, activity node,
    amount); ``factors``: (flow, characterisation factor)."""
    package = bwp.create_datapackage()
    package.add_persistent_vector(
        matrix="technosphere_matrix", name="technosphere",
        indices_array=np.array([(row, col) for row, col, _, _ in technosphere], dtype=bwp.INDICES_DTYPE),
        data_array=np.array([amount for _, _, amount, _ in technosphere], dtype=float),
        flip_array=np.array([kind == INPUT for *_, kind in technosphere], dtype=bool))
    package.add_persistent_vector(
        matrix="biosphere_matrix", name="biosphere",
        indices_array=np.array([(flow, col) for flow, col, _ in biosphere], dtype=bwp.INDICES_DTYPE),
        data_array=np.array([amount for *_, amount in biosphere], dtype=float))
    package.add_persistent_vector(
        matrix="characterization_matrix", name="method",
        indices_array=np.array([(flow, flow) for flow, _ in factors], dtype=bwp.INDICES_DTYPE),
        data_array=np.array([cf for _, cf in factors], dtype=float))
    lca = bc.LCA(demand, data_objs=[package])
    lca.lci(factorize=True)
    lca.lcia()
    return lca
