"""Read any PDF back: fonts, pages, text layers and geometry (`check` and the tests)."""

#: The share of the source's words each reader must give back, unless `check --min-recall` says.
MIN_RECALL = 0.97
