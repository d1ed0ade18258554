# -*- coding: utf-8 -*-
# Copyright: central.msp contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options: their definition (once, for modules and plugins), precedence and validation.

Precedence: an explicit option beats its environment variable beats the pycentral ``token_file``.
base_url and cluster_name name one thing (the Central gateway), so an explicit one of them also beats the
other's environment variable: a task's cluster_name wins over the CENTRAL_BASE_URL an AWX credential injects.
Only two values given the same way (two options, or two environment variables) conflict.
Modules get env fallbacks from their argument_spec, except for those two (:data:`GATEWAY_OPTIONS`, read with
:func:`environment_values`); the inventory plugin knows each value's origin from its ``env:`` docs. Both call
:func:`resolve_settings` with the explicit values and, apart, those from the environment.
"""

from __future__ import annotations

import ipaddress
import os
import re
import stat
from dataclasses import dataclass
from urllib.parse import urlsplit

from ansible_collections.central.msp.plugins.module_utils.errors import ConfigError

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - ansible-core always ships PyYAML
    HAS_YAML = False

DEFAULT_GLP_BASE_URL = 'https://global.api.greenlake.hpe.com'
DEFAULT_AUTH_URL = 'https://global.api.greenlake.hpe.com/authorization/v2/oauth2'

# pycentral's cluster table: name -> Central API gateway.
CLUSTERS = {
    'EU-1': 'https://de1.api.central.arubanetworks.com',
    'EU-Central2': 'https://de2.api.central.arubanetworks.com',
    'EU-Central3': 'https://de3.api.central.arubanetworks.com',
    'UK': 'https://gb1.api.central.arubanetworks.com',
    'US-1': 'https://us1.api.central.arubanetworks.com',
    'US-2': 'https://us2.api.central.arubanetworks.com',
    'US-WEST-4': 'https://us4.api.central.arubanetworks.com',
    'US-WEST-5': 'https://us5.api.central.arubanetworks.com',
    'US-East1': 'https://us6.api.central.arubanetworks.com',
    'Canada-1': 'https://ca1.api.central.arubanetworks.com',
    'APAC-1': 'https://in1.api.central.arubanetworks.com',
    'APAC-EAST1': 'https://jp1.api.central.arubanetworks.com',
    'APAC-SOUTH1': 'https://au1.api.central.arubanetworks.com',
    'UAE': 'https://ae1.api.central.arubanetworks.com',
    'China': 'https://cn1.api.central.arubanetworks.com.cn',
    'Internal': 'https://internal.api.central.arubanetworks.com',
}

# name -> (argument_spec entry, environment variables in order of preference).
# The doc fragment plugins/doc_fragments/connection.py documents the same options.
CONNECTION_OPTIONS = {
    'client_id': (dict(type='str'), ['GLP_CLIENT_ID', 'CENTRAL_CLIENT_ID']),
    'client_secret': (dict(type='str', no_log=True), ['GLP_CLIENT_SECRET', 'CENTRAL_CLIENT_SECRET']),
    'workspace_id': (dict(type='str'), ['GLP_WORKSPACE_ID']),
    'base_url': (dict(type='str'), ['CENTRAL_BASE_URL']),
    'cluster_name': (dict(type='str'), ['CENTRAL_CLUSTER_NAME']),
    'glp_base_url': (dict(type='str'), ['GLP_BASE_URL']),
    'auth_url': (dict(type='str'), ['GLP_AUTH_URL']),
    'token_file': (dict(type='path'), ['CENTRAL_TOKEN_FILE']),
    'validate_certs': (dict(type='bool', default=True), ['CENTRAL_VALIDATE_CERTS']),
    'ca_path': (dict(type='path'), ['CENTRAL_CA_PATH']),
    'timeout': (dict(type='int', default=30), ['CENTRAL_TIMEOUT']),
    'max_retries': (dict(type='int', default=5), ['CENTRAL_MAX_RETRIES']),
    'token_cache': (dict(type='bool', default=True), ['CENTRAL_TOKEN_CACHE']),
    'token_cache_dir': (dict(type='path'), ['CENTRAL_TOKEN_CACHE_DIR']),
}

# Two ways of naming the Central gateway; see resolve_settings for their precedence.
GATEWAY_OPTIONS = ('base_url', 'cluster_name')

# A GLP workspace id: a UUID, dashed as GLP returns it or as 32 hex digits.
_WORKSPACE_ID = re.compile(r'^[0-9a-fA-F]{8}(-?)[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{4}\1[0-9a-fA-F]{12}$')


@dataclass(frozen=True)
class Settings:
    """Everything the connection layer needs, validated."""

    client_id: str
    client_secret: str
    workspace_id: str  # the MSP workspace, compact hex
    central_base_url: str | None
    glp_base_url: str
    auth_url: str
    validate_certs: bool = True
    ca_path: str | None = None
    timeout: int = 30
    max_retries: int = 5
    token_cache: bool = True
    token_cache_dir: str | None = None

    @property
    def verify(self):
        """The value for requests' ``verify``."""
        if not self.validate_certs:
            return False
        return self.ca_path or True

    def require_central(self):
        if not self.central_base_url:
            raise ConfigError(
                'No Central API gateway is configured. Set base_url (env CENTRAL_BASE_URL) or cluster_name '
                '(env CENTRAL_CLUSTER_NAME; one of: %s).' % ', '.join(CLUSTERS))
        return self.central_base_url


