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


def test_next_cursor_stops_when_total_is_reached_even_if_next_is_set():
    def fetch(query):
        return {'items': ITEMS, 'total': 10, 'next': '2'}
    result = paginate_next(fetch, 'GET x', 100)
    assert result.pages == 1 and len(result.items) == 10


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


def test_offset_exact_multiple_needs_no_extra_page():
    fetch, calls = offset_server(ITEMS)
    assert paginate_offset(fetch, 'GET x', 5).items == ITEMS and len(calls) == 2


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
