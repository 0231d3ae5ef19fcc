"""Data of the workbook: committed files and samples, fetched assets, seeded generators.

One module per dataset or generator (``fashion``, ``planar``, ``handsigns``, ``glove``,
``samples``); ``registry`` holds the sha256 helper, the one file check and the checksums of
every committed file, ``store`` the cache of fetched assets (``python -m shared_utils
assets``), ``download`` how a package archive is got from its registry and checked before use.
"""
