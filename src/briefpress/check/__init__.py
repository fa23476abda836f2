"""Read any PDF back: fonts, pages, text layers and geometry (`check` and the tests)."""
