"""Every screen edition passes the pdfua package's subset of PDF/UA-1 with no warning either."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pdfua import Severity, validate

from conftest import Target


def _findings(path: Path) -> list[str]:
    report = validate(str(path))
    return [f"{finding.rule_id}: {finding.message}" for finding in report.findings
            if finding.severity >= Severity.WARNING]


def test_screen_edition_has_no_pdfua_warning(built: Path, ua_target: Target) -> None:
    assert _findings(built / ua_target.path) == []


def test_table_headers_carry_a_column_scope(factsheet_pdf: Path) -> None:
    with pikepdf.open(factsheet_pdf) as pdf:
        headers = [obj for obj in pdf.objects
                   if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH"]
        assert headers
        assert all(header.A.Scope == "/Column" for header in headers)


def test_pdfua_warns_about_headers_without_scope(factsheet_pdf: Path, tmp_path: Path) -> None:
    """The test above can fail: without /Scope, pdfua warns about the fact sheet's table."""
    with pikepdf.open(factsheet_pdf) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH":
                del obj.A["/Scope"]
        out = io.BytesIO()
        pdf.save(out)
    path = tmp_path / "no-scope.pdf"
    path.write_bytes(out.getvalue())
    assert any("/Scope" in finding for finding in _findings(path))
