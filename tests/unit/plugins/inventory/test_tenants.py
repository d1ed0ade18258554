"""The tenants inventory plugin's pure parts: host names, name filters, default groups, cache keys."""

import pytest

from ansible_collections.central.msp.plugins.inventory.tenants import (
    InventoryModule, default_groups, name_selected, safe_hostname, tenant_hostnames)
from ansible_collections.central.msp.plugins.module_utils.settings import resolve_settings


def tenant(name, number, created_at=None):
    return {'name': name, 'workspace_id': '%08x-0000-4000-8000-%012x' % (number, number), 'created_at': created_at}


@pytest.mark.parametrize('name, expected', [
    ('Acme Retail Group', 'Acme_Retail_Group'),
    ("Bistro d'Or", 'Bistro_d_Or'),
    ('Z\u00fcrich Kliniken', 'Z\u00fcrich_Kliniken'),
    ('M\u00fcller & S\u00f6hne', 'M\u00fcller_S\u00f6hne'),
    ('Cafe\u0301 Nord', 'Caf\u00e9_Nord'),  # decomposed accent: NFC, same host as the composed spelling
    ('{{ lookup("pipe", "id") }}', 'lookup_pipe_id'),
    ('web[1:3],db!*', 'web_1_3_db'),
    ('  ', ''),
])
def test_safe_hostname(name, expected):
    assert safe_hostname(name) == expected


def test_unique_names_are_kept():
    records = [tenant('Acme', 1), tenant('Bistro', 2)]
    assert tenant_hostnames(records) == ['Acme', 'Bistro']


def test_the_first_created_tenant_keeps_the_plain_name():
    records = [tenant('Acme Retail', 1, '2024-05-01'), tenant('Acme-Retail', 2), tenant('Acme  Retail!', 3, '2023-01-01'),
               tenant('Acme Retail', 4, '2025-01-01')]
    names = tenant_hostnames(records)
    assert names == ['Acme_Retail_00000001', 'Acme-Retail', 'Acme_Retail', 'Acme_Retail_00000004']
    # The same names whatever order the API lists the tenants in.
    assert tenant_hostnames(records[::-1]) == names[::-1]


def test_an_existing_host_keeps_its_name_when_a_namesake_appears():
    before = [tenant('Northwind', 1, '2024-01-01'), tenant('Bistro', 2, '2024-02-01')]
    assert tenant_hostnames(before) == ['Northwind', 'Bistro']
    after = before + [tenant('Northwind', 3, '2025-11-20')]
    assert tenant_hostnames(after) == ['Northwind', 'Bistro', 'Northwind_00000003']
    assert tenant_hostnames(after[::-1]) == ['Northwind_00000003', 'Bistro', 'Northwind']


def test_clash_on_the_short_id_falls_back_to_the_full_id():
    records = [{'name': 'Twin', 'workspace_id': '00000001-0000-4000-8000-00000000000a', 'created_at': '2024'},
               {'name': 'Twin', 'workspace_id': '00000001-0000-4000-8000-00000000000b', 'created_at': '2025'},
               {'name': 'Twin', 'workspace_id': '00000001-0000-4000-8000-00000000000c', 'created_at': '2025'}]
    assert tenant_hostnames(records) == ['Twin', 'Twin_0000000100004000800000000000000b',
                                         'Twin_0000000100004000800000000000000c']


def test_nameless_tenant_is_named_by_workspace_id():
    record = tenant('!!!', 7)
    assert tenant_hostnames([record]) == [record['workspace_id']]


def test_workspace_id_hostnames():
    records = [tenant('Acme', 1), tenant('Acme', 2)]
    assert tenant_hostnames(records, 'workspace_id') == [records[0]['workspace_id'], records[1]['workspace_id']]


@pytest.mark.parametrize('include, exclude, selected', [
    ([], [], True),
    (['Acme*'], [], True),
    (['Bistro*'], [], False),
    ([], ['*Retail*'], False),
    (['Acme*'], ['*Group'], False),
    (['acme*'], [], False),  # globs are case-sensitive
])
def test_name_selected(include, exclude, selected):
    assert name_selected('Acme Retail Group', include, exclude) is selected


@pytest.mark.parametrize('record, groups', [
    ({'central_provisioned': True, 'sites_degraded': 0}, ['central_provisioned']),
    ({'central_provisioned': True, 'sites_degraded': 2}, ['central_provisioned', 'degraded']),
    ({'central_provisioned': False, 'sites_degraded': None}, ['central_not_provisioned']),
    ({'central_provisioned': None, 'sites_degraded': None}, []),  # Central did not answer: unknown
])
def test_default_groups(record, groups):
    assert default_groups(record) == groups


def cache_key(secret='s3cret-value', client_id='client-1', workspace='1' * 32, **options):
    plugin = InventoryModule()
    defaults = dict(with_central=True, with_device_counts=False, include=[], exclude=[])
    defaults.update(options)
    plugin.get_option = defaults.get
    settings = resolve_settings(dict(client_id=client_id, client_secret=secret, workspace_id=workspace,
                                     base_url='https://us5.api.central.arubanetworks.com'))
    return plugin._cache_key('/inv/tenants.central_msp.yml', settings)


def test_cache_key_differs_per_credential_workspace_and_fetch_options():
    keys = {cache_key(), cache_key(secret='rotated'), cache_key(client_id='client-2'),
            cache_key(workspace='2' * 32), cache_key(with_device_counts=True), cache_key(exclude=['Lab*'])}
    assert len(keys) == 6
    assert cache_key() == cache_key()


def test_cache_key_never_holds_the_secret():
    key = cache_key()
    assert 's3cret' not in key and 'client-1' not in key
