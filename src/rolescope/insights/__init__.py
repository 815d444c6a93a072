"""Market insights: salary benchmarks, skill demand and premiums, and the AI-vs-ML comparison.

Everything reads a :class:`rolescope.insights.market.Market`: a store, or the embedded snapshot.
"""
