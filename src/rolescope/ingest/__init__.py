"""Ingest: turn raw source records into clean store rows.

``ingest.normalize`` holds the small pure normalizers (salary, seniority, location, work
arrangement, employment type, company size, dates, text) that every row goes through.
"""
