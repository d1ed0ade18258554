"""The runner every module shares: env fallbacks from a given environment, results and typed failures,
no_log masking, and the tenant_*_info task raising TaskFailed instead of calling fail_json."""

import pytest

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.central.msp.plugins.module_utils import runner
from ansible_collections.central.msp.plugins.module_utils.errors import ApiError, CentralMspError, TaskFailed
from ansible_collections.central.msp.plugins.module_utils.module import (
    collect_tenant_items, share_repeated_values, tenant_list_spec)
from ansible_collections.central.msp.plugins.module_utils.paging import PagedResult
from ansible_collections.central.msp.plugins.module_utils.runner import (
    Task, TaskSpec, connection_argument_spec, env_fallback_spec, mask_no_log, nonempty_env_fallback)

SECRET = 'the-secret-7c1e'
MASKED = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_fallback_reads_the_environment_it_is_given(monkeypatch):
    monkeypatch.setenv('GLP_CLIENT_ID', 'from-process')
    assert nonempty_env_fallback('GLP_CLIENT_ID', environ={'GLP_CLIENT_ID': 'from-task'}) == 'from-task'


def test_fallback_without_an_environment_reads_the_process(monkeypatch):
    monkeypatch.setenv('GLP_CLIENT_ID', 'from-process')
    assert nonempty_env_fallback('GLP_CLIENT_ID') == 'from-process'


def test_fallback_takes_the_first_nonempty_name():
    assert nonempty_env_fallback('A', 'B', environ={'A': '', 'B': 'b'}) == 'b'


def test_fallback_with_nothing_set_is_not_found():
    with pytest.raises(AnsibleFallbackNotFound):
        nonempty_env_fallback('A', environ={'A': ''})


def test_connection_spec_applies_the_given_environment(monkeypatch):
    monkeypatch.setenv('GLP_CLIENT_SECRET', 'process-secret')
    spec = connection_argument_spec({'GLP_CLIENT_SECRET': SECRET})
    validation = ArgumentSpecValidator(spec).validate({})
    assert validation.validated_parameters['client_secret'] == SECRET


def test_a_secret_from_the_environment_is_a_no_log_value():
    validation = ArgumentSpecValidator(connection_argument_spec({'GLP_CLIENT_SECRET': SECRET})).validate({})
    assert SECRET in validation._no_log_values


def spec(work, **options):
    return TaskSpec(options, work)


def test_execute_reports_no_change_by_default():
    assert spec(lambda task: {'count': 1}).execute(Task({})) == (False, {'count': 1, 'changed': False})


def test_execute_keeps_a_change_the_work_reports():
    assert spec(lambda task: {'changed': True}).execute(Task({})) == (False, {'changed': True})


def test_execute_turns_an_error_into_a_failure_with_its_fields():
    def work(task):
        raise ApiError('GET central x', status=404, error_code='NOT_FOUND')
    failed, result = spec(work).execute(Task({}))
    assert failed is True
    assert result == {'msg': 'GET central x failed: HTTP 404 NOT_FOUND', 'call': 'GET central x', 'status': 404,
                      'error_code': 'NOT_FOUND'}


def test_execute_returns_the_data_of_a_task_failure():
    def work(task):
        raise TaskFailed('2 of 3 tenants failed', {'count': 4, 'changed': False})
    assert spec(work).execute(Task({})) == (True, {'msg': '2 of 3 tenants failed', 'count': 4, 'changed': False})


def test_execute_lets_other_exceptions_through():
    def work(task):
        raise KeyError('bug')
    with pytest.raises(KeyError):
        spec(work).execute(Task({}))


def test_the_argument_spec_adds_the_connection_options():
    assert set(spec(None, limit=dict(type='int')).argument_spec()) == set(connection_argument_spec()) | {'limit'}


def test_task_builds_its_client_once():
    made = []
    task = Task({}, client_factory=lambda t: made.append(t) or object())
    assert task.client is task.client
    assert len(made) == 1


def test_task_collects_warnings_as_text():
    task = Task({})
    task.warn(ValueError('careful'))
    assert task.warnings == ['careful']


def test_mask_returns_a_result_without_no_log_values_as_it_is():
    result = {'items': [{'name': 'a'}]}
    assert mask_no_log(result, {SECRET}) is result


def test_mask_replaces_a_value_equal_to_a_secret():
    assert mask_no_log({'items': [{'name': SECRET}]}, {SECRET}) == {'items': [{'name': MASKED}]}


def test_mask_replaces_a_secret_inside_a_value():
    assert mask_no_log({'msg': 'sent %s!' % SECRET}, {SECRET}) == {'msg': 'sent ********!'}


def test_mask_keeps_top_level_booleans_and_none():
    assert mask_no_log({'changed': False, 'x': None, 'y': 'True'}, {'True'}) == {
        'changed': False, 'x': None, 'y': MASKED}


