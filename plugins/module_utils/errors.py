# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors raised by the connection layer.

Every message is meant for a person: it says what went wrong and how to fix it,
and never carries a client secret or a token.
"""

from __future__ import annotations


class CentralMspError(Exception):
    """Base class: the message is safe to show as a task's ``msg``."""

    def to_result(self):
        """Extra, secret-free fields for a failed task's result."""
        return {}


class ConfigError(CentralMspError):
    """The collection is misconfigured (missing credential, bad URL, bad token file...)."""


class TenantError(CentralMspError):
    """A tenant could not be found, was ambiguous, or could not be entered."""

    def __init__(self, message, candidates=None):
        super().__init__(message)
        self.candidates = candidates or []

    def to_result(self):
        return {'candidates': self.candidates} if self.candidates else {}


class ApiError(CentralMspError):
    """An API call failed: one message shape for every call (what, status, errorCode, message, debugId)."""

    def __init__(self, call, status=None, error_code=None, message=None, debug_id=None, hint=None):
        self.call = call
        self.status = status
        self.error_code = error_code
        self.api_message = message
        self.debug_id = debug_id
        self.hint = hint
        parts = ['%s failed' % call]
        if status is not None:
            parts.append(': HTTP %s' % status)
        if error_code:
            parts.append(' %s' % error_code)
        if message:
            parts.append(': %s' % message)
        if debug_id:
            parts.append(' (debugId %s)' % debug_id)
        if hint:
            parts.append('. %s' % hint)
        super().__init__(''.join(parts))

    def to_result(self):
        result = {'call': self.call}
        for key, value in (('status', self.status), ('error_code', self.error_code), ('debug_id', self.debug_id)):
            if value is not None:
                result[key] = value
        return result


class AuthError(ApiError):
    """The token issuer refused a credential or an exchange."""


class DataError(CentralMspError):
    """An API answered with data of the wrong shape (a string for an object, a number for a name...).

    Reported as the failure of that call, so of that tenant only; the message names what was wrong."""


class TaskFailed(CentralMspError):
    """The task fails but still has data to return (partial tenants, an API's error response)."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.result = dict(result or {})

    def to_result(self):
        return dict(self.result)
