"""Course 5 helpers: sequence models (recurrent cells, language models, attention)."""
