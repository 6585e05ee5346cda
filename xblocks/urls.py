"""XBlock handler and resource routes (filled in by the runtime's HTTP layer)."""

app_name = "xblocks"
urlpatterns: list = []
