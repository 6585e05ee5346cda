"""Courses: the catalog that educators author in Wagtail (domains, courses, modules)."""
