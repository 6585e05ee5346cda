"""Allele's cross-cutting core: users and learner profiles, roles, HTML sanitising,
shared StreamField blocks and template tags, and the health check."""
