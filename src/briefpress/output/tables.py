"""Give table header cells an explicit /Scope, which WeasyPrint leaves to /Headers on data cells."""

from __future__ import annotations

import pikepdf


def scope_table_headers(pdf: pikepdf.Pdf) -> int:
    """Set /Scope on every /TH: /Column in a row of header cells alone (a table's first row, and
    that row repeated on each later page the table runs onto), /Row elsewhere; return the count."""
    root = pdf.Root.get("/StructTreeRoot")
    return _visit(root.get("/K"), in_header_row=False) if root is not None else 0


def _visit(node: pikepdf.Object | None, in_header_row: bool) -> int:
    if isinstance(node, pikepdf.Array):
        return sum(_visit(child, in_header_row) for child in node)
    if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
        return 0
    role = node.S
    count = 0
    if role == "/TH":
        _scope(node, pikepdf.Name.Column if in_header_row else pikepdf.Name.Row)
        count = 1
    if role == "/Table":
        return count + _visit_rows(node.get("/K"))
    return count + _visit(node.get("/K"), in_header_row)


def _visit_rows(kids: pikepdf.Object | None) -> int:
    """A table's rows in order, through /THead, /TBody and /TFoot; the first /TR is the header row,
    and so is a later one of header cells alone (the header repeated on a later page)."""
    rows: list[pikepdf.Dictionary] = []
    others: list[pikepdf.Object] = []

    def collect(node: pikepdf.Object | None) -> None:
        for child in node if isinstance(node, pikepdf.Array) else [node]:
            if isinstance(child, pikepdf.Dictionary) and child.get("/S") in ("/THead", "/TBody", "/TFoot"):
                collect(child.get("/K"))
            elif isinstance(child, pikepdf.Dictionary) and child.get("/S") == "/TR":
                rows.append(child)
            elif child is not None:
                others.append(child)

    collect(kids)
    return (sum(_visit(row.get("/K"), index == 0 or _headers_alone(row)) for index, row in enumerate(rows))
            + sum(_visit(other, False) for other in others))


def _headers_alone(row: pikepdf.Dictionary) -> bool:
    """Whether every cell of a row is a header cell."""
    kids = row.get("/K")
    cells = [kid for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
             if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") in ("/TH", "/TD")]
    return bool(cells) and all(cell.S == "/TH" for cell in cells)


def _scope(cell: pikepdf.Dictionary, scope: pikepdf.Name) -> None:
    """Add /Scope to the cell's /Table attribute dictionary (or a new one), keeping any it has."""
    attributes = cell.get("/A")
    owners = list(attributes) if isinstance(attributes, pikepdf.Array) else (
        [attributes] if attributes is not None else [])
    for owner in owners:
        if isinstance(owner, pikepdf.Dictionary) and owner.get("/O") == "/Table":
            if "/Scope" not in owner:
                owner.Scope = scope
            return
    table = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
    cell.A = pikepdf.Array([*owners, table]) if owners else table
