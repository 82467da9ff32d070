"""Tests in a real headless Chromium against the shipped site, served from 127.0.0.1.

This folder is a package so that its conftest.py is imported as ``browser.conftest`` and does not
replace ``tests/conftest.py``, which other test modules import as ``conftest``.
"""
