"""Paging in both styles: complete, no duplicates, never endless, warnings on server anomalies."""

from ansible_collections.central.msp.plugins.module_utils.paging import MAX_PAGES, paginate_next, paginate_offset

ITEMS = [{'id': str(number)} for number in range(10)]


def next_server(items, page_size, repeat_at=None, empty_at=None, total_shift=0):
    calls = []

    def fetch(query):
        calls.append(dict(query))
        page = int(query.get('next', '1'))
        start = (page - 1) * page_size
        chunk = [] if page == empty_at else items[start:start + page_size]
        following = str(page + 1) if start + page_size < len(items) else None
        if repeat_at and page >= repeat_at:
            following = str(repeat_at)
        return {'items': chunk, 'count': len(chunk), 'total': len(items) + (total_shift * page), 'next': following}
    return fetch, calls


def test_next_cursor_collects_everything_in_minimum_pages():
    fetch, calls = next_server(ITEMS, 3)
    result = paginate_next(fetch, 'GET x', 3)
    assert result.items == ITEMS and result.pages == 4 == len(calls) and not result.warnings
    assert 'next' not in calls[0] and calls[1]['next'] == '2' and calls[0]['limit'] == 3


def test_a_cursor_after_total_is_followed_and_a_page_of_nothing_new_ends_it():
    def fetch(query):
        return {'items': ITEMS, 'total': 10, 'next': '2'}
    result = paginate_next(fetch, 'GET x', 100)
    assert result.pages == 2 and len(result.items) == 10


def test_a_total_that_is_too_low_loses_no_page_and_warns():
    # The server reports half the items but its cursors go on: every page is read.
    fetch, calls = next_server(ITEMS, 2)

    def lying(query):
        body = fetch(query)
        return dict(body, total=4)
    result = paginate_next(lying, 'GET x', 2)
    assert result.items == ITEMS and len(calls) == 5
    assert sum('after the reported total (4) was reached' in warning for warning in result.warnings) == 1


def test_endless_fresh_cursors_past_the_total_are_cut_off_by_a_bound_from_the_total():
    calls = []

    def fetch(query):  # ten items exist, but new ones and new cursors never stop
        calls.append(query.get('next'))
        page = len(calls)
        return {'items': [{'id': '%d-%d' % (page, n)} for n in range(2)], 'total': 10, 'next': str(page + 1)}
    result = paginate_next(fetch, 'GET x', 2)
    # 5 pages would hold the total; the bound is max(2 x 5, 5 + 10) = 15 pages, nowhere near MAX_PAGES.
    assert len(calls) == result.pages == 15 < MAX_PAGES
    assert any('stopped after 15 pages: the server kept sending new cursors' in w for w in result.warnings)


def test_a_page_larger_than_the_limit_is_kept_and_warned_once():
    def fetch(query):
        page = int(query.get('next', '1'))
        return {'items': ITEMS[(page - 1) * 5:page * 5], 'total': 10, 'next': '2' if page == 1 else None}
    result = paginate_next(fetch, 'GET x', 2)
    assert result.items == ITEMS
    assert sum('page 1 held 5 items although 2 were asked for' in w for w in result.warnings) == 1

    def offset_fetch(query):  # offset paging, the whole list whatever the limit
        return {'items': ITEMS[query['offset']:], 'total': 10}
    result = paginate_offset(offset_fetch, 'GET x', 3)
    assert result.items == ITEMS and result.pages == 2  # a page over the limit is full: the next offset is asked
    assert any('held 10 items although 3 were asked for' in w for w in result.warnings)


def test_repeated_cursor_stops_with_a_warning_and_no_duplicates():
    fetch, calls = next_server(ITEMS, 2, repeat_at=2)
    result = paginate_next(fetch, 'GET x', 2)
    assert len(calls) == 2
    assert result.items == ITEMS[:4]
    assert any('repeated page cursor' in warning for warning in result.warnings)


def test_first_cursor_is_sent_and_a_repeat_of_it_detected():
    seen = []

    def fetch(query):
        seen.append(query['next'])
        return {'items': [{'id': len(seen)}], 'next': '1'}
    result = paginate_next(fetch, 'GET x', 1, first_cursor='1')
    assert seen == ['1'] and result.warnings


def test_empty_page_midway_stops_with_a_warning():
    fetch, _calls = next_server(ITEMS, 3, empty_at=2)
    result = paginate_next(fetch, 'GET x', 3)
    assert result.items == ITEMS[:3]
    assert any('empty' in warning for warning in result.warnings)


