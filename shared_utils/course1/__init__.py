"""Course 1 helpers: code written by learners in course 1 and reused by later notebooks."""
