"""Course 2 helpers: modules that one notebook of course 2 uses (see docs/LAYOUT.md's rule)."""
