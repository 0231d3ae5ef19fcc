"""Helpers used by notebooks of more than one course: plotting, timing, compute settings."""
