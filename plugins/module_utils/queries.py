# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning a module's filter options into requests the live API accepts.

Each option says which item field it matches and, for an enumerated field, which values exist
(vocabulary.py). The contract (contract.py) says what the endpoint can filter on: an option on a filterable
field becomes a ``filter`` clause (``eq``, or ``in`` for several values where the endpoint allows it);
anything else is matched on the items read, client-side, so the module still returns what was asked for
without sending the API a filter it would answer with 400. An option bound to a query parameter (the clients'
``site-name``) is sent as that parameter, one read per value.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.central.msp.plugins.module_utils.contract import ENDPOINTS
from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError
from ansible_collections.central.msp.plugins.module_utils.vocabulary import api_values


@dataclass(frozen=True)
class Match:
    """An option that keeps the items whose ``field`` is one of the option's values."""

    field: str
    values: tuple | None = None     # the values that exist (matched without regard to case), or None: free text


@dataclass(frozen=True)
class QueryParam:
    """An option sent as a query parameter; a list option makes one read per value."""

    name: str


@dataclass
class ListPlan:
    """What to send (one query per read) and what to keep of the items read."""

    queries: list
    local: dict                     # field -> allowed values, matched on the items (the API cannot filter on it)

    def keep(self, item):
        return all(item.get(name) in values for name, values in self.local.items())

    def apply(self, items):
        return [item for item in items if self.keep(item)] if self.local else items


def option_values(option, value, match):
    """The option's value as a list in the API's spelling; CentralMspError naming the valid values."""
    values = value if isinstance(value, (list, tuple)) else [value]
    values = [item for item in values if item not in (None, '')]
    if match.values is None:
        return [str(item) for item in values]
    try:
        return api_values(values, match.values, option)
    except ValueError as exc:
        raise CentralMspError(str(exc)) from None


def plan_list(endpoint_name, params, options, raw_filter=None, sort=None, extra=None):
    """A :class:`ListPlan` for reading ``endpoint_name`` with the module's ``params``.

    ``options``: option name -> :class:`Match` or :class:`QueryParam`; ``raw_filter``: the user's own filter,
    joined with ``and``; ``extra``: query parameters sent as they are (None values left out)."""
    endpoint = ENDPOINTS[endpoint_name]
    rule = endpoint.filter
    clauses, local, split = [], {}, None
    base = {name: value for name, value in (extra or {}).items() if value not in (None, '')}
    for option, spec in options.items():
        value = params.get(option)
        if value in (None, '', []):
            continue
        if isinstance(spec, QueryParam):
            split = (spec.name, [str(item) for item in (value if isinstance(value, list) else [value])])
            continue
        values = option_values(option, value, spec)
        operators = rule.fields.get(spec.field, ()) if rule else ()
        if 'in' in operators and (len(values) > 1 or 'eq' not in operators):
            clauses.append('%s in (%s)' % (spec.field, ', '.join(rule.literal(item) for item in values)))
        elif 'eq' in operators and len(values) == 1:
            clauses.append('%s eq %s' % (spec.field, rule.literal(values[0])))
        else:
            # The endpoint cannot filter on this field (or not on several values): match what was read.
            local[spec.field] = tuple(values)
    if raw_filter:
        # Central's filters take no parentheses or 'or'; 'and' binds the same either way.
        joined = raw_filter if rule is None or 'or' not in rule.logic else '(%s)' % raw_filter
        clauses.append(joined if clauses else raw_filter)
    if clauses:
        base['filter'] = ' and '.join(clauses)
    if sort:
        base['sort'] = sort
    if split is None:
        return ListPlan([base], local)
    name, values = split
    return ListPlan([dict(base, **{name: value}) for value in values], local)
