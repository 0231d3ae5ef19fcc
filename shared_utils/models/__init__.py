"""Keras 3 ports of real pretrained networks whose weights come from the asset store."""
