# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only connection: runs commands here like ansible.builtin.local, but is not ``local`` to an action plugin.

It stands for a remote host (delegate_to one, or a host reached over SSH) in the fallback test of
test_execution_parity.py: central.msp's action plugins must run the module there rather than in the controller."""

from __future__ import annotations

DOCUMENTATION = r'''
name: not_local
short_description: A local connection that action plugins must treat as remote (tests only)
description:
  - Executes on the controller, as ansible.builtin.local does, under another transport name.
author: central.msp contributors (@central-msp)
'''

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    transport = 'not_local'
