"""briefpress: print-ready Arabic (right-to-left) PDFs from structured content."""

__version__ = "0.1.0"
