"""Signals of the core app, for apps above it (architecture rule: a lower app notifies by signal)."""

from django.dispatch import Signal

# Sent after `core.backup.restore_backup` committed the restored rows and files; apps that keep
# derived data (the search index) rebuild it. No kwargs.
backup_restored = Signal()
