"""Certificates: issuance, PDFs, public verification and signed credentials (see the certificates issue)."""
