"""Shared API plumbing (Chinese errors, pagination) for every app's `api.py`; imports no app.

The router that registers the apps' viewsets is `gongkai.api_urls`, at the top of the project.
"""
