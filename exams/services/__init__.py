"""Writes of the exams app, split by sub-domain (attempts, grading, importing, analysis)."""
