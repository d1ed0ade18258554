"""Filter options become what each endpoint accepts: filter clauses where the contract allows them, client-side
matching where it does not, query parameters where the API wants them."""
import pytest

from ansible_collections.central.msp.plugins.module_utils import vocabulary as V
from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError
from ansible_collections.central.msp.plugins.module_utils.queries import Match, QueryParam, plan_list

DEVICE_OPTIONS = {'device_type': Match('deviceType', V.DEVICE_TYPES), 'status': Match('status', V.DEVICE_STATUSES),
                  'site': Match('siteName')}


def test_monitoring_filters_status_in_central():
    plan = plan_list('devices', {'device_type': ['ap', 'switch'], 'status': 'offline'}, DEVICE_OPTIONS)
    assert plan.queries == [{'filter': "deviceType in ('ACCESS_POINT', 'SWITCH') and status eq 'OFFLINE'"}]
    assert plan.local == {}


def test_inventory_cannot_filter_status_so_it_is_matched_on_the_items():
    plan = plan_list('device_inventory', {'device_type': ['ap'], 'status': 'offline'}, DEVICE_OPTIONS)
    assert plan.queries == [{'filter': "deviceType eq 'ACCESS_POINT'"}]
    items = [{'deviceType': 'ACCESS_POINT', 'status': 'OFFLINE'}, {'deviceType': 'ACCESS_POINT', 'status': 'ONLINE'}]
    assert plan.apply(items) == items[:1]


def test_alerts_severity_is_client_side_and_status_server_side():
    options = {'severity': Match('severity', V.ALERT_SEVERITIES), 'status': Match('status', V.ALERT_STATUSES)}
    plan = plan_list('alerts', {'severity': ['critical'], 'status': 'active'}, options, sort='createdAt desc')
    assert plan.queries == [{'filter': "status eq 'Active'", 'sort': 'createdAt desc'}]
    assert plan.local == {'severity': ('Critical',)}


def test_clients_site_is_a_query_parameter_read_once_per_site():
    options = {'site': QueryParam('site-name'), 'status': Match('status', V.CLIENT_FILTER_STATUSES)}
    plan = plan_list('clients', {'site': ['HQ', "Bistro d'Or"], 'status': ['connected', 'failed']}, options,
                     extra={'start-at': '2025-11-20T00:00:00Z', 'end-at': None})
    clause = "status in ('Connected', 'Failed')"
    assert plan.queries == [{'filter': clause, 'start-at': '2025-11-20T00:00:00Z', 'site-name': 'HQ'},
                            {'filter': clause, 'start-at': '2025-11-20T00:00:00Z', 'site-name': "Bistro d'Or"}]


def test_quotes_are_escaped_the_way_each_api_wants():
    central = plan_list('devices', {'site': "Bistro d'Or Lyon"}, DEVICE_OPTIONS).queries[0]['filter']
    assert central == "siteName eq 'Bistro d\\'Or Lyon'"
    glp = plan_list('msp_tenants', {'name': "Bistro d'Or"}, {'name': Match('workspaceName')}).queries[0]['filter']
    assert glp == "workspaceName eq 'Bistro d''Or'"


def test_list_tenants_takes_in_only_for_device_ownership():
    options = {'name': Match('tenantName'), 'ownership': Match('deviceOwnership', V.DEVICE_OWNERSHIP)}
    plan = plan_list('central_tenants', {'name': ['A', 'B'], 'ownership': 'tenant'}, options)
    assert plan.queries == [{'filter': "deviceOwnership in ('TENANT')"}] and plan.local == {'tenantName': ('A', 'B')}


def test_raw_filters_join_with_and():
    assert plan_list('devices', {'status': 'online'}, DEVICE_OPTIONS, "model eq 'AP-635'").queries == [
        {'filter': "status eq 'ONLINE' and model eq 'AP-635'"}]
    assert plan_list('glp_devices', {}, {}, "a eq 1 or b eq 2").queries == [{'filter': 'a eq 1 or b eq 2'}]


def test_an_impossible_value_fails_with_the_valid_ones():
    with pytest.raises(CentralMspError, match="status: 'offlne' is not a value the API knows; use one of online, offline"):
        plan_list('devices', {'status': 'offlne'}, DEVICE_OPTIONS)
