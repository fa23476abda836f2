"""Read CSS with tinycss2: parse errors, referenced URLs, font families and theme values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import tinycss2
import tinycss2.color3
from tinycss2 import ast

THEME_VALUE_CAP = 80  # characters; a colour, a length or a font name
THEME_FUNCTIONS = ("rgb", "rgba", "hsl", "hsla")
URL_FUNCTIONS = ("url", "src")


def parse(text: str) -> list[Any]:
    """A stylesheet's rules, comments and whitespace dropped."""
    return tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)


def parse_value(text: str) -> list[Any]:
    """The component values of one declaration value."""
    return tinycss2.parse_component_value_list(text, skip_comments=True)


def walk(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every rule, declaration and token under `nodes`, depth first, in source order."""
    for node in nodes:
        yield node
        if isinstance(node, ast.QualifiedRule | ast.AtRule):
            yield from walk(node.prelude or [])
            if node.content is not None:
                yield from walk(node.content)
        elif isinstance(node, ast.Declaration):
            yield from walk(node.value)
        elif isinstance(node, ast.FunctionBlock):
            yield from walk(node.arguments)
        elif isinstance(node, ast.ParenthesesBlock | ast.SquareBracketsBlock | ast.CurlyBracketsBlock):
            yield from walk(node.content)


@lru_cache(maxsize=64)
def parse_errors(text: str) -> tuple[tuple[int, str], ...]:
    """(line, message) for every syntax error in a stylesheet, at any depth; found once per
    process for the same text.

    tinycss2 closes a block left open at the end of the file without a word,
    which would swallow every rule after it: that is an error here.
    """
    rules = parse(text)
    found = []
    for node in walk(rules):
        if isinstance(node, ast.ParseError):
            found.append((node.source_line, _readable(node.message)))
        elif isinstance(node, ast.QualifiedRule | ast.AtRule) and node.content is not None:
            for item in tinycss2.parse_blocks_contents(node.content):
                if isinstance(item, ast.ParseError):
                    found.append((item.source_line, _readable(item.message)))
    tokens = tinycss2.parse_component_value_list(text)
    serialized = tinycss2.serialize(tokens)
    if rules and any(serialized.count(closer) > text.count(closer) for closer in "})]"):
        found.append((rules[-1].source_line, "a '{', '(' or '[' in this rule is never closed"))
    return tuple(sorted(set(found)))


def _readable(message: str) -> str:
    if message.startswith("EOF reached before {} block"):
        return "a declaration without ':' or a rule without '{ }'"
    return message


def references(rules: list[Any]) -> list[tuple[int, str]]:
    """(line, URL) for every `url(...)`, `src(...)` and `@import` in a stylesheet."""
    found = []
    for node in walk(rules):
        if isinstance(node, ast.URLToken):
            found.append((node.source_line, node.value))
        elif isinstance(node, ast.FunctionBlock) and node.lower_name in URL_FUNCTIONS:
            strings = [token for token in node.arguments if isinstance(token, ast.StringToken)]
            if strings:
                found.append((node.source_line, strings[0].value))
        elif isinstance(node, ast.AtRule) and node.lower_at_keyword == "import":
            strings = [token for token in node.prelude if isinstance(token, ast.StringToken)]
            if strings:
                found.append((node.source_line, strings[0].value))
    return found


def declarations(rules: list[Any]) -> Iterator[ast.Declaration]:
    """Every declaration of every rule, nested rules included."""
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule | ast.AtRule) and rule.content is not None:
            items = tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                   skip_whitespace=True)
            for item in items:
                if isinstance(item, ast.Declaration):
                    yield item
            yield from declarations([item for item in items
                                     if isinstance(item, ast.QualifiedRule | ast.AtRule)])


def families(value: list[Any]) -> list[str]:
    """The named families of a `font-family` value: strings, or runs of identifiers."""
    names: list[str] = []
    words: list[str] = []
    for token in [*value, ast.LiteralToken(0, 0, ",")]:
        if isinstance(token, ast.StringToken):
            names.append(token.value)
        elif isinstance(token, ast.IdentToken):
            words.append(token.value)
        elif token == ",":
            if words:
                names.append(" ".join(words))
            words = []
    return names


GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui",
                    "inherit", "initial", "unset"}


def font_declarations(rules: list[Any]) -> list[tuple[int, str]]:
    """(line, family) for every family `font-family` or a `--font-*` property names."""
    found = []
    for declaration in declarations(rules):
        name = declaration.lower_name
        if name == "font-family" or name.startswith("--font-"):
            found += [(declaration.source_line, family) for family in families(declaration.value)
                      if family.lower() not in GENERIC_FAMILIES]
    return found


REQUIRED_STYLES = ("Regular", "Bold")


def family_problem(family: str, shipped: dict[str, set[str]]) -> str | None:
    """Why a font family would make Pango substitute or synthesise a face, or None.

    The templates set text in regular and bold, so each family needs both faces
    among `shipped` (the styles fonts/ holds for each family).
    """
    missing = [style for style in REQUIRED_STYLES if style not in shipped.get(family, set())]
    if missing:
        return f"font family '{family}' has no {' or '.join(missing)} face in fonts/"
    return None


def custom_properties(rules: list[Any]) -> set[str]:
    """The custom properties (without `--`) a stylesheet declares."""
    return {declaration.name[2:] for declaration in declarations(rules)
            if declaration.name.startswith("--")}


def theme_value_problem(value: str) -> str | None:
    """Why a theme value is not a plain colour, length or font name, or None."""
    if not value.strip():
        return "is empty"
    if len(value) > THEME_VALUE_CAP:
        return f"is {len(value)} characters, over the limit of {THEME_VALUE_CAP}"
    tokens = tinycss2.parse_component_value_list(value, skip_comments=False)
    if tinycss2.serialize(tokens).count(")") > value.count(")"):
        return "has an unbalanced '('"
    for token in walk(tokens):
        reason = _theme_token_problem(token)
        if reason:
            return reason
    return None


def _theme_token_problem(token: Any) -> str | None:
    if isinstance(token, ast.ParseError):
        return f"is not valid CSS ({token.message})"
    if isinstance(token, ast.URLToken) or (isinstance(token, ast.FunctionBlock)
                                           and token.lower_name in URL_FUNCTIONS):
        return "may not hold url()"
    if isinstance(token, ast.FunctionBlock) and token.lower_name not in THEME_FUNCTIONS:
        return (f"may not call {token.name}(); only {', '.join(THEME_FUNCTIONS)} are allowed")
    if isinstance(token, ast.Comment):
        return "may not hold a comment"
    if isinstance(token, ast.CurlyBracketsBlock | ast.SquareBracketsBlock | ast.AtKeywordToken):
        return f"may not hold '{tinycss2.serialize([token])[:20]}'"
    if isinstance(token, ast.LiteralToken) and token.value not in {",", "/", "-", "+", "%", "."}:
        return f"may not hold '{token.value}'"
    return None


_LENGTH_UNITS = frozenset(("pt", "mm", "cm", "in", "px", "pc", "q", "em", "rem", "ex", "ch"))


def theme_kind_problem(name: str, value: str) -> str | None:
    """Why a theme value is not of the kind its property's name says (`colour-*` a colour,
    `size-*` a positive length, `leading` a positive number or length), or None: WeasyPrint
    would otherwise drop each declaration that uses it, at render time."""
    if name.startswith("colour-"):
        return None if tinycss2.color3.parse_color(value) is not None else "is not a colour"
    if name.startswith("size-") or name == "leading":
        tokens = [token for token in tinycss2.parse_component_value_list(value)
                  if token.type != "whitespace"]
        token = tokens[0] if len(tokens) == 1 else None
        if name == "leading" and token is not None and token.type == "number" and token.value > 0:
            return None
        if token is not None and token.type == "dimension" and token.lower_unit in _LENGTH_UNITS \
                and token.value > 0:
            return None
        return "is not a positive length" + (" or number" if name == "leading" else "")
    return None
