"""Schemas shipped with cosmicdiff (the export XSD)."""
