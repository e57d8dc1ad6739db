"""Charts for people's reports, drawn with matplotlib (imported only when a chart is drawn).

- ``scores``: harmonisation per region x case (raw and after waivers, the reference's with
  ``compare --reference``) for the report's overview;
- ``heatmap``: the matrix's agreement per case;
- ``trend_chart``: how scores and open deviations developed over saved results.

Every chart is SVG for inline use in the self-contained HTML (and so in the PDF); the trend
chart is also PNG or standalone SVG for slides. ``figure.py`` keeps the bytes deterministic.
"""
