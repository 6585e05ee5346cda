"""The demo catalog: shipped course content (``content/``) and the loader that publishes it.

``python manage.py load_demo`` calls :func:`load_demo`.
"""

from courses.demo.loader import DemoAdministrator, DemoSummary, load_demo

__all__ = ["DemoAdministrator", "DemoSummary", "load_demo"]
