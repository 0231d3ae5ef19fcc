"""Course 4 helpers: modules that one notebook of course 4 uses (see docs/LAYOUT.md's rule)."""
