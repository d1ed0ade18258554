# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Classic Central connection options (plugins/module_utils/classic.py: CLASSIC_OPTIONS), documented once.

``central.msp.classic_connection.modules`` for modules (env fallbacks live in their argument_spec) and
``central.msp.classic_connection.plugins`` for plugins (the same options with ``env:`` entries); customer selection in
``central.msp.classic_connection.customers`` and ``central.msp.classic_connection.customer``.
tests/unit/plugins/module_utils/test_classic_options.py keeps them in step with CLASSIC_OPTIONS.
"""

from __future__ import annotations


class ModuleDocFragment:
    MODULES = r'''
options:
  base_url:
    description:
      - Classic Central API gateway URL, for example V(https://apigw-prod2.central.arubanetworks.com).
      - Mutually exclusive with O(region). If not set, E(CLASSIC_CENTRAL_BASE_URL) is used, then O(token_file).
    type: str
  region:
    description:
      - Classic Central region, instead of O(base_url), one of V(US-1), V(US-2), V(US-WEST-4), V(EU-1), V(EU-3),
        V(Canada-1), V(China-1), V(APAC-1), V(APAC-EAST1), V(APAC-SOUTH1) (any case), the guide's domain table. If
        not set, E(CLASSIC_CENTRAL_REGION) is used.
    type: str
  client_id:
    description:
      - Client ID of the API application (Organization > Platform Integration > REST API > My Apps & Tokens). If not
        set, E(CLASSIC_CENTRAL_CLIENT_ID) is used, then O(token_file).
    type: str
  client_secret:
    description:
      - Client secret of that application. Never logged, returned or stored. If not set,
        E(CLASSIC_CENTRAL_CLIENT_SECRET) is used, then O(token_file).
    type: str
  msp_customer_id:
    description:
      - Customer ID of the MSP's own Classic Central account (32 hex digits). One token serves every customer of
        this account. If not set, E(CLASSIC_CENTRAL_CUSTOMER_ID) is used, then O(token_file).
    type: str
  access_token:
    description:
      - Access token of the token bundle from the REST API page (Download Token).
      - Only seeds the token store the first time; after that the store holds the current, rotated bundle. If not
        set, E(CLASSIC_CENTRAL_ACCESS_TOKEN) is used, then O(token_file).
    type: str
  refresh_token:
    description:
      - Refresh token of the same bundle. Central rotates it on every refresh, so after the first refresh this value
        is dead; the token store keeps the live one.
      - A refresh token the store has never held is used when the store's own is refused (a bundle generated again
        in Central). If not set, E(CLASSIC_CENTRAL_REFRESH_TOKEN) is used, then O(token_file).
    type: str
  username:
    description:
      - Central user (not SSO) for the OAuth grant (login, authorization code, token), used only when the store's
        refresh token is dead, to recover without a person. Needs O(password). If not set,
        E(CLASSIC_CENTRAL_USERNAME) is used, then O(token_file).
    type: str
  password:
    description:
      - Password of O(username). Never logged, returned or stored. If not set, E(CLASSIC_CENTRAL_PASSWORD) is used,
        then O(token_file).
    type: str
  token_file:
    description:
      - A pycentral 1.x token file with a C(central_info) block (base_url, client_id, client_secret, customer_id,
        username, password, token.access_token, token.refresh_token). Options and environment variables take
        precedence over it. If not set, E(CLASSIC_CENTRAL_TOKEN_FILE) is used.
    type: path
  validate_certs:
    description:
      - Verify TLS certificates. Turning it off warns; prefer O(ca_path) for a private CA. If not set,
        E(CLASSIC_CENTRAL_VALIDATE_CERTS) or E(CENTRAL_VALIDATE_CERTS) is used, then O(token_file).
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the CA certificates that sign the API gateway's certificate. If not set,
        E(CLASSIC_CENTRAL_CA_PATH) or E(CENTRAL_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds one attempt at an HTTP request may take in all, directly or through a proxy, connecting, the status
        line, the headers and the whole body together (not one socket read), so a server that answers slowly or a
        byte at a time is cut off then; O(max_retries) says how often it is tried again.
        If not set, E(CLASSIC_CENTRAL_TIMEOUT) or E(CENTRAL_TIMEOUT) is used.
    type: int
    default: 30
  max_retries:
    description:
      - Retries of one request after a 429, a 5xx or a connection error, paced by the shared rate budget. A token
        refresh is never retried after a connection error (the gateway may have rotated already). If not set,
        E(CLASSIC_CENTRAL_MAX_RETRIES) or E(CENTRAL_MAX_RETRIES) is used.
    type: int
    default: 5
  token_cache_dir:
    description:
      - Directory of the token store (0600 files in a 0700 directory), shared by every task, fork and job on this
        controller. Defaults to C($XDG_CACHE_HOME/central.msp/tokens) or C(~/.cache/central.msp/tokens).
      - In ephemeral containers (AWX) put it on persistent storage, or configure the OAuth grant; see the
        collection's C(docs/classic.md). If not set, E(CLASSIC_CENTRAL_TOKEN_CACHE_DIR) or
        E(CENTRAL_TOKEN_CACHE_DIR) is used.
    type: path
  rate_limit:
    description:
      - Calls per second for this MSP account, shared by every fork and task through the token store (Classic allows
        7 per second for all customers together). If not set, E(CLASSIC_CENTRAL_RATE_LIMIT) is used.
    type: int
    default: 7
notes:
  - Precedence for each option is the option, then its environment variable, then O(token_file).
  - Tokens, the client secret and the password never appear in results, logs or inventory variables; the
    token bundle lives only in the 0600 token store, renewed under its lock. See C(docs/classic.md).
requirements:
  - requests
'''

    PLUGINS = r'''
options:
  base_url:
    description:
      - Classic Central API gateway URL, for example V(https://apigw-prod2.central.arubanetworks.com).
      - Mutually exclusive with O(region). If not set, E(CLASSIC_CENTRAL_BASE_URL) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_BASE_URL
  region:
    description:
      - Classic Central region, instead of O(base_url), one of V(US-1), V(US-2), V(US-WEST-4), V(EU-1), V(EU-3),
        V(Canada-1), V(China-1), V(APAC-1), V(APAC-EAST1), V(APAC-SOUTH1) (any case), the guide's domain table. If
        not set, E(CLASSIC_CENTRAL_REGION) is used.
    type: str
    env:
      - name: CLASSIC_CENTRAL_REGION
  client_id:
    description:
      - Client ID of the API application (Organization > Platform Integration > REST API > My Apps & Tokens). If not
        set, E(CLASSIC_CENTRAL_CLIENT_ID) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_CLIENT_ID
  client_secret:
    description:
      - Client secret of that application. Never logged, returned or stored. If not set,
        E(CLASSIC_CENTRAL_CLIENT_SECRET) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_CLIENT_SECRET
  msp_customer_id:
    description:
      - Customer ID of the MSP's own Classic Central account (32 hex digits). One token serves every customer of
        this account. If not set, E(CLASSIC_CENTRAL_CUSTOMER_ID) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_CUSTOMER_ID
  access_token:
    description:
      - Access token of the token bundle from the REST API page (Download Token).
      - Only seeds the token store the first time; after that the store holds the current, rotated bundle. If not
        set, E(CLASSIC_CENTRAL_ACCESS_TOKEN) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_ACCESS_TOKEN
  refresh_token:
    description:
      - Refresh token of the same bundle. Central rotates it on every refresh, so after the first refresh this value
        is dead; the token store keeps the live one.
      - A refresh token the store has never held is used when the store's own is refused (a bundle generated again
        in Central). If not set, E(CLASSIC_CENTRAL_REFRESH_TOKEN) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_REFRESH_TOKEN
  username:
    description:
      - Central user (not SSO) for the OAuth grant (login, authorization code, token), used only when the store's
        refresh token is dead, to recover without a person. Needs O(password). If not set,
        E(CLASSIC_CENTRAL_USERNAME) is used, then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_USERNAME
  password:
    description:
      - Password of O(username). Never logged, returned or stored. If not set, E(CLASSIC_CENTRAL_PASSWORD) is used,
        then O(token_file).
    type: str
    env:
      - name: CLASSIC_CENTRAL_PASSWORD
  token_file:
    description:
      - A pycentral 1.x token file with a C(central_info) block (base_url, client_id, client_secret, customer_id,
        username, password, token.access_token, token.refresh_token). Options and environment variables take
        precedence over it. If not set, E(CLASSIC_CENTRAL_TOKEN_FILE) is used.
    type: path
    env:
      - name: CLASSIC_CENTRAL_TOKEN_FILE
  validate_certs:
    description:
      - Verify TLS certificates. Turning it off warns; prefer O(ca_path) for a private CA. If not set,
        E(CLASSIC_CENTRAL_VALIDATE_CERTS) or E(CENTRAL_VALIDATE_CERTS) is used, then O(token_file).
    type: bool
    default: true
    env:
      - name: CLASSIC_CENTRAL_VALIDATE_CERTS
      - name: CENTRAL_VALIDATE_CERTS
  ca_path:
    description:
      - PEM file of the CA certificates that sign the API gateway's certificate. If not set,
        E(CLASSIC_CENTRAL_CA_PATH) or E(CENTRAL_CA_PATH) is used.
    type: path
    env:
      - name: CLASSIC_CENTRAL_CA_PATH
      - name: CENTRAL_CA_PATH
  timeout:
    description:
      - Seconds one attempt at an HTTP request may take in all, directly or through a proxy, connecting, the status
        line, the headers and the whole body together (not one socket read), so a server that answers slowly or a
        byte at a time is cut off then; O(max_retries) says how often it is tried again.
        If not set, E(CLASSIC_CENTRAL_TIMEOUT) or E(CENTRAL_TIMEOUT) is used.
    type: int
    default: 30
    env:
      - name: CLASSIC_CENTRAL_TIMEOUT
      - name: CENTRAL_TIMEOUT
  max_retries:
    description:
      - Retries of one request after a 429, a 5xx or a connection error, paced by the shared rate budget. A token
        refresh is never retried after a connection error (the gateway may have rotated already). If not set,
        E(CLASSIC_CENTRAL_MAX_RETRIES) or E(CENTRAL_MAX_RETRIES) is used.
    type: int
    default: 5
    env:
      - name: CLASSIC_CENTRAL_MAX_RETRIES
      - name: CENTRAL_MAX_RETRIES
  token_cache_dir:
    description:
      - Directory of the token store (0600 files in a 0700 directory), shared by every task, fork and job on this
        controller. Defaults to C($XDG_CACHE_HOME/central.msp/tokens) or C(~/.cache/central.msp/tokens).
      - In ephemeral containers (AWX) put it on persistent storage, or configure the OAuth grant; see the
        collection's C(docs/classic.md). If not set, E(CLASSIC_CENTRAL_TOKEN_CACHE_DIR) or
        E(CENTRAL_TOKEN_CACHE_DIR) is used.
    type: path
    env:
      - name: CLASSIC_CENTRAL_TOKEN_CACHE_DIR
      - name: CENTRAL_TOKEN_CACHE_DIR
  rate_limit:
    description:
      - Calls per second for this MSP account, shared by every fork and task through the token store (Classic allows
        7 per second for all customers together). If not set, E(CLASSIC_CENTRAL_RATE_LIMIT) is used.
    type: int
    default: 7
    env:
      - name: CLASSIC_CENTRAL_RATE_LIMIT
notes:
  - Precedence for each option is the option, then its environment variable, then O(token_file).
  - Tokens, the client secret and the password never appear in results, logs or inventory variables; the
    token bundle lives only in the 0600 token store, renewed under its lock. See C(docs/classic.md).
requirements:
  - requests
'''

    # Several customers or one (the classic_*_info modules).
    CUSTOMERS = r'''
options:
  customer:
    description:
      - Name of the customer to read, exact and case-sensitive (M(central.msp.classic_customer_info) lists them).
      - An unknown name fails with close names; a name that several customers share fails with their IDs.
    type: str
  customer_id:
    description:
      - Customer ID (32 hex digits), for example V({{ classic_customer_id }}) on a host of the
        C(central.msp.classic_customers) inventory. Taken as given, without listing the customers; the gateway
        refuses an ID that is not a customer of the MSP.
    type: str
  customers:
    description:
      - Several customers, each a name or a customer ID, read concurrently. Results come back in RV(customers).
    type: list
    elements: str
  all_customers:
    description:
      - Read every customer of the MSP account, concurrently. Results come back in RV(customers).
    type: bool
    default: false
  concurrency:
    description:
      - How many customers are read at once with O(customers) or O(all_customers). They all share the MSP's
        rate budget (O(rate_limit)), so more than a few only wait.
    type: int
    default: 4
  allow_partial:
    description:
      - With O(customers) or O(all_customers), succeed with a warning when some customers fail. Otherwise the task
        fails, still returning every customer's data and error.
    type: bool
    default: false
  limit:
    description:
      - Items per page. Every page is read whatever the size; the largest page the endpoint allows is used when
        this is larger.
    type: int
    default: 1000
'''

    # One customer, or the MSP scope when neither is given (classic_api_call).
    CUSTOMER = r'''
options:
  customer:
    description:
      - Name of the customer to call in (exact). The call carries C(TenantID) with its customer ID.
      - Without O(customer) and O(customer_id) the call is made in the MSP's own scope.
    type: str
  customer_id:
    description:
      - Customer ID (32 hex digits) to call in, instead of O(customer).
    type: str
'''