def is_workspace_id(value):
    """Whether ``value`` is a GLP workspace id (dashed or 32 hex digits) rather than, say, a tenant name."""
    return isinstance(value, str) and bool(_WORKSPACE_ID.match(value.strip()))


def compact_id(value, what='workspace id'):
    """A GLP workspace id, dashed or not, as 32 lowercase hex digits."""
    if not is_workspace_id(value):
        raise ConfigError("%s %r is not a GLP workspace id: expected a UUID such as "
                          "'3f2a...-....' (32 hex digits, dashes optional)." % (what, value))
    return value.strip().replace('-', '').lower()


def dashed_id(value, what='workspace id'):
    """A GLP workspace id in the dashed UUID form GLP returns."""
    text = compact_id(value, what)
    return '-'.join((text[:8], text[8:12], text[12:16], text[16:20], text[20:]))


# A pycentral token.yaml is a few hundred bytes.
MAX_TOKEN_FILE_BYTES = 1024 * 1024

if HAS_YAML:
    class _PlainYamlLoader(yaml.SafeLoader):  # pylint: disable=too-many-ancestors
        """SafeLoader without aliases: a credential file has no use for them, and they make alias bombs."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(None, None, 'aliases are not allowed in a token file',
                                                  event.start_mark)
            return super().compose_node(parent, index)


def _read_small_file(path, what, variable, file_name):
    """The bytes of a regular file, without blocking on a FIFO or reading a device; a ConfigError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise ConfigError('Cannot read %s %s: %s. Fix the path (option token_file or env %s) or give '
                          'the credentials as options.' % (what, path, exc.strerror, variable)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError('Cannot read %s %s: %s. Point token_file at %s.' % (
                what, path, 'Is a directory' if stat.S_ISDIR(info.st_mode) else 'not a regular file (a FIFO or a device)',
                file_name))
        if info.st_size > MAX_TOKEN_FILE_BYTES:
            raise ConfigError('%s %s is %d bytes, far too big for %s.' % (what, path, info.st_size, file_name))
        with os.fdopen(os.dup(fd), 'rb') as handle:
            return handle.read(MAX_TOKEN_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError('Cannot read %s %s: %s.' % (what, path, exc.strerror)) from None
    finally:
        os.close(fd)


def load_token_yaml(path, kind, variable, file_name):
    """The parsed YAML of a small token file: UTF-8, a regular file, no aliases. For the errors: ``kind`` says what
    the file must be (e.g. "a pycentral token.yaml with a 'unified' block"), ``variable`` the environment variable
    of the caller's token_file option, ``file_name`` the file in a few words (e.g. "a pycentral token.yaml")."""
    if not HAS_YAML:
        raise ConfigError('Reading token_file needs PyYAML; install it or pass the options directly.')
    content = _read_small_file(path, 'token_file', variable, file_name)
    try:
        text = content.decode('utf-8')
    except UnicodeDecodeError as exc:
        raise ConfigError('token_file %s is not UTF-8 text (byte %d). Save it as UTF-8.' % (path, exc.start)) from None
    try:
        data = yaml.load(text, Loader=_PlainYamlLoader)  # nosec B506 - a SafeLoader without aliases
    except yaml.YAMLError as exc:
        mark = getattr(exc, 'problem_mark', None)
        where = ' at line %d' % (mark.line + 1) if mark else ''
        problem = ' (%s)' % exc.problem if getattr(exc, 'problem', None) == 'aliases are not allowed in a token file' \
            else ''
        raise ConfigError('token_file %s is not valid YAML%s%s. It must be %s.' % (path, where, problem, kind)) from None
    return data


def read_token_file(path):
    """The ``unified`` block of a pycentral token.yaml (client_id, client_secret, workspace_id, base_url/cluster_name)."""
    data = load_token_yaml(path, "a pycentral token.yaml with a 'unified' block", CONNECTION_OPTIONS['token_file'][1][0],
                           'a pycentral token.yaml')
    unified = data.get('unified') if isinstance(data, dict) else None
    if not isinstance(unified, dict):
        raise ConfigError("token_file %s has no 'unified' block. MSP automation needs pycentral's unified "
                          'credential: unified: {client_id, client_secret, workspace_id, base_url or cluster_name}.' % path)
    values = {}
    for key, value in unified.items():
        if key not in CONNECTION_OPTIONS or value in (None, ''):
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ConfigError('token_file %s: unified.%s must be a string, not %s.' % (
                path, key, 'a boolean' if isinstance(value, bool) else 'a %s' % type(value).__name__))
        values[key] = str(value) if isinstance(value, int) else value
    return values


def check_url(url, option):
    """Refuse URLs that could leak a token: only https, or http to loopback."""
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ConfigError('%s %r is not an absolute http(s) URL.' % (option, url))
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError('%s %r must not carry a query, a fragment or user info.' % (option, url))
    if parts.scheme == 'http' and not _is_loopback(parts.hostname):
        raise ConfigError('%s %r uses plain http to a non-loopback host; tokens would travel in clear text. '
                          'Use https://.' % (option, url))
    return url.rstrip('/')


def _is_loopback(host):
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cluster_url(name):
    for cluster, url in CLUSTERS.items():
        if cluster.lower() == str(name).strip().lower():
            return url
    raise ConfigError('Unknown cluster_name %r. Valid names: %s. Or set base_url to your Central API gateway.'
                      % (name, ', '.join(CLUSTERS)))


def environment_values(names=None):
    """Option name -> the value of its first environment variable that is set and not empty.

    An empty variable counts as unset: AWX injects every credential field, empty ones as ""."""
    values = {}
    for name in names or CONNECTION_OPTIONS:
        for variable in CONNECTION_OPTIONS[name][1]:
            if os.environ.get(variable):
                values[name] = os.environ[variable]
                break
    return values


def _given(options):
    return {key: value for key, value in (options or {}).items()
            if key in CONNECTION_OPTIONS and value not in (None, '')}


def resolve_settings(options, env=None):
    """Validate the options and fill gaps from the environment, then from the token file.

    ``options``: values given explicitly (or already merged with their environment variables);
    ``env``: values that came from environment variables, by option name."""
    values = _given(options)
    # An option given explicitly, even as "" (to unset it), hides its own environment variable.
    from_env = {key: value for key, value in _given(env).items() if (options or {}).get(key) is None}
    if any(name in values for name in GATEWAY_OPTIONS):
        # An explicit gateway overrides both gateway variables, not only its own.
        for name in GATEWAY_OPTIONS:
            from_env.pop(name, None)
    for key, value in from_env.items():
        values.setdefault(key, value)
    if values.get('token_file'):
        from_file = read_token_file(values['token_file'])
        if 'base_url' in values or 'cluster_name' in values:
            # The user chose the gateway explicitly; the file's choice must not clash with it.
            from_file.pop('base_url', None)
            from_file.pop('cluster_name', None)
        for key, value in from_file.items():
            values.setdefault(key, value)

    missing = [key for key in ('client_id', 'client_secret', 'workspace_id') if not values.get(key)]
    if missing:
        raise ConfigError('Missing %s. Set the option%s, the environment variable%s %s, or the unified block of a '
                          'pycentral token_file.' % (', '.join(missing), 's' if len(missing) > 1 else '',
                                                     's' if len(missing) > 1 else '',
                                                     ', '.join(CONNECTION_OPTIONS[key][1][0] for key in missing)))
    if values.get('base_url') and values.get('cluster_name'):
        if all(name in from_env for name in GATEWAY_OPTIONS):
            raise ConfigError('Both environment variables CENTRAL_BASE_URL and CENTRAL_CLUSTER_NAME are set; they '
                              'name the same thing. Unset one of them, or give base_url or cluster_name as an '
                              'option (an option overrides both variables).')
        raise ConfigError('Both base_url and cluster_name are set; they name the same thing. Keep one of them.')

    central = None
    if values.get('base_url'):
        central = check_url(values['base_url'], 'base_url')
    elif values.get('cluster_name'):
        central = cluster_url(values['cluster_name'])

    ca_path = values.get('ca_path')
    if ca_path and not os.path.isfile(ca_path):
        raise ConfigError('ca_path %s does not exist or is not a file. Point it at a PEM bundle of the CA '
                          'that signs the API certificates.' % ca_path)

    return Settings(
        client_id=_credential(values['client_id'], 'client_id'),
        client_secret=_credential(values['client_secret'], 'client_secret'),
        workspace_id=compact_id(values['workspace_id'], 'workspace_id (the MSP workspace)'),
        central_base_url=central,
        glp_base_url=check_url(values.get('glp_base_url') or DEFAULT_GLP_BASE_URL, 'glp_base_url'),
        auth_url=check_url(values.get('auth_url') or DEFAULT_AUTH_URL, 'auth_url'),
        validate_certs=_as_bool(values.get('validate_certs', True), 'validate_certs'),
        ca_path=ca_path,
        timeout=_as_int(values.get('timeout', 30), 'timeout', 1),
        max_retries=_as_int(values.get('max_retries', 5), 'max_retries', 0),
        token_cache=_as_bool(values.get('token_cache', True), 'token_cache'),
        token_cache_dir=values.get('token_cache_dir'),
    )


# The spellings Ansible's own boolean type takes, so modules and plugins agree on every value.
TRUE_WORDS = frozenset(('1', 'true', 'yes', 'on', 'y', 't'))
FALSE_WORDS = frozenset(('0', 'false', 'no', 'off', 'n', 'f'))


def _env_names(name):
    return ' / '.join(CONNECTION_OPTIONS[name][1]) if name in CONNECTION_OPTIONS else ''


def _as_bool(value, name='option'):
    """A boolean, or a ConfigError: a misspelt value (ture, enabled, 2) never silently means false."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError('%s %r is not a boolean: use true or false (also yes/no, on/off, 1/0)%s.' % (
        name, value, '; check the environment variable %s' % _env_names(name) if _env_names(name) else ''))


def _as_int(value, name, minimum):
    """A whole number of at least ``minimum``, or a ConfigError naming the option."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.match(r'^\s*[+-]?\d+\s*$', value):
        number = int(value)
    if number is None or number < minimum:
        raise ConfigError('%s %r is not valid: expected a whole number of at least %d%s.' % (
            name, value, minimum, ' (seconds)' if name == 'timeout' else ''))
    return number


def _credential(value, name):
    """client_id / client_secret as text HTTP can carry; never echoed in the error."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ConfigError('%s must be a string, not %s.' % (name, type(value).__name__))
    text = str(value)
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise ConfigError('%s holds a line break or another control character (a pasted newline?); remove it. Check '
                          'the option, the environment variable %s and the token_file.' % (name, _env_names(name)))
    if not text.isascii():
        raise ConfigError('%s holds a non-ASCII character; GreenLake API credentials are plain ASCII. Check for a '
                          'character pasted by mistake in the option, %s or the token_file.' % (name, _env_names(name)))
    return text
