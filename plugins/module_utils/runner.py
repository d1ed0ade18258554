# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a central.msp task is, whichever process runs it.

A module file declares one :class:`TaskSpec`: its own options and ``work(task) -> result``. The same spec runs
in two places, with the same options, validation, env fallbacks, check mode, warnings and failures:

* in the controller's worker process, by the action plugin of the same name (plugins/plugin_utils/module_action.py);
* as a module (``TaskSpec.run_module``), when the work must happen elsewhere: async, become, a remote host.

``work`` never calls ``fail_json``: it returns a result or raises a :class:`CentralMspError`, which becomes
the failed result (``msg`` and the error's ``to_result()``) on either path.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.central.msp.plugins.module_utils.errors import CentralMspError
from ansible_collections.central.msp.plugins.module_utils.msp_client import MspClient
from ansible_collections.central.msp.plugins.module_utils.settings import (
    CONNECTION_OPTIONS, GATEWAY_OPTIONS, resolve_settings)
from ansible_collections.central.msp.plugins.module_utils.transport import HAS_REQUESTS

# Characters json.dumps escapes inside a string (with ensure_ascii=False): a no_log value holding one of them
# would not appear verbatim in the JSON text, so the quick scan of mask_no_log cannot vouch for it.
_JSON_ESCAPED = frozenset('"\\') | frozenset(chr(code) for code in range(32))


def nonempty_env_fallback(*names, **kwargs):
    """The first of these environment variables that is set and not empty.

    An empty variable counts as unset: AWX injects every credential field, empty ones as "".
    ``environ``: where to look (the controller passes os.environ with the task's ``environment:`` applied)."""
    environ = kwargs.get('environ')
    environ = os.environ if environ is None else environ
    for name in names:
        if environ.get(name):
            return environ[name]
    raise AnsibleFallbackNotFound


def env_fallback_spec(options, environ=None, without=()):
    """``options`` (name -> (argument_spec entry, environment variables)) as an argument_spec, each option falling
    back to its variables (in ``environ``, else in the process's environment), except those named in ``without``."""
    def fallback(envs):
        # A module's spec keeps the (function, names) form that validate-modules checks.
        return (nonempty_env_fallback, envs) if environ is None else (nonempty_env_fallback, envs, {'environ': environ})
    return {name: dict(spec) if name in without else dict(spec, fallback=fallback(envs))
            for name, (spec, envs) in options.items()}


def connection_argument_spec(environ=None):
    """The shared connection options, each falling back to its environment variables (in ``environ``, else in
    the process's environment)."""
    # Except base_url and cluster_name: resolve_settings reads their variables itself, because an explicit one of
    # the two overrides the other's variable too (GATEWAY_OPTIONS).
    return env_fallback_spec(CONNECTION_OPTIONS, environ, without=GATEWAY_OPTIONS)


def gateway_environment(environ=None):
    """base_url and cluster_name from their environment variables (the first set and not empty)."""
    environ = os.environ if environ is None else environ
    values = {}
    for name in GATEWAY_OPTIONS:
        for variable in CONNECTION_OPTIONS[name][1]:
            if environ.get(variable):
                values[name] = environ[variable]
                break
    return values


def missing_requests_message(where):
    return ('The Python library requests is required %s: install it into that Python (pip install requests).'
            % where)


class Task:
    """One run of a task: its validated options, check mode, the warnings it gave and a lazily built client.

    ``no_log_values``: the values the result is masked for at the end (mask_no_log), on the action path; parts
    of the result given to ``scanned`` as they arrive are searched then, and skipped at the end.
    ``record_sink``: set by an action plugin, a callable that the work hands each finished part of its result (a
    tenant's record) and that returns what the result keeps of it (tenant_overview_info's report writer)."""

    def __init__(self, params, check_mode=False, client_factory=None, environ=None, no_log_values=()):
        self.params = params
        self.check_mode = check_mode
        self.warnings = []
        self._client_factory = client_factory or (lambda task: MspClient(
            resolve_settings(task.params, env=gateway_environment(environ)), warn=task.warn))
        self._client = None
        self._no_log_values = _searchable(no_log_values)
        self._all_no_log_values = [value for value in no_log_values if value not in (None, '')]
        self.clean_parts = {}  # id -> a part of the result in which no no_log value occurs
        self.record_sink = None

    def scanned(self, part):
        """``part`` (one tenant's items, say), searched for no_log values now, in the thread that read it, while
        other tenants' requests are in flight, rather than with the whole result once every tenant is read.
        Returns ``part``, which must not change any more."""
        if self._no_log_values and _holds_none(part, self._no_log_values):
            self.clean_parts[id(part)] = part
        return part

    def masked(self, part):
        """``part`` with every no_log value replaced, as mask_no_log leaves the result: for what leaves the task
        another way than in its result (report files written as tenants are read)."""
        if not self._all_no_log_values or (self._no_log_values and _holds_none(part, self._no_log_values)):
            return part
        return remove_values(part, self._all_no_log_values)

    def warn(self, message):
        self.warnings.append(str(message))

    @property
    def client(self):
        if self._client is None:
            self._client = self._client_factory(self)
        return self._client

    def retry_result(self):
        """``{'retries': {count, rate_limited, waited_seconds, msg}}`` when requests were retried, else {}."""
        http = getattr(self._client, 'http', None)
        summary = http.retry_summary() if http is not None and hasattr(http, 'retry_summary') else None
        return {'retries': summary} if summary else {}


@dataclass(frozen=True)
class TaskSpec:
    """A module's options and work. ``options`` are its own; the connection options are added to them.

    ``connection_options(environ) -> argument_spec`` and ``client_factory(task) -> client`` say which API the task
    talks to: by default the GreenLake/New Central connection and its MspClient (the Classic Central modules give
    theirs, plugins/module_utils/classic_module.py)."""

    options: dict
    work: object  # callable(Task) -> dict
    mutually_exclusive: list = field(default_factory=list)
    connection_options: object = connection_argument_spec
    client_factory: object = None  # callable(Task) -> client; None: the MspClient

    def argument_spec(self, environ=None):
        spec = self.connection_options(environ)
        spec.update(self.options)
        return spec

    def new_task(self, params, check_mode=False, environ=None, no_log_values=()):
        """The run of this spec's work with these validated options (``environ``, ``no_log_values``: as for Task)."""
        return Task(params, check_mode, client_factory=self.client_factory, environ=environ,
                    no_log_values=no_log_values)

    def execute(self, task):
        """``(failed, result)``: the work's result (``changed`` false unless it says otherwise), or the failure
        of a CentralMspError (``msg`` and the error's own fields)."""
        try:
            result = self.work(task)
        except CentralMspError as exc:
            return True, dict(exc.to_result(), msg=str(exc), **task.retry_result())
        result = dict(result)
        result.setdefault('changed', False)
        result.update(task.retry_result())
        return False, result

    def run_module(self):
        """The whole main() of a module file: AnsibleModule, the work, exit_json or fail_json."""
        from ansible.module_utils.basic import AnsibleModule, missing_required_lib

        # base_url vs cluster_name is left to resolve_settings: env fallbacks are applied before Ansible's own
        # check, whose message would not say that one of the two came from an environment variable.
        module = AnsibleModule(argument_spec=self.argument_spec(), mutually_exclusive=self.mutually_exclusive,
                               supports_check_mode=True)
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib('requests'))
        task = self.new_task(module.params, module.check_mode)
        failed, result = self.execute(task)
        for message in task.warnings:
            module.warn(message)
        if failed:
            module.fail_json(**result)
        module.exit_json(**result)


