"""Courses owns the authored catalog (pages, in pages.py); learner state arrives with enrollment.

Django discovers models through this module, so it re-exports the page classes.
"""

from courses.pages import (  # noqa: F401
    CourseEducator,
    CourseLevel,
    CoursePage,
    DomainPage,
    HomePage,
    ModulePage,
    WorkingGroup,
)
