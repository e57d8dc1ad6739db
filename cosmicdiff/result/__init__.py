"""The Result of a comparison: deviations, scores, trend, and its JSON form in and out."""
