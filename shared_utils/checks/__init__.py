"""One module per notebook: the functions its check cells call (see shared_utils.engine.checking)."""
