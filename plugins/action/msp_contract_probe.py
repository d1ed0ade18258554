# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs central.msp.msp_contract_probe in the controller (plugins/plugin_utils/module_action.py, docs/execution.md)."""

from __future__ import annotations

from ansible_collections.central.msp.plugins.plugin_utils.module_action import ModuleAction


class ActionModule(ModuleAction):
    pass
