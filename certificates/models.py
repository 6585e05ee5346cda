"""Certificates owns issued certificates and credentials.

Its models arrive with the certificates issue.
"""
