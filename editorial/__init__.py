"""The editorial library: references, glossary terms, educators and competencies.

Courses cite references, mark glossary terms, name educators and link objectives to
competencies; assessments cite references in question explanations. Because both use
them, they stand on their own below both (and above lms.core), so neither has to reach
into the other to share a citation or a term.
"""
