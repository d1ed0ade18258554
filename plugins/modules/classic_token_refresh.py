#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: classic_token_refresh
short_description: Keep a Classic Aruba Central token bundle alive (refresh before the 15-day revocation)
version_added: 0.2.0
description:
  - Classic Central revokes a refresh token that goes unused for 15 days. Run this on a schedule (AWX schedule,
    cron; C(playbooks/classic_keepalive.yml)) so the token store's bundle is refreshed well before that, even
    when no other job ran.
  - Refreshes under the token store's lock, after re-reading it, unless any process refreshed within
    O(older_than_hours). When the store's refresh token is dead it recovers as every Classic call does (a newer
    bundle in the credential, then the OAuth grant) or fails saying what to do.
  - Returns when the access token expires and when the refresh token would be revoked; never a token.
author:
  - central.msp contributors (@central-msp)
extends_documentation_fragment:
  - central.msp.classic_connection.modules
attributes:
  check_mode:
    support: full
    description: Reports whether a refresh is due, without refreshing.
  diff_mode:
    support: none
    description: Nothing to diff.
options:
  older_than_hours:
    description:
      - Refresh only when the last refresh is older than this. V(0) refreshes every time.
    type: int
    default: 24
'''

EXAMPLES = r'''
- name: Keep the Classic token alive (schedule daily)
  central.msp.classic_token_refresh:
    older_than_hours: 24
  register: keepalive

- name: When the refresh token would be revoked if nothing ran
  ansible.builtin.debug:
    var: keepalive.token.refresh_token_revoked_after
'''

RETURN = r'''
refreshed:
  description: Whether this task rotated the token bundle.
  returned: always
  type: bool
  sample: true
token:
  description: What the token store holds, without any token.
  returned: always
  type: dict
  contains:
    has_token:
      description: Whether the store holds a bundle.
      type: bool
    access_token_expires_at:
      description: When the access token expires (UTC, ISO 8601); null for a seeded token of unknown age.
      type: str
      sample: "2026-12-01T12:00:00Z"
    refreshed_at:
      description: When the bundle was last rotated (UTC); null if never.
      type: str
    refresh_token_revoked_after:
      description: When Central revokes the refresh token if nothing refreshes it before (15 days after the last rotation).
      type: str
    source:
      description: Where the bundle came from, V(credential), V(refresh) or V(grant).
      type: str
retries:
  description:
    - What retrying cost, when a request had to be retried (rate limits, transient server or connection
      failures); absent otherwise.
  returned: when a request was retried
  type: dict
  contains:
    count:
      description: Requests retried.
      type: int
      sample: 2
    rate_limited:
      description: Of which after a rate limit (HTTP 429).
      type: int
      sample: 2
    waited_seconds:
      description: Seconds waited before the retries, in all.
      type: float
      sample: 3.4
    msg:
      description: The same in words.
      type: str
      sample: retried 2 requests (2 after a rate limit), waited 3.4 s in all
'''

import time

from ansible_collections.central.msp.plugins.module_utils.classic_module import classic_task_spec


def work(task):
    client = task.client
    older_than = max(0, task.params['older_than_hours']) * 3600.0
    if task.check_mode:
        state = client.store_state()
        last = (client.cache.read_record(client.store_key) or {}).get('refreshed_at')
        due = not last or time.time() - last >= older_than
        return {'refreshed': False, 'changed': due, 'token': state}
    # Under the store's file lock, after re-reading it: the same from a module process or a controller worker.
    refreshed = client.refresh_now(older_than)[0]
    return {'refreshed': refreshed, 'changed': refreshed, 'token': client.store_state()}


TASK = classic_task_spec(dict(older_than_hours=dict(type='int', default=24)), work)


def main():
    TASK.run_module()


if __name__ == '__main__':
    main()
