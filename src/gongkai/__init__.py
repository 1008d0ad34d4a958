"""Gongkai (公开): an open-source 政务公开 platform."""

__version__ = "0.1.0"
