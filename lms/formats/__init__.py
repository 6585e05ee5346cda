"""Allele's own date formats (FORMAT_MODULE_PATH), layered over Django's per language."""
