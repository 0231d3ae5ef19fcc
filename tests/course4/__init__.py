"""Tests of the course 4 helpers."""
