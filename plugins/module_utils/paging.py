# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paging through list endpoints in both styles the APIs use.

``next``: a string page cursor, ``null`` on the last page (Central monitoring, list-tenants).
``offset``: offset + limit with a ``total`` (GLP lists, Central sites-health).
Both stop on the last page, on an empty page and when ``total`` items are in hand, drop duplicates
and can never loop forever, even when the server misbehaves (a repeated cursor, a shifting total).
"""

from __future__ import annotations

import json
import math

# A hard stop far beyond any real list: 10,000 pages.
MAX_PAGES = 10000
# Cursors followed past the reported total before paging is cut off: twice the pages the total needs, plus this.
EXTRA_PAGES = 10


class PagedResult:
    """The items of every page, how many pages it took and what looked wrong on the way."""

    def __init__(self):
        self.items = []
        self.pages = 0
        self.total = None
        self.warnings = []
        self._seen = set()
        self._oversize = False
        self._beyond_total = False

    def add(self, items, key):
        """Keep the items not seen before; returns how many were new."""
        before = len(self.items)
        for item in items:
            ident = _identity(item, key)
            if ident in self._seen:
                continue
            self._seen.add(ident)
            self.items.append(item)
        return len(self.items) - before

    def repeated(self, what):
        """A page of nothing but items already seen: the server is serving the same page again."""
        self.warnings.append('%s: page %d held only items already received (the server returned the same page '
                             'again); stopped to avoid a loop. The list may be incomplete.' % (what, self.pages))

    def note_total(self, total, what):
        if not isinstance(total, int) or isinstance(total, bool):
            return
        if self.total is not None and total != self.total:
            self.warnings.append('%s: total changed from %d to %d while paging; the list may be incomplete or '
                                 'may have shifted.' % (what, self.total, total))
        self.total = total

    def complete(self):
        return self.total is not None and len(self.items) >= self.total

    def check_size(self, items, limit, what):
        """Warn (once) about a page larger than the limit asked for; its items are kept."""
        if limit and len(items) > int(limit) and not self._oversize:
            self._oversize = True
            self.warnings.append('%s: page %d held %d items although %d were asked for; the server ignores the page '
                                 'size. Kept them all.' % (what, self.pages, len(items), int(limit)))

    def past_total(self, was_complete, added, what):
        """Warn (once) when a page brought new items after ``total`` items were already in hand."""
        if was_complete and added and not self._beyond_total:
            self._beyond_total = True
            self.warnings.append('%s: page %d brought new items after the reported total (%s) was reached; kept '
                                 'them. The server\'s total is wrong.' % (what, self.pages, self.total))

    def cut_off(self, limit, what, kept_going):
        """True (with a warning) once a listing that keeps going has used up the pages its total allows."""
        if self.pages < self.page_bound(limit):
            return False
        self.warnings.append('%s: stopped after %d pages: the server kept sending %s (total %s, %d items '
                             'received). The list may be incomplete or hold items it should not.'
                             % (what, self.pages, kept_going, self.total, len(self.items)))
        return True

    def page_bound(self, limit):
        """Pages after which a listing that still gets cursors is cut off: derived from total when known."""
        if self.total is None or not limit:
            return MAX_PAGES
        needed = max(1, math.ceil(self.total / int(limit)))
        return min(MAX_PAGES, max(2 * needed, needed + EXTRA_PAGES))


def _identity(item, key):
    if key and isinstance(item, dict) and item.get(key) not in (None, ''):
        return (key, str(item[key]))
    return json.dumps(item, sort_keys=True, default=str)


def page_items(body, items_key='items'):
    if not isinstance(body, dict):
        return []
    items = body.get(items_key)
    return items if isinstance(items, list) else []


def paginate_next(fetch_page, what, limit, params=None, key=None, first_cursor=None, items_key='items'):
    """Follow string ``next`` cursors. ``fetch_page(params) -> body``.

    A cursor is followed even when ``total`` items are in hand (a total that is too low would otherwise lose pages
    silently), with a warning when more items come; a stream of fresh cursors is cut off at a bound derived from
    the total."""
    result = PagedResult()
    cursor = first_cursor
    seen_cursors = {first_cursor} if first_cursor is not None else set()
    while True:
        if result.cut_off(limit, what, 'new cursors'):
            break
        query = dict(params or {}, limit=limit)
        if cursor is not None:
            query['next'] = cursor
        was_complete = result.complete()
        body = fetch_page(query)
        result.pages += 1
        items = page_items(body, items_key)
        result.note_total(body.get('total') if isinstance(body, dict) else None, what)
        added = result.add(items, key)
        result.check_size(items, limit, what)
        result.past_total(was_complete, added, what)
        cursor = body.get('next') if isinstance(body, dict) else None
        if cursor in (None, ''):
            break
        if not items:
            if not result.complete():
                result.warnings.append('%s: page %d came back empty before the last page; stopped there.'
                                       % (what, result.pages))
            break
        cursor = str(cursor)
        if cursor in seen_cursors:
            result.warnings.append('%s: the server repeated page cursor %r; stopped to avoid a loop.' % (what, cursor))
            break
        if not added:
            result.repeated(what)
            break
        seen_cursors.add(cursor)
    return result


def paginate_offset(fetch_page, what, limit, params=None, key=None, items_key='items'):
    """Walk ``offset``/``limit`` pages until ``total`` items are in hand. ``fetch_page(params) -> body``.

    A full page at the ``total`` boundary may mean the total is too low: paging goes on while pages come back
    full (warned when they bring more items), cut off at the bound the cursor paging uses."""
    result = PagedResult()
    offset = 0
    while True:
        if result.pages >= MAX_PAGES or result.complete() and result.cut_off(limit, what, 'full pages past the total'):
            if result.pages >= MAX_PAGES and not result.complete():
                result.warnings.append('%s: stopped after %d pages.' % (what, MAX_PAGES))
            break
        was_complete = result.complete()
        body = fetch_page(dict(params or {}, limit=limit, offset=offset))
        result.pages += 1
        items = page_items(body, items_key)
        result.note_total(body.get('total') if isinstance(body, dict) else None, what)
        added = result.add(items, key)
        result.check_size(items, limit, what)
        result.past_total(was_complete, added, what)
        offset += len(items)
        if items and not added:
            result.repeated(what)
            break
        if not items:
            if result.total is not None and not result.complete():
                result.warnings.append('%s: page %d came back empty at offset %d of %d; stopped there.'
                                       % (what, result.pages, offset, result.total))
            break
        if result.total is not None and offset < result.total:
            continue  # short pages too: a server may cap the page below the limit asked for
        if not limit or len(items) < int(limit):
            break  # a short page is the last one
        # A full page at or past the total: the total may be too low, the next offset may hold more.
    return result
