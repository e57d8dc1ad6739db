"""Benchmark harness of cosmicdiff: a synthetic corpus generator and a measuring script."""
