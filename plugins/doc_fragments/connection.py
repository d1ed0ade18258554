# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options, documented once.

``central.msp.connection.modules`` for modules (env fallbacks live in their argument_spec) and
``central.msp.connection.plugins`` for plugins (the same options with ``env:`` entries).
Both are literal strings (ansible-test requires it); plugins/module_utils/settings.py defines the same options and
variables, and tests/unit/plugins/module_utils/test_settings.py keeps all three in step.
"""

from __future__ import annotations


class ModuleDocFragment:
    # Modules: environment fallbacks live in each module's argument_spec (module_utils/module.py).
    MODULES = r'''
options:
  client_id:
    description:
      - Client ID of the GLP API client created in the MSP workspace (pycentral's unified credential).
      - If not set, the environment variable E(GLP_CLIENT_ID) (or E(CENTRAL_CLIENT_ID)) is used, then O(token_file).
    type: str
  client_secret:
    description:
      - Client secret of that API client. Never logged, returned or cached.
      - If not set, E(GLP_CLIENT_SECRET) (or E(CENTRAL_CLIENT_SECRET)) is used, then O(token_file).
    type: str
  workspace_id:
    description:
      - The MSP's own GLP workspace ID (dashed or not) - not a tenant's.
      - If not set, E(GLP_WORKSPACE_ID) is used, then O(token_file).
    type: str
  base_url:
    description:
      - Central API gateway, for example V(https://us5.api.central.arubanetworks.com).
      - Needed for Central calls. Give it or O(cluster_name), not both; an explicit O(base_url) overrides
        E(CENTRAL_CLUSTER_NAME) too (and an explicit O(cluster_name) overrides E(CENTRAL_BASE_URL)).
      - If not set, E(CENTRAL_BASE_URL) is used, then O(token_file).
    type: str
  cluster_name:
    description:
      - Central cluster name from pycentral's table, instead of O(base_url).
      - One of V(EU-1), V(EU-Central2), V(EU-Central3), V(UK), V(US-1), V(US-2), V(US-WEST-4), V(US-WEST-5),
        V(US-East1), V(Canada-1), V(APAC-1), V(APAC-EAST1), V(APAC-SOUTH1), V(UAE), V(China), V(Internal) (any case).
      - If not set, E(CENTRAL_CLUSTER_NAME) is used, then O(token_file).
    type: str
  glp_base_url:
    description:
      - GLP API base URL. If not set, E(GLP_BASE_URL) is used, else V(https://global.api.greenlake.hpe.com).
    type: str
  auth_url:
    description:
      - GLP token issuer; C(/<workspace>/token) is appended.
      - If not set, E(GLP_AUTH_URL) is used, else V(https://global.api.greenlake.hpe.com/authorization/v2/oauth2).
    type: str
  token_file:
    description:
      - A pycentral C(token.yaml) with a C(unified) block (client_id, client_secret, workspace_id, base_url or
        cluster_name). Options and environment variables take precedence over it.
      - If not set, E(CENTRAL_TOKEN_FILE) is used.
    type: path
  validate_certs:
    description:
      - Verify TLS certificates. Turning it off warns; prefer O(ca_path) for a private CA.
      - If not set, E(CENTRAL_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificates that sign the API servers' certificates.
      - If not set, E(CENTRAL_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds one attempt at an HTTP request may take in all, directly or through a proxy, connecting, the status
        line, the headers and the whole body together (not one socket read), so a server that answers slowly or a
        byte at a time is cut off then; O(max_retries) says how often it is tried again.
        If not set, E(CENTRAL_TIMEOUT) is used.
    type: int
    default: 30
  max_retries:
    description:
      - Retries of one request after a 429, a 5xx from the gateway or a connection error, honouring
        C(Retry-After) and rate-limit reset headers, else exponential backoff with jitter.
      - If not set, E(CENTRAL_MAX_RETRIES) is used.
    type: int
    default: 5
  token_cache:
    description:
      - Share tokens between tasks and forks through an on-disk cache (0600 files in a 0700 directory), so a
        play fetches one MSP token and one exchange per tenant however many tasks and forks it runs.
      - If not set, E(CENTRAL_TOKEN_CACHE) is used.
    type: bool
    default: true
  token_cache_dir:
    description:
      - Directory of the token cache. Defaults to C($XDG_CACHE_HOME/central.msp/tokens) or C(~/.cache/central.msp/tokens).
      - If not set, E(CENTRAL_TOKEN_CACHE_DIR) is used.
    type: path
notes:
  - Precedence for each connection option is the option, then its environment variable, then O(token_file).
  - Tokens and the client secret never appear in results, logs or inventory variables; tokens live only in
    the token cache. See the collection's C(docs/authentication.md) and C(docs/token-cache.md).
requirements:
  - requests
'''

    # Plugins (the tenants inventory): the same options, with the environment variables ansible reads.
    PLUGINS = r'''
options:
  client_id:
    description:
      - Client ID of the GLP API client created in the MSP workspace (pycentral's unified credential).
      - If not set, the environment variable E(GLP_CLIENT_ID) (or E(CENTRAL_CLIENT_ID)) is used, then O(token_file).
    type: str
    env:
      - name: GLP_CLIENT_ID
      - name: CENTRAL_CLIENT_ID
  client_secret:
    description:
      - Client secret of that API client. Never logged, returned or cached.
      - If not set, E(GLP_CLIENT_SECRET) (or E(CENTRAL_CLIENT_SECRET)) is used, then O(token_file).
    type: str
    env:
      - name: GLP_CLIENT_SECRET
      - name: CENTRAL_CLIENT_SECRET
  workspace_id:
    description:
      - The MSP's own GLP workspace ID (dashed or not) - not a tenant's.
      - If not set, E(GLP_WORKSPACE_ID) is used, then O(token_file).
    type: str
    env:
      - name: GLP_WORKSPACE_ID
  base_url:
    description:
      - Central API gateway, for example V(https://us5.api.central.arubanetworks.com).
      - Needed for Central calls. Give it or O(cluster_name), not both; an explicit O(base_url) overrides
        E(CENTRAL_CLUSTER_NAME) too (and an explicit O(cluster_name) overrides E(CENTRAL_BASE_URL)).
      - If not set, E(CENTRAL_BASE_URL) is used, then O(token_file).
    type: str
    env:
      - name: CENTRAL_BASE_URL
  cluster_name:
    description:
      - Central cluster name from pycentral's table, instead of O(base_url).
      - One of V(EU-1), V(EU-Central2), V(EU-Central3), V(UK), V(US-1), V(US-2), V(US-WEST-4), V(US-WEST-5),
        V(US-East1), V(Canada-1), V(APAC-1), V(APAC-EAST1), V(APAC-SOUTH1), V(UAE), V(China), V(Internal) (any case).
      - If not set, E(CENTRAL_CLUSTER_NAME) is used, then O(token_file).
    type: str
    env:
      - name: CENTRAL_CLUSTER_NAME
  glp_base_url:
    description:
      - GLP API base URL. If not set, E(GLP_BASE_URL) is used, else V(https://global.api.greenlake.hpe.com).
    type: str
    env:
      - name: GLP_BASE_URL
  auth_url:
    description:
      - GLP token issuer; C(/<workspace>/token) is appended.
      - If not set, E(GLP_AUTH_URL) is used, else V(https://global.api.greenlake.hpe.com/authorization/v2/oauth2).
    type: str
    env:
      - name: GLP_AUTH_URL
  token_file:
    description:
      - A pycentral C(token.yaml) with a C(unified) block (client_id, client_secret, workspace_id, base_url or
        cluster_name). Options and environment variables take precedence over it.
      - If not set, E(CENTRAL_TOKEN_FILE) is used.
    type: path
    env:
      - name: CENTRAL_TOKEN_FILE
  validate_certs:
    description:
      - Verify TLS certificates. Turning it off warns; prefer O(ca_path) for a private CA.
      - If not set, E(CENTRAL_VALIDATE_CERTS) is used.
    type: bool
    default: true
    env:
      - name: CENTRAL_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file of the CA certificates that sign the API servers' certificates.
      - If not set, E(CENTRAL_CA_PATH) is used.
    type: path
    env:
      - name: CENTRAL_CA_PATH
  timeout:
    description:
      - Seconds one attempt at an HTTP request may take in all, directly or through a proxy, connecting, the status
        line, the headers and the whole body together (not one socket read), so a server that answers slowly or a
        byte at a time is cut off then; O(max_retries) says how often it is tried again.
        If not set, E(CENTRAL_TIMEOUT) is used.
    type: int
    default: 30
    env:
      - name: CENTRAL_TIMEOUT
  max_retries:
    description:
      - Retries of one request after a 429, a 5xx from the gateway or a connection error, honouring
        C(Retry-After) and rate-limit reset headers, else exponential backoff with jitter.
      - If not set, E(CENTRAL_MAX_RETRIES) is used.
    type: int
    default: 5
    env:
      - name: CENTRAL_MAX_RETRIES
  token_cache:
    description:
      - Share tokens between tasks and forks through an on-disk cache (0600 files in a 0700 directory), so a
        play fetches one MSP token and one exchange per tenant however many tasks and forks it runs.
      - If not set, E(CENTRAL_TOKEN_CACHE) is used.
    type: bool
    default: true
    env:
      - name: CENTRAL_TOKEN_CACHE
  token_cache_dir:
    description:
      - Directory of the token cache. Defaults to C($XDG_CACHE_HOME/central.msp/tokens) or C(~/.cache/central.msp/tokens).
      - If not set, E(CENTRAL_TOKEN_CACHE_DIR) is used.
    type: path
    env:
      - name: CENTRAL_TOKEN_CACHE_DIR
notes:
  - Precedence for each connection option is the option, then its environment variable, then O(token_file).
  - Tokens and the client secret never appear in results, logs or inventory variables; tokens live only in
    the token cache. See the collection's C(docs/authentication.md) and C(docs/token-cache.md).
requirements:
  - requests
'''
