"""Course packages: a portable archive of a whole course, to share it between Allele sites.

This app stands on its own because it is an interchange format, not part of any one
area: a package carries a course (courses), its quizzes and questions (assessments), the
references, glossary and educators it cites (editorial) and their media. It reads and
writes each of them only through their ``api``, so it sits in the layer above them, and
it owns only what the format itself needs: the site's identity, the map from a package's
keys to local objects (so a re-import updates instead of duplicating), and the jobs.
"""
