"""Mark a page's margin boxes (running heads, page numbers) as pagination artifacts.

WeasyPrint tags the content of margin boxes with structure elements it never links into the
structure tree, so that content was neither tagged nor an artifact (PDF/UA-1 7.1). Each such
marked-content sequence becomes `/Artifact <</Type /Pagination>> BDC`, and its parent-tree
entry is cleared.
"""

from __future__ import annotations

import pikepdf

from .pdftext import ParsedContent


def mark_margin_artifacts(pdf: pikepdf.Pdf, contents: list[ParsedContent]) -> int:
    """Turn every page's marked content that the structure tree does not reach into a pagination
    artifact; return how many sequences were turned."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, pikepdf.Dictionary) or "/ParentTree" not in root:
        return 0
    tree = root.ParentTree
    reachable = _elements(root.get("/K"))
    parents = pikepdf.NumberTree(tree)
    orphans: dict[int, set[int]] = {}  # /StructParents -> MCIDs
    for key, marked in parents.items():
        if not isinstance(marked, pikepdf.Array):
            continue
        for mcid, element in enumerate(marked):
            if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable:
                orphans.setdefault(int(key), set()).add(mcid)
                marked[mcid] = None
    pages = {page.obj.objgen: int(page.obj.StructParents) for page in pdf.pages
             if "/StructParents" in page.obj}
    count = 0
    for content in contents:
        lost = orphans.get(pages.get(content.owner.objgen, -1), set())
        if lost:
            count += _retag(content, lost)
    return count


def _elements(node: pikepdf.Object | None) -> set[tuple[int, int]]:
    """The structure elements reachable from `node`, by object id."""
    found: set[tuple[int, int]] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") not in ("/MCR", "/OBJR") \
                and item.objgen not in found:
            if item.is_indirect:
                found.add(item.objgen)
            stack.append(item.get("/K"))
    return found


def _retag(content: ParsedContent, mcids: set[int]) -> int:
    """Rewrite the BDC of each of `mcids` in `content` as a pagination artifact."""
    instructions = list(content.instructions)
    count = 0
    for index, operator in enumerate(content.operators):
        if operator != "BDC":
            continue
        properties = instructions[index].operands[1]
        if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties \
                and int(properties.MCID) in mcids:
            instructions[index] = pikepdf.ContentStreamInstruction(
                [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)],
                pikepdf.Operator("BDC"))
            count += 1
    if count:
        content.replace(instructions)
    return count
