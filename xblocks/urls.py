"""XBlock handler and resource routes, mounted at ``/xblock/`` by ``lms/urls.py``.

The runtime reverses ``xblocks:handler`` and ``xblocks:authoring_handler`` (kwargs
``usage_id``, ``handler_name`` and optionally ``suffix``) and ``xblocks:resource``
(``block_type``, ``path``).
"""

from django.urls import path

from xblocks import views

app_name = "xblocks"
urlpatterns = [
    path("handler/<str:usage_id>/<str:handler_name>/", views.handler, name="handler"),
    path("handler/<str:usage_id>/<str:handler_name>/<path:suffix>", views.handler,
         name="handler"),
    path("authoring/<str:usage_id>/<str:handler_name>/", views.authoring_handler,
         name="authoring_handler"),
    path("authoring/<str:usage_id>/<str:handler_name>/<path:suffix>", views.authoring_handler,
         name="authoring_handler"),
    path("resource/<str:block_type>/<path:path>", views.resource, name="resource"),
]
