# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin behind every central.msp module: run the module's TaskSpec in the controller.

A module process per task and host costs about ten times the API work of a read (Python start-up, AnsiballZ,
imports, JSON both ways); the worker process that Ansible forks for the task is already there. So the action
plugin of a module's name validates the task's options against the module's own argument_spec and runs its
work in the worker, with what the module path has: env fallbacks (the task's ``environment:`` included),
module_defaults (applied by Ansible before the action runs), check mode, warnings, failures with their data and
no_log masking.

It runs the module instead when the work must happen elsewhere: ``async``, ``become``, or a connection that is
not local (``delegate_to`` a remote host). The variable ``central_msp_execution: module`` asks for the module
too. docs/execution.md says how to add a module.

Nothing is opened at import time: plugins are imported before Ansible forks its workers.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.central.msp.plugins.module_utils import runner

EXECUTION_VAR = 'central_msp_execution'
EXECUTIONS = ('controller', 'module')
LOCAL_CONNECTIONS = ('local', 'ansible.builtin.local')
MODULES_PACKAGE = 'ansible_collections.central.msp.plugins.modules'


def plain(value):
    """Task arguments as a module receives them after their JSON trip: plain str, dict and list (no YAML string
    types, no data tags), so validation messages and results read the same on both paths."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return value.decode('utf-8', errors='surrogateescape')
    if isinstance(value, Mapping):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(item) for item in value]
    return value


class ModuleAction(ActionBase):
    """Subclass it as ``ActionModule`` in plugins/action/<module>.py: the module is found by the file's name."""

    _supports_check_mode = True
    _supports_async = True
    TRANSFERS_FILES = False

    @classmethod
    def module_short_name(cls):
        return cls.__module__.rsplit('.', 1)[-1]

    @classmethod
    def task_spec(cls):
        return importlib.import_module('%s.%s' % (MODULES_PACKAGE, cls.module_short_name())).TASK

    def module_reason(self, task_vars):
        """Why this task must run the module rather than the controller-side runner; None if it need not."""
        if self._task.async_val:
            return 'async'
        if self._play_context.become:
            return 'become'
        transport = getattr(self._connection, 'transport', None)
        if transport not in LOCAL_CONNECTIONS:
            return 'connection %s' % transport
        choice = str(self._templar.template(task_vars.get(EXECUTION_VAR, 'controller'))).strip().lower()
        if choice not in EXECUTIONS:
            raise ValueError('%s must be one of %s, not %r.' % (EXECUTION_VAR, ', '.join(EXECUTIONS), choice))
        return 'central_msp_execution' if choice == 'module' else None

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp
        try:
            reason = self.module_reason(task_vars)
        except ValueError as exc:
            return dict(result, failed=True, msg=str(exc))
        if reason:
            result = self._run_module(result, task_vars)
        else:
            result = merge_hash(result, self._run_here())
        if not result.get('failed') and isinstance((result.get('invocation') or {}).get('module_args'), dict):
            self.on_controller(result, result['invocation']['module_args'])
        return result

    def on_controller(self, result, params):
        """What the action adds to a successful result in the controller, whichever path ran the work (``params``:
        the validated options, no_log values masked). Nothing by default."""

    def prepare_task(self, task):
        """What the action sets on the controller-side task before its work runs (a record sink, say); returns a
        message when the task cannot run. Nothing by default."""

    def _run_module(self, result, task_vars):
        """What ansible.builtin.normal does: transfer and run the module on the task's host."""
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run_here(self):
        spec = self.task_spec()
        task_environment = {}
        self._compute_environment_string(task_environment)
        environ = dict(os.environ, **{str(key): str(value) for key, value in task_environment.items()})
        validation = ArgumentSpecValidator(spec.argument_spec(environ),
                                           mutually_exclusive=spec.mutually_exclusive).validate(plain(self._task.args))
        params = validation.validated_parameters
        no_log_values = validation._no_log_values  # pylint: disable=protected-access  # AnsibleModule reads it too
        # The invocation holds the secret itself (given or from the environment): masked on its own, so that
        # mask_no_log can skip copying a big result in which no no_log value occurs.
        invocation = remove_values({'module_args': params}, no_log_values)
        if validation.error_messages:
            message = validation.errors.msg
            if isinstance(validation.errors[0], UnsupportedError):
                message = 'Unsupported parameters for (%s) module: %s' % (self._task.action, message)
            return self._finish({'failed': True, 'msg': message}, invocation, no_log_values)
        if not runner.HAS_REQUESTS:
            return self._finish({'failed': True, 'msg': runner.missing_requests_message(
                'in the Python that runs Ansible on the controller (%s), where central.msp tasks run' % sys.executable)},
                invocation, no_log_values)
        task = spec.new_task(params, check_mode=bool(self._task.check_mode), environ=environ,
                             no_log_values=no_log_values)
        problem = self.prepare_task(task)
        if problem:
            return self._finish({'failed': True, 'msg': problem}, invocation, no_log_values)
        failed, body = spec.execute(task)
        if failed:
            body['failed'] = True
        if task.warnings:
            body['warnings'] = task.warnings
        return self._finish(body, invocation, no_log_values, task.clean_parts)

    @staticmethod
    def _finish(body, invocation, no_log_values, clean_parts=None):
        result = runner.mask_no_log(body, no_log_values, clean_parts)
        result['invocation'] = invocation
        return result