def _searchable(no_log_values):
    """The no_log values as strings, or () when one of them would not appear verbatim in JSON text (then only
    remove_values can tell)."""
    values = [str(value) for value in no_log_values if value not in (None, '')]
    return () if any(_JSON_ESCAPED.intersection(value) for value in values) else tuple(values)


def _holds_none(value, searched):
    text = json.dumps(value, ensure_ascii=False, default=str)
    return not any(item in text for item in searched)


def _without(value, parts):
    """``value`` with the ``parts`` (id -> object) in it replaced by None, copying only the containers above them."""
    if id(value) in parts:
        return None
    if isinstance(value, dict):
        return {key: _without(item, parts) for key, item in value.items()}
    if isinstance(value, list):
        return [_without(item, parts) for item in value]
    return value


def mask_no_log(result, no_log_values, clean_parts=None):
    """What AnsibleModule's exit_json does to a result: every no_log value replaced (remove_values), top-level
    booleans and None kept as they are.

    remove_values copies the whole result, which costs seconds for tens of thousands of items; when no no_log
    value occurs anywhere in the result's JSON text there is nothing to replace, and the result is returned as
    it is. ``clean_parts`` (Task.clean_parts): parts already searched, left out of that text."""
    values = [str(value) for value in no_log_values if value not in (None, '')]
    if not values:
        return result
    searched = _searchable(values)
    if searched and _holds_none(_without(result, clean_parts) if clean_parts else result, searched):
        return result
    preserved = {key: value for key, value in result.items() if value is None or isinstance(value, bool)}
    masked = remove_values(result, no_log_values)
    masked.update(preserved)
    return masked
