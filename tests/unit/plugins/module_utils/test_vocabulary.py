"""One vocabulary: values in any case come out in the API's spelling; impossible ones fail with the valid list."""
import pytest

from ansible_collections.central.msp.plugins.module_utils import vocabulary as V


@pytest.mark.parametrize('value, allowed, expected', [
    ('offline', V.DEVICE_STATUSES, 'OFFLINE'),
    ('Online', V.DEVICE_STATUSES, 'ONLINE'),
    ('ap', V.DEVICE_TYPES, 'ACCESS_POINT'),
    ('access_point', V.DEVICE_TYPES, 'ACCESS_POINT'),
    ('Access Point', V.DEVICE_TYPES, 'ACCESS_POINT'),
    ('switch', V.DEVICE_TYPES, 'SWITCH'),
    ('critical', V.ALERT_SEVERITIES, 'Critical'),
    ('ACTIVE', V.ALERT_STATUSES, 'Active'),
    ('wireless', V.CONNECTION_TYPES, 'Wireless'),
    (' failed ', V.CLIENT_FILTER_STATUSES, 'Failed'),
])
def test_any_case_gives_the_api_spelling(value, allowed, expected):
    assert V.api_value(value, allowed, 'option') == expected


def test_a_value_that_cannot_exist_lists_the_valid_ones():
    with pytest.raises(ValueError) as err:
        V.api_value('offlne', V.DEVICE_STATUSES, 'status')
    assert str(err.value) == "status: 'offlne' is not a value the API knows; use one of online, offline (any case)."
    with pytest.raises(ValueError, match='critical, major, minor'):
        V.api_values(['critical', 'urgent'], V.ALERT_SEVERITIES, 'severity')


def test_lists_keep_order_and_drop_duplicates():
    assert V.api_values(['ap', 'ACCESS_POINT', 'gateway'], V.DEVICE_TYPES, 'device_type') == ['ACCESS_POINT', 'GATEWAY']


def test_health_counts_and_is_value():
    groups = [{'name': 'Good', 'value': 3}, {'name': 'Poor', 'value': 1}, {'name': 'Unknown', 'value': 9}]
    assert V.health_counts(groups) == {'good': 3, 'fair': 0, 'poor': 1}
    assert V.is_value('ACTIVE', 'Active') and not V.is_value(None, 'Active')
