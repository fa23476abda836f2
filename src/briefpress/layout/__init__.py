"""Lay documents out: Jinja HTML, the WeasyPrint call, its fetcher and font configuration."""
