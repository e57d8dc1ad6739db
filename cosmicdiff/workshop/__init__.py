"""What facilitators and the programme use: the matrix, workshop decisions, baseline proposals
and diffs.
"""
