"""tenant_site_info's flat counts: Central's nested health groups, and data of the wrong type refused by name."""

import pytest

from ansible_collections.central.msp.plugins.module_utils.errors import DataError
from ansible_collections.central.msp.plugins.modules.tenant_site_info import flatten_site

SITE = {
    'id': '30001', 'siteName': 'Acme HQ',
    'health': {'groups': [{'name': 'Good', 'value': 89}, {'name': 'Fair', 'value': 11}]},
    'devices': {'count': 9, 'health': {'groups': [{'name': 'Good', 'value': 8}, {'name': 'Poor', 'value': 1}]}},
    'clients': {'count': 120, 'health': {'groups': [{'name': 'Good', 'value': 120}]}},
    'alerts': {'totalCount': 2, 'groups': [{'name': 'Major', 'count': 1}, {'name': 'Minor', 'count': 1}]},
}


def test_flat_counts_come_from_the_nested_groups():
    flat = flatten_site(SITE)
    assert (flat['health_good'], flat['health_fair'], flat['health_poor']) == (89, 11, 0)
    assert (flat['devices_total'], flat['devices_good'], flat['devices_poor']) == (9, 8, 1)
    assert (flat['alerts_total'], flat['alerts_critical'], flat['alerts_major']) == (2, 0, 1)
    assert flatten_site({'id': '1'})['devices_total'] == 0  # absent: 0, as documented


@pytest.mark.parametrize('change, fragment', [
    ({'health': 'good'}, 'health of the wrong type (str'),
    ({'health': {'groups': 'Good'}}, 'health.groups of the wrong type (str'),
    ({'health': {'groups': ['Good']}}, 'health.groups[] of the wrong type (str'),
    ({'devices': {'count': '9'}}, 'devices.count of the wrong type (str'),
    ({'devices': [9]}, 'devices of the wrong type (list'),
    ({'alerts': {'groups': [{'name': 'Major', 'count': 'one'}]}}, 'alerts.groups[major].count of the wrong type'),
    ({'clients': {'health': {'groups': [{'name': 'Poor', 'value': True}]}}}, 'clients.health.groups[poor].value'),
])
def test_health_fields_of_the_wrong_type_are_a_data_error_naming_the_site_and_field(change, fragment):
    with pytest.raises(DataError) as info:
        flatten_site(dict(SITE, **change))
    assert "Central sent site 'Acme HQ' with " in str(info.value) and fragment in str(info.value)
