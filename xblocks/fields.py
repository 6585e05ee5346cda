"""XBlock field data per scope, read for a whole module page at once.

``load_page_state`` reads every usage, definition, user state, summary, preference and user
info that the components of one module need, in one query per table. ``PageFieldData`` serves
a block's fields from that state: content and settings (and children, parent) from the
definition, read-only unless the runtime is an authoring one; user state per (learner,
usage); the summary per usage; preferences per (learner, block type); user info per learner.
``save_page_state`` writes what blocks changed, row by row under a lock, in one transaction.
An anonymous visitor's (or a preview's) state lives in memory only and is never saved.
"""

from dataclasses import dataclass, field

from django.db import transaction
from xblock.exceptions import InvalidScopeError
from xblock.field_data import FieldData
from xblock.fields import BlockScope, Scope, UserScope

from xblocks.models import (
    XBlockCompletion,
    XBlockDefinition,
    XBlockPreference,
    XBlockSummaryState,
    XBlockUsage,
    XBlockUserInfo,
    XBlockUserState,
)

AUTHORED = {Scope.content: "content", Scope.settings: "settings"}


@dataclass
class PageState:
    """Everything the blocks of one module need for one user (None: nobody's state)."""

    user: object | None
    usages: dict[str, XBlockUsage] = field(default_factory=dict)
    user_states: dict[str, dict] = field(default_factory=dict)
    summaries: dict[str, dict] = field(default_factory=dict)
    preferences: dict[str, dict] = field(default_factory=dict)
    user_info: dict = field(default_factory=dict)
    completions: dict[str, float] = field(default_factory=dict)
    persistent: bool = True
    dirty: set[tuple[str, str]] = field(default_factory=set)
    _by_pk: dict = field(default_factory=dict, repr=False)

    def usage(self, usage_id: str) -> XBlockUsage:
        return self.usages[usage_id]

    def definition(self, usage_id: str) -> XBlockDefinition:
        return self.usages[usage_id].definition

    def add_usages(self, usages) -> None:
        for usage in usages:
            self.usages[usage.usage_id] = usage
        self._by_pk = {usage.pk: usage.usage_id for usage in self.usages.values()}

    def usage_id_of(self, pk) -> str | None:
        return self._by_pk.get(pk)


def _learner(user):
    return user if user is not None and user.is_authenticated else None


def _summaries(module, by_pk, lock_usage_ids) -> dict[str, dict]:
    rows = XBlockSummaryState.objects.filter(usage__module=module)
    if lock_usage_ids:
        XBlockSummaryState.objects.bulk_create(
            [XBlockSummaryState(usage_id=pk) for pk in lock_usage_ids], ignore_conflicts=True)
        locked = list(XBlockSummaryState.objects.select_for_update()
                      .filter(usage_id__in=lock_usage_ids).order_by("pk"))
        rows = [*locked, *rows.exclude(usage_id__in=lock_usage_ids)]
    return {by_pk[row.usage_id]: row.state for row in rows}


def _user_states(learner, module, by_pk, lock_usage_ids) -> dict[str, dict]:
    rows = XBlockUserState.objects.filter(user=learner, usage__module=module)
    if lock_usage_ids:
        XBlockUserState.objects.bulk_create(
            [XBlockUserState(user=learner, usage_id=pk) for pk in lock_usage_ids],
            ignore_conflicts=True)
        rows = XBlockUserState.objects.select_for_update().filter(
            user=learner, usage_id__in=list(by_pk)).order_by("pk")
    return {by_pk[row.usage_id]: row.state for row in rows}


def load_page_state(*, user, module, lock_usage_ids: list[int] | None = None) -> PageState:
    """Read the state of every component of ``module`` for ``user`` (a bounded number of
    queries: one per table). With ``lock_usage_ids`` (in a transaction), the learner's
    state rows and the summaries of those usages are created if missing and locked (hers
    first, the shared ones after, as ``save_page_state`` writes them), so a handler reads
    and writes them without losing a concurrent update."""
    learner = _learner(user)
    state = PageState(user=learner, persistent=learner is not None)
    usages = list(XBlockUsage.objects.filter(module=module).select_related("definition"))
    by_pk = {usage.pk: usage.usage_id for usage in usages}
    state.add_usages(usages)
    if learner is None:
        state.summaries = _summaries(module, by_pk, None)
        return state
    state.user_states = _user_states(learner, module, by_pk, lock_usage_ids)
    state.summaries = _summaries(module, by_pk, lock_usage_ids)
    types = {usage.block_type for usage in usages}
    state.preferences = {
        row.block_type: row.state
        for row in XBlockPreference.objects.filter(user=learner, block_type__in=types)
    }
    info = XBlockUserInfo.objects.filter(user=learner).first()
    state.user_info = info.state if info else {}
    state.completions = {
        by_pk[row.usage_id]: row.completion
        for row in XBlockCompletion.objects.filter(user=learner, usage__module=module)
    }
    return state


