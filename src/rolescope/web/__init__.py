"""The web app and REST API (``rolescope serve``): FastAPI, Jinja2 templates, htmx, plotly.js."""
