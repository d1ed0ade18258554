"""A deliberately plain client for the simulator's own tests and benchmark (the collection has its own)."""
import requests

CLIENT_CREDENTIALS = {'grant_type': 'client_credentials'}
EXCHANGE = {'grant_type': 'urn:ietf:params:oauth:grant-type:token-exchange',
            'subject_token_type': 'urn:ietf:params:oauth:token-type:access_token'}


class SimClient:
    def __init__(self, info, session=None):
        self.info = info
        self.session = session or requests.Session()
        # Per request: requests lets REQUESTS_CA_BUNDLE in the environment override Session.verify.
        self.verify = info['ca_file'] or True

    def token_url(self, workspace):
        return f"{self.info['auth_url']}/{workspace}/token"

    def post_token(self, workspace, data, auth=None):
        return self.session.post(self.token_url(workspace), data=data, auth=auth, timeout=30, verify=self.verify)

    def client_credentials(self):
        """The token endpoint's answer to the MSP's client credentials (HTTP Basic)."""
        return self.post_token(self.info['workspace_id'], CLIENT_CREDENTIALS, (self.info['client_id'], self.info['client_secret']))

    def msp_token(self):
        response = self.client_credentials()
        response.raise_for_status()
        return response.json()['access_token']

    def exchange(self, tenant_id, subject=None):
        response = self.post_token(tenant_id.replace('-', ''), dict(EXCHANGE, subject_token=subject or self.msp_token()))
        response.raise_for_status()
        return response.json()['access_token']

    def get(self, family, path, token, **params):
        """GET {glp_base_url|central_base_url}/path with a bearer token."""
        base = self.info['glp_base_url' if family == 'glp' else 'central_base_url']
        return self.session.get(f'{base}/{path}', params=params, headers={'Authorization': f'Bearer {token}'}, timeout=30,
                                verify=self.verify)

    def collect(self, family, path, token, limit, **params):
        """Every item of a paged list, following `next` or `offset` as the first answer shows, with a page cap."""
        items, cursor = [], {}
        for _i in range(10_000):
            response = self.get(family, path, token, limit=limit, **params, **cursor)
            response.raise_for_status()
            page = response.json()
            chunk = page.get('items', page.get('tenants', []))
            items.extend(chunk)
            if 'next' in page:
                if page['next'] is None:
                    return items
                cursor = {'next': page['next']}
            else:
                offset = page.get('offset', len(items) - len(chunk)) + len(chunk)
                if not chunk or offset >= page['total']:
                    return items
                cursor = {'offset': offset}
        raise AssertionError(f'{path}: paging did not end')
