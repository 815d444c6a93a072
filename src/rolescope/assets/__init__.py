"""Vendored static files (plotly.js for the HTML report); read them with :mod:`importlib.resources`."""
