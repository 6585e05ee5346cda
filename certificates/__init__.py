"""Certificates: issuance, PDFs, public verification and signed credentials.

Filled in by the certificates issue.
"""
