"""The shipped fonts, the ground floor: validation, layout and checks all read them from here."""

#: The files of a font folder that are fonts: the registry reads these alone, at its top level.
FONT_SUFFIXES = (".ttf", ".otf")
