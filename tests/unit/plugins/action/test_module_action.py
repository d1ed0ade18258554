"""The action plugin behind every module: when it runs the module instead, and what it returns when it runs the
task itself (validation messages, the task's environment, check mode, warnings, failures, no_log masking)."""

import os
from unittest import mock

import pytest

from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task as PlaybookTask
from ansible.template import Templar

from ansible_collections.central.msp.plugins.module_utils import runner
from ansible_collections.central.msp.plugins.module_utils.errors import TaskFailed
from ansible_collections.central.msp.plugins.plugin_utils.module_action import ModuleAction
from ansible_collections.central.msp.plugins.action.tenant_device_info import ActionModule as DeviceAction

MODULES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'modules')
SECRET = 'the-secret-7c1e'
MASKED = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def seen_work(task):
    """A stand-in module's work: what it was given, a warning, a failure when asked."""
    task.warn('careful')
    if task.params['fail']:
        raise TaskFailed('it failed', {'count': 3})
    return {'client_id': task.params['client_id'], 'secret_seen': task.params['client_secret'],
            'check_mode': task.check_mode, 'echo': 'has %s inside' % task.params['client_secret']}


SPEC = runner.TaskSpec(dict(fail=dict(type='bool', default=False), tenant=dict(type='str'),
                            all_tenants=dict(type='bool', default=False)), seen_work,
                       mutually_exclusive=[['tenant', 'all_tenants']])


class StandIn(ModuleAction):
    @classmethod
    def task_spec(cls):
        return SPEC


def action(args=None, environment=None, check_mode=False, async_val=0, become=False, transport='local',
           cls=StandIn):
    task = mock.MagicMock(spec=PlaybookTask)
    task.args = dict(args or {})
    task.action = 'central.msp.stand_in'
    task.environment = environment
    task.check_mode = check_mode
    task.async_val = async_val
    play_context = PlayContext()
    play_context.become = become
    connection = mock.MagicMock()
    connection.transport = transport
    connection._shell.tmpdir = None
    connection._shell.env_prefix.return_value = ''
    templar = Templar(loader=DataLoader())
    return cls(task, connection, play_context, DataLoader(), templar, mock.MagicMock())


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith(('GLP_', 'CENTRAL_', 'CLASSIC_')):
            monkeypatch.delenv(name)
    monkeypatch.setenv('GLP_CLIENT_ID', 'process-id')
    monkeypatch.setenv('GLP_CLIENT_SECRET', SECRET)


def run(plugin, task_vars=None):
    with mock.patch.object(plugin, '_run_module', return_value={'ran': 'module'}):
        return plugin.run(task_vars=task_vars or {})


def test_the_module_is_found_by_the_plugin_file_name():
    assert DeviceAction.module_short_name() == 'tenant_device_info'


def test_the_spec_is_the_module_files_task():
    from ansible_collections.central.msp.plugins.modules.tenant_device_info import TASK
    assert DeviceAction.task_spec() is TASK


# Not on the TaskSpec path: the overview writer's action plugin is the whole work (the module file documents it).
OWN_PATH = {'msp_overview_report'}


def is_on_task_path(name):
    return name not in OWN_PATH


def test_every_module_has_an_action_plugin_of_its_name():
    from importlib import import_module
    names = sorted(name[:-3] for name in os.listdir(MODULES) if name.endswith('.py'))
    assert 'msp_tenant' in names and 'classic_api_call' in names
    for name in filter(is_on_task_path, names):
        plugin = import_module('ansible_collections.central.msp.plugins.action.%s' % name).ActionModule
        assert plugin.task_spec() is import_module('ansible_collections.central.msp.plugins.modules.%s' % name).TASK


def test_a_local_task_runs_here():
    assert action().module_reason({}) is None


def test_async_runs_the_module():
    assert action(async_val=30).module_reason({}) == 'async'


def test_become_runs_the_module():
    assert action(become=True).module_reason({}) == 'become'


def test_a_remote_connection_runs_the_module():
    assert action(transport='ssh').module_reason({}) == 'connection ssh'


def test_the_variable_asks_for_the_module():
    assert action().module_reason({'central_msp_execution': 'module'}) == 'central_msp_execution'


def test_the_variable_may_say_controller():
    assert action().module_reason({'central_msp_execution': 'Controller'}) is None


def test_a_wrong_variable_value_fails_the_task():
    result = run(action(), {'central_msp_execution': 'elsewhere'})
    assert result['msg'] == "central_msp_execution must be one of controller, module, not 'elsewhere'."


def test_the_fallback_result_is_the_modules():
    assert run(action(transport='ssh')) == {'ran': 'module'}


def test_options_come_from_the_process_environment():
    assert run(action())['client_id'] == 'process-id'


def test_the_tasks_environment_wins_over_the_process():
    assert run(action(environment=[{'GLP_CLIENT_ID': 'task-id'}]))['client_id'] == 'task-id'


def test_an_empty_variable_in_the_tasks_environment_counts_as_unset():
    assert run(action(environment=[{'GLP_CLIENT_ID': ''}]))['client_id'] is None


