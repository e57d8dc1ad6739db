"""Pairing region items with baseline items: identity, scope, single artefacts, and fuzzy
suggestions for what stays unpaired.
"""
