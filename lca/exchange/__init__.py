"""Exchange formats for other systems: PACT v3 product footprints (lca.exchange.pact) and openLCA
JSON-LD inventories (lca.exchange.olca). Library work only: the runs open the project and compute;
these modules turn results and inventories into documents, and refuse what they cannot state."""
