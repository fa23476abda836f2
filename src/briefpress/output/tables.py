"""Give table header cells an explicit /Scope, which WeasyPrint leaves to /Headers on data cells."""

from __future__ import annotations

import pikepdf


def scope_table_headers(pdf: pikepdf.Pdf) -> int:
    """Set /Scope on every /TH: /Column in a table's first row, /Row elsewhere; return the count."""
    root = pdf.Root.get("/StructTreeRoot")
    return _visit(root.get("/K"), in_first_row=False) if root is not None else 0


def _visit(node: pikepdf.Object | None, in_first_row: bool) -> int:
    if isinstance(node, pikepdf.Array):
        return sum(_visit(child, in_first_row) for child in node)
    if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
        return 0
    role = node.S
    count = 0
    if role == "/TH":
        _scope(node, pikepdf.Name.Column if in_first_row else pikepdf.Name.Row)
        count = 1
    if role == "/Table":
        return count + _visit_rows(node.get("/K"))
    return count + _visit(node.get("/K"), in_first_row)


def _visit_rows(kids: pikepdf.Object | None) -> int:
    """A table's rows in order, through /THead, /TBody and /TFoot; the first /TR is the header row."""
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
    return (sum(_visit(row.get("/K"), index == 0) for index, row in enumerate(rows))
            + sum(_visit(other, False) for other in others))


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