def test_changing_total_warns():
    fetch, _calls = next_server(ITEMS, 5, total_shift=1)
    result = paginate_next(fetch, 'GET x', 5)
    assert result.items == ITEMS
    assert any('total changed' in warning for warning in result.warnings)


def offset_server(items, cap=None, total_delta=None):
    calls = []

    def fetch(query):
        calls.append(dict(query))
        size = min(query['limit'], cap or query['limit'])
        chunk = items[query['offset']:query['offset'] + size]
        total = len(items) + (total_delta(len(calls)) if total_delta else 0)
        return {'items': chunk, 'count': len(chunk), 'offset': query['offset'], 'total': total}
    return fetch, calls


def test_offset_paging_collects_everything_even_when_the_server_caps_the_page():
    fetch, calls = offset_server(ITEMS, cap=4)
    result = paginate_offset(fetch, 'GET x', 100)
    assert result.items == ITEMS and len(calls) == 3
    assert [call['offset'] for call in calls] == [0, 4, 8]


def test_offset_exact_multiple_costs_one_empty_page_and_no_warning():
    # A full page at the total could be followed by more (a total that is too low): one more page settles it.
    fetch, calls = offset_server(ITEMS)
    result = paginate_offset(fetch, 'GET x', 5)
    assert result.items == ITEMS and len(calls) == 3 and calls[-1]['offset'] == 10 and result.warnings == []


def test_offset_short_last_page_at_the_total_ends_without_an_extra_request():
    fetch, calls = offset_server(ITEMS)
    result = paginate_offset(fetch, 'GET x', 3)
    assert result.items == ITEMS and len(calls) == 4 and result.warnings == []


def test_offset_total_too_low_is_followed_while_pages_come_back_full_and_warned():
    fetch, calls = offset_server(ITEMS, total_delta=lambda _call: -6)  # says 4 of 10
    result = paginate_offset(fetch, 'GET x', 2)
    assert result.items == ITEMS and len(calls) == 6  # five full pages, then the empty one
    assert [w for w in result.warnings if 'after the reported total (4) was reached' in w
            and "The server's total is wrong" in w] and len(result.warnings) == 1, result.warnings


def test_offset_full_pages_past_the_total_forever_are_cut_off_at_the_cursor_bound():
    calls = []

    def fetch(query):  # a total of 4, and fresh full pages at every offset, forever
        calls.append(query)
        return {'items': [{'id': str(query['offset'] + n)} for n in range(2)], 'total': 4}
    result = paginate_offset(fetch, 'GET x', 2)
    bound = result.page_bound(2)
    assert bound == max(2 * 2, 2 + 10) and len(calls) == bound == result.pages
    assert any('stopped after %d pages: the server kept sending full pages past the total (total 4' % bound in w
               for w in result.warnings), result.warnings
    assert any('after the reported total (4) was reached' in w for w in result.warnings)


def test_offset_shrinking_total_ends_without_duplicates():
    fetch, _calls = offset_server(ITEMS, total_delta=lambda call: -3 if call > 1 else 0)
    result = paginate_offset(fetch, 'GET x', 4)
    assert len({item['id'] for item in result.items}) == len(result.items)
    assert any('total changed' in warning for warning in result.warnings)


def test_offset_without_total_stops_on_a_short_page():
    def fetch(query):
        return {'items': ITEMS[query['offset']:query['offset'] + query['limit']]}
    result = paginate_offset(fetch, 'GET x', 4)
    assert result.items == ITEMS and result.pages == 3


def test_a_server_that_never_ends_is_cut_off():
    counter = iter(range(10 ** 9))

    def fetch(query):
        number = next(counter)
        return {'items': [{'id': number}], 'next': str(number + 2)}
    result = paginate_next(fetch, 'GET x', 1)
    assert result.pages == MAX_PAGES and result.warnings


def test_offset_ignored_by_the_server_stops_on_the_repeated_page_with_a_warning():
    calls = []

    def fetch(query):  # serves the first page whatever the offset
        calls.append(query['offset'])
        return {'items': ITEMS[:4], 'total': len(ITEMS)}
    result = paginate_offset(fetch, 'GET x', 4)
    assert calls == [0, 4] and result.items == ITEMS[:4]
    assert any('only items already received' in warning for warning in result.warnings)


def test_new_cursor_serving_the_same_items_stops_with_a_warning():
    calls = []

    def fetch(query):  # a fresh cursor every time, but always the same page
        calls.append(query.get('next'))
        return {'items': ITEMS[:2], 'next': str(len(calls) + 1)}
    result = paginate_next(fetch, 'GET x', 2)
    assert calls == [None, '2'] and result.items == ITEMS[:2]
    assert any('only items already received' in warning for warning in result.warnings)
