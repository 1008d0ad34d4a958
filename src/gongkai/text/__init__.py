"""Text utilities used by every app: the 文号 parser and the file readers.

This package imports no Gongkai app (an import contract checks it), so documents, ingest, search
and review can all use it without importing each other.
"""