class PageFieldData(FieldData):
    """Field data of the blocks of one page, from a ``PageState``."""

    def __init__(self, state: PageState, *, authoring: bool = False):
        super().__init__()
        self.state = state
        self.authoring = authoring

    def _store(self, block, name, *, writing: bool) -> tuple[dict, tuple[str, str] | None]:
        """The dict holding ``name``'s value and its dirty key (None: not persisted)."""
        scope = block.fields[name].scope
        usage_id = block.scope_ids.usage_id
        if scope in AUTHORED:
            if writing and not self.authoring:
                raise InvalidScopeError(scope, f"{name}: learners cannot change {scope}")
            return getattr(self.state.definition(usage_id), AUTHORED[scope]), (
                "definition", usage_id)
        if scope == Scope.user_state:
            return self.state.user_states.setdefault(usage_id, {}), ("user_state", usage_id)
        if scope == Scope.user_state_summary:
            return self.state.summaries.setdefault(usage_id, {}), ("summary", usage_id)
        if scope == Scope.preferences:
            block_type = block.scope_ids.block_type
            return self.state.preferences.setdefault(block_type, {}), ("preferences",
                                                                       block_type)
        if scope.user == UserScope.ONE and scope.block == BlockScope.ALL:
            return self.state.user_info, ("user_info", "")
        raise InvalidScopeError(scope)

    def get(self, block, name):
        scope = block.fields[name].scope
        usage_id = block.scope_ids.usage_id
        if scope == Scope.children:
            return list(self.state.definition(usage_id).children)
        if scope == Scope.parent:
            parent = self.state.usage_id_of(self.state.usage(usage_id).parent_id)
            if parent is None:
                raise KeyError(name)
            return parent
        store, _key = self._store(block, name, writing=False)
        return store[name]

    def set(self, block, name, value):
        self.set_many(block, {name: value})

    def set_many(self, block, update_dict):
        for name, value in update_dict.items():
            scope = block.fields[name].scope
            if scope in (Scope.children, Scope.parent):
                if not self.authoring:
                    raise InvalidScopeError(scope, f"{name}: learners cannot change {scope}")
                continue  # the tree comes from the OLX; an authoring runtime does not move it
            store, key = self._store(block, name, writing=True)
            store[name] = value
            self.state.dirty.add(key)

    def delete(self, block, name):
        store, key = self._store(block, name, writing=True)
        store.pop(name, None)
        self.state.dirty.add(key)

    def has(self, block, name):
        try:
            self.get(block, name)
        except KeyError:
            return False
        return True

    def default(self, block, name):
        raise KeyError(name)


_WRITE_ORDER = {"user_state": 0, "preferences": 1, "user_info": 2, "summary": 3,
                "definition": 4}


def _save_row(model, *, lookups: dict, value: dict) -> None:
    row, created = model.objects.select_for_update().get_or_create(
        **lookups, defaults={"state": value})
    if not created:
        model.objects.filter(pk=row.pk).update(state=value)


def save_page_state(*, state: PageState) -> bool:
    """Write every changed row of ``state`` (nothing for an anonymous visitor or a preview);
    True if anything was written. The caller notes the learner's state change."""
    if not state.persistent or not state.dirty:
        state.dirty.clear()
        return False
    user = state.user
    with transaction.atomic():
        # The learner's own rows first, shared rows after: the order handlers lock them in.
        for kind, key in sorted(state.dirty, key=lambda item: (_WRITE_ORDER[item[0]], item)):
            if kind == "definition":
                definition = state.definition(key)
                XBlockDefinition.objects.filter(pk=definition.pk).update(
                    content=definition.content, settings=definition.settings)
            elif kind == "user_state":
                _save_row(XBlockUserState, lookups={"user": user, "usage": state.usage(key)},
                          value=state.user_states[key])
            elif kind == "summary":
                _save_row(XBlockSummaryState, lookups={"usage": state.usage(key)},
                          value=state.summaries[key])
            elif kind == "preferences":
                _save_row(XBlockPreference, lookups={"user": user, "block_type": key},
                          value=state.preferences[key])
            else:
                _save_row(XBlockUserInfo, lookups={"user": user}, value=state.user_info)
    state.dirty.clear()
    return True
