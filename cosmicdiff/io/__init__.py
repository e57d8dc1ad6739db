"""Bytes in and out: safe YAML, XML, JSON and TOML readers, atomic output, standard streams,
signals, display paths, spreadsheets.
"""