def test_mask_finds_a_secret_that_json_would_escape():
    secret = 'quo"te\\'
    assert mask_no_log({'msg': 'a %s b' % secret}, {secret}) == {'msg': 'a ******** b'}


def test_mask_finds_a_secret_in_a_key_free_result_of_any_depth():
    assert mask_no_log({'a': [{'b': [{'c': 'x%sx' % SECRET}]}]}, {SECRET}) == {'a': [{'b': [{'c': 'x********x'}]}]}


def test_a_part_scanned_clean_is_left_out_of_the_final_scan(monkeypatch):
    task = Task({}, no_log_values={SECRET})
    devices = task.scanned([{'name': 'a'}])
    assert task.clean_parts == {id(devices): devices}
    result = {'tenants': [{'devices': devices, 'msg': ''}]}
    searched = []
    original = runner._holds_none
    monkeypatch.setattr(runner, '_holds_none', lambda value, values: searched.append(value) or original(value, values))
    assert mask_no_log(result, {SECRET}, task.clean_parts) is result
    assert searched == [{'tenants': [{'devices': None, 'msg': ''}]}]


def test_a_part_holding_a_secret_is_not_marked_clean_and_is_masked():
    task = Task({}, no_log_values={SECRET})
    devices = task.scanned([{'name': 'echoed %s' % SECRET}])
    assert task.clean_parts == {}
    assert mask_no_log({'tenants': [{'devices': devices}]}, {SECRET}, task.clean_parts) == {
        'tenants': [{'devices': [{'name': 'echoed ********'}]}]}


def test_a_secret_outside_the_clean_parts_is_still_masked():
    task = Task({}, no_log_values={SECRET})
    devices = task.scanned([{'name': 'a'}])
    assert mask_no_log({'tenants': [{'devices': devices, 'msg': 'got %s' % SECRET}]}, {SECRET},
                       task.clean_parts) == {'tenants': [{'devices': [{'name': 'a'}], 'msg': 'got ********'}]}


def test_nothing_is_marked_clean_without_no_log_values_or_when_json_would_escape_one():
    # The module path masks with exit_json and gives no values; an escaped value is found by remove_values only.
    for values in ((), {'quo"te'}):
        task = Task({}, no_log_values=values)
        task.scanned([{'name': 'a'}])
        assert task.clean_parts == {}


def test_repeated_values_become_one_string_across_tenants_and_nothing_changes_value():
    shared = {}
    # Strings made at run time, as json.loads makes them: equal, but separate objects.
    online = ''.join(['ON', 'LINE'])
    first = share_repeated_values([{'status': online, 'n': 1, 'long': ''.join(['x'] * 65)}], shared)
    second = share_repeated_values([{'status': ''.join(['ONL', 'INE']), 'n': 1, 'long': ''.join(['x'] * 65)},
                                    'not an item'], shared)
    assert first[0] == second[0] == {'status': 'ONLINE', 'n': 1, 'long': 'x' * 65}
    assert first[0]['status'] is second[0]['status']
    assert first[0]['long'] is not second[0]['long']  # long values (free text) are left alone
    assert second[1] == 'not an item'


def test_each_tenants_items_share_values_and_are_scanned_as_they_are_read():
    task = Task({'all_tenants': True, 'concurrency': 4}, no_log_values={SECRET})
    task._client = FakeClient({'t%d' % index: [{'status': ''.join(['ON', 'LINE'])}] for index in range(3)})
    result = collect_tenant_items(task, 'devices', lambda client, workspace_id: client.get_all('x', workspace_id).items)
    statuses = [entry['devices'][0]['status'] for entry in result['tenants']]
    assert statuses == ['ONLINE'] * 3
    assert len({id(status) for status in statuses}) == 1
    assert set(task.clean_parts) == {id(entry['devices']) for entry in result['tenants']}


class FakeClient:
    """resolve_tenants and for_each_tenant of MspClient, over a fixed answer per tenant."""

    def __init__(self, answers):
        self.answers = answers

    def resolve_tenants(self, names_or_ids=None, everyone=False):
        return [{'name': name, 'workspace_id': 'id-' + name} for name in self.answers]

    def resolve_tenant(self, name=None, workspace_id=None):
        return {'name': name, 'workspace_id': 'id-' + name}

    def for_each_tenant(self, tenants, work, concurrency=8):
        entries = []
        for tenant in tenants:
            entry = {'name': tenant['name'], 'workspace_id': tenant['workspace_id'], 'failed': False, 'msg': ''}
            try:
                entry['result'] = work(tenant)
            except CentralMspError as exc:
                entry.update(failed=True, msg=str(exc), result=None)
            entries.append(entry)
        return entries

    def get_all(self, endpoint, workspace_id, params=None, limit=None):
        answer = self.answers[workspace_id[3:]]
        if isinstance(answer, Exception):
            raise answer
        paged = PagedResult()
        paged.items = list(answer)
        return paged


