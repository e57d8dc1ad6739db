"""Readers of the COSMIC export's own forms: XML, CSV keyword lists and the YAML form."""
