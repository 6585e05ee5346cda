"""Offline learning: the installable PWA, the offline-sync API and its idempotency records.

This app stands on its own because it is a way of reaching the site, not part of any one
learning area: it serves the web app manifest, the service worker and the offline page;
it answers the device's "which URLs make this course available offline" question; and it
applies the completions and quiz answers a learner made offline, once each, however often
a flaky connection resends them. It owns only what that needs (the record of each synced
action, keyed by the device's idempotency key) and sits in the layer above courses and
assessments, whose ``api`` it calls to do the actual learning writes.
"""
