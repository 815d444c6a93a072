"""Curated knowledge shipped as package data (roles, cited seed claims), validated on load.

Nothing is read at import time: call :func:`rolescope.knowledge.roles.load_roles` where it is needed.
"""
