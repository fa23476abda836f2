"""The shipped fonts, the ground floor: validation, layout and checks all read them from here."""
