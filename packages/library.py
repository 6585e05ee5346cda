"""The Library items a package carries: collected on export through ``editorial.api``.

Pages and question blocks point at Library snippets (references, glossary terms,
educators, competencies) with chooser blocks; when the exporter meets one, this
collector asks the editorial app for the item's portable form and key.
"""

from dataclasses import dataclass, field

from editorial import api as editorial_api


@dataclass
class LibraryCollector:
    site_id: str
    image_key: object  # callable: image pk -> media key
    items: dict[str, dict] = field(default_factory=dict)
    _keys: dict[tuple[str, int], str | None] = field(default_factory=dict)

    def key_of(self, label: str, pk: int) -> str | None:
        if (label, pk) not in self._keys:
            item = editorial_api.export_library_item(label=label, pk=pk, site_id=self.site_id,
                                                     image_key=self.image_key)
            if item is not None:
                self.items.setdefault(item["key"], item)
            self._keys[(label, pk)] = item["key"] if item else None
        return self._keys[(label, pk)]
