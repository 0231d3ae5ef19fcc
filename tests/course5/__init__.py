"""Tests of the course 5 helpers."""
