"""Data of the workbook: committed files and samples, fetched assets, seeded generators.

One module per dataset or generator (``fashion``, ``planar``, ``handsigns``, ``glove``,
``samples``); ``registry`` holds the sha256 helper and the checksums of every committed file,
``store`` the cache of fetched assets (``python -m shared_utils assets``).
"""
