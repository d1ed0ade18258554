"""Benchmark only (row 2r): scenario 2's result read from a file the bench wrote, with no API call, so that the
bench can tell how long Ansible itself takes to carry a result of that size through a task."""

import marshal

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        with open(self._task.args['path'], 'rb') as handle:
            result.update(marshal.loads(handle.read()))  # marshal.load reads a file a few bytes at a time
        return result
