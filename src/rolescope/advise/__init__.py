"""Advice for one person: role fit, skill gaps and a roadmap, a growth simulation, job matches, the quiz.

Sits above :mod:`rolescope.insights` (market figures) and below the interfaces (CLI, web).
"""
