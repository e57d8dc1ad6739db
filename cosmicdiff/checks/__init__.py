"""Integrity checks of a read export or baseline, and `validate`."""