def test_an_explicit_option_wins_over_the_environment():
    assert run(action({'client_id': 'explicit'}, environment=[{'GLP_CLIENT_ID': 'task-id'}]))['client_id'] == 'explicit'


def test_check_mode_reaches_the_work():
    assert run(action(check_mode=True))['check_mode'] is True


def test_warnings_are_returned():
    assert run(action())['warnings'] == ['careful']


def test_changed_is_false_by_default():
    assert run(action())['changed'] is False


def test_a_failure_keeps_its_data():
    result = run(action({'fail': True}))
    assert (result['failed'], result['msg'], result['count']) == (True, 'it failed', 3)


def test_the_secret_is_masked_in_the_invocation():
    assert run(action())['invocation']['module_args']['client_secret'] == MASKED


def test_the_secret_is_masked_in_the_result():
    assert run(action())['secret_seen'] == MASKED


def test_the_secret_is_masked_inside_a_value():
    assert run(action())['echo'] == 'has ******** inside'


def test_an_unsupported_option_is_named_as_the_module_does():
    result = run(action({'colour': 'blue'}))
    assert result['msg'].startswith('Unsupported parameters for (central.msp.stand_in) module: colour.')


def test_mutually_exclusive_options_fail():
    assert run(action({'tenant': 'a', 'all_tenants': True}))['msg'] == \
        'parameters are mutually exclusive: tenant|all_tenants'


def test_a_wrong_type_fails():
    assert 'fail' in run(action({'fail': 'perhaps'}))['msg']


def test_a_validation_failure_masks_the_secret_too():
    result = run(action({'colour': 'blue', 'client_secret': SECRET}))
    assert result['invocation']['module_args']['client_secret'] == MASKED


def test_without_requests_the_task_says_where_to_install_it(monkeypatch):
    monkeypatch.setattr(runner, 'HAS_REQUESTS', False)
    result = run(action())
    assert 'requests is required in the Python that runs Ansible on the controller' in result['msg']


def test_importing_the_plugin_opens_nothing():
    """Plugins are imported before Ansible forks its workers: no client, session or file at import time."""
    import importlib
    import sys
    with mock.patch('requests.Session', side_effect=AssertionError('opened at import time')), \
            mock.patch('builtins.open', side_effect=AssertionError('opened at import time')):
        for name in [name for name in sys.modules if name.startswith('ansible_collections.central.msp.plugins.action')]:
            importlib.reload(sys.modules[name])
        importlib.reload(sys.modules['ansible_collections.central.msp.plugins.plugin_utils.module_action'])


def test_arguments_reach_the_work_as_plain_types():
    from ansible_collections.central.msp.plugins.plugin_utils.module_action import plain

    class YamlText(str):
        pass
    converted = plain({YamlText('k'): (YamlText('v'), {'n': 1})})
    assert [type(key) for key in converted] + [type(converted['k'][0])] == [str, str]


def test_tuples_become_lists_as_in_json():
    from ansible_collections.central.msp.plugins.plugin_utils.module_action import plain
    assert plain({'a': (1, 2)}) == {'a': [1, 2]}


def classic_seen_work(task):
    """A stand-in Classic module's work: what it was given, and which client its task builds."""
    return {'client_id': task.params['client_id'], 'secret_seen': task.params['client_secret'],
            'client_kind': type(task.client).__name__}


class ClassicStandIn(ModuleAction):
    @classmethod
    def task_spec(cls):
        from ansible_collections.central.msp.plugins.module_utils.classic_module import classic_task_spec
        return classic_task_spec({}, classic_seen_work)


def classic_run(args=None, environment=None):
    environment = [dict({'CLASSIC_CENTRAL_CLIENT_ID': 'classic-id', 'CLASSIC_CENTRAL_CLIENT_SECRET': SECRET,
                         'CLASSIC_CENTRAL_CUSTOMER_ID': '0' * 32, 'CLASSIC_CENTRAL_BASE_URL': 'https://gw.example.com'},
                        **(environment or {}))]
    return run(action(args, environment=environment, cls=ClassicStandIn))


def test_a_classic_task_takes_the_classic_options_from_the_tasks_environment():
    assert classic_run()['client_id'] == 'classic-id'


def test_a_classic_task_has_no_glp_options():
    assert 'workspace_id' not in classic_run()['invocation']['module_args']


def test_a_classic_task_gets_the_classic_client():
    assert classic_run()['client_kind'] == 'ClassicClient'


def test_a_classic_secret_from_the_tasks_environment_is_masked_in_the_invocation():
    assert classic_run()['invocation']['module_args']['client_secret'] == MASKED


def test_a_classic_secret_is_masked_in_the_result():
    assert classic_run()['secret_seen'] == MASKED


def test_an_empty_classic_variable_counts_as_unset():
    assert classic_run(environment={'CLASSIC_CENTRAL_CLIENT_ID': ''})['msg'].startswith('Missing client_id for Classic')