def many_task(answers, **params):
    values = dict(tenant=None, tenant_workspace_id=None, tenants=None, all_tenants=True, concurrency=8,
                  allow_partial=False, filter=None, sort=None, fields=None, limit=100)
    values.update(params)
    return Task(values, client_factory=lambda task: FakeClient(answers))


def fetch(client, workspace_id):
    return client.get_all('devices', workspace_id).items


def test_a_failed_tenant_raises_task_failed():
    with pytest.raises(TaskFailed, match=r'1 of 2 tenants failed: b \(id-b\): nope'):
        collect_tenant_items(many_task({'a': [{'k': 1}], 'b': CentralMspError('nope')}), 'devices', fetch)


def test_task_failed_carries_the_other_tenants_data():
    with pytest.raises(TaskFailed) as caught:
        collect_tenant_items(many_task({'a': [{'k': 1}], 'b': CentralMspError('nope')}), 'devices', fetch)
    assert caught.value.to_result()['tenants'][0]['devices'] == [{'k': 1}]


def test_allow_partial_warns_instead():
    task = many_task({'a': [{'k': 1}], 'b': CentralMspError('nope')}, allow_partial=True)
    result = collect_tenant_items(task, 'devices', fetch)
    assert result['failed_tenants'] == 1
    assert task.warnings == ['1 of 2 tenants failed: b (id-b): nope']


def test_no_tenant_chosen_is_an_error():
    with pytest.raises(CentralMspError, match='Choose the tenants'):
        collect_tenant_items(many_task({}, all_tenants=False), 'devices', fetch)


def test_one_tenant_gives_its_items_and_count():
    task = many_task({'a': [{'k': 1}, {'k': 2}]}, all_tenants=False, tenant='a')
    assert collect_tenant_items(task, 'devices', fetch) == {
        'tenant': {'name': 'a', 'workspace_id': 'id-a'}, 'devices': [{'k': 1}, {'k': 2}], 'count': 2}


def test_the_list_task_warns_about_a_field_no_item_has():
    task = many_task({'a': [{'serialNumber': 'S1'}]}, all_tenants=False, tenant='a', fields=['serialNumber', 'serial'])
    tenant_list_spec('devices', 'devices', {}, {}).work(task)
    assert task.warnings == ["fields: no item has serial; the keys are the API's field names, here: serialNumber."]


def test_the_list_task_keeps_only_the_chosen_fields():
    task = many_task({'a': [{'serialNumber': 'S1', 'model': 'AP'}]}, all_tenants=False, tenant='a',
                     fields=['serialNumber'])
    assert tenant_list_spec('devices', 'devices', {}, {}).work(task)['devices'] == [{'serialNumber': 'S1'}]


def test_a_spec_may_bring_its_own_connection_options():
    own = TaskSpec({'name': dict(type='str')}, lambda task: {},
                   connection_options=lambda environ: {'token': dict(type='str', no_log=True)})
    assert sorted(own.argument_spec()) == ['name', 'token']


def test_a_spec_without_its_own_connection_options_has_the_glp_ones():
    assert set(connection_argument_spec()) <= set(spec(lambda task: {}).argument_spec())


def test_the_task_of_a_spec_builds_the_spec_s_client():
    own = TaskSpec({}, lambda task: {}, client_factory=lambda task: ('client for', task.params['name']))
    assert own.new_task({'name': 'x'}).client == ('client for', 'x')


def test_env_fallback_spec_leaves_out_the_options_named():
    built = env_fallback_spec({'a': (dict(type='str'), ['A']), 'b': (dict(type='str'), ['B'])}, without=('b',))
    assert [name for name, entry in built.items() if 'fallback' in entry] == ['a']


def test_a_part_written_elsewhere_is_masked_as_the_result_would_be():
    # tenant_overview_info writes each tenant's part of the reports before the result exists: Task.masked gives
    # that part as mask_no_log would leave it in the result.
    clean = {'name': 'Acme', 'devices': [{'serialNumber': 'CN1'}]}
    task = Task({}, no_log_values=['s3cret', ''])
    assert task.masked(clean) is clean
    masked = task.masked({'name': 'Echo s3cret', 'devices': [{'deviceName': 'ap-s3cret'}]})
    assert masked == {'name': 'Echo ********', 'devices': [{'deviceName': 'ap-********'}]}
    # A value that JSON would escape cannot be searched for in JSON text: masked the long way, all the same.
    quoted = Task({}, no_log_values=['a"b'])
    assert quoted.masked({'name': 'x a"b'}) == {'name': 'x ********'}
    assert Task({}).masked(clean) is clean
