"""The collection as Galaxy sees it and as a user who installed it from Galaxy uses it, without the git clone.

* galaxy-importer (Galaxy's own import checks: galaxy.yml, docs via ansible-doc, ansible-lint) accepts the
  built tarball; it runs from build/venv-importer (tests/sanity/galaxy-importer-requirements.txt).
* The tarball has the license text, the released changelog and a README whose links and screenshot work on
  Galaxy's page (absolute URLs into galaxy.yml's repository).
* Installed with ansible-galaxy, the collection runs the overview by its FQCN (ansible-playbook
  central.msp.msp_overview) with the inventory example and the sample ansible.cfg it ships.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
import yaml

from tests.helpers import BIN, ROOT, ansible_env

IMPORTER_VENV = os.path.join(ROOT, 'build', 'venv-importer')
IMPORTER_REQUIREMENTS = os.path.join(ROOT, 'tests', 'sanity', 'galaxy-importer-requirements.txt')


def galaxy():
    with open(os.path.join(ROOT, 'galaxy.yml'), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope='module')
def tarball(tmp_path_factory):
    out = tmp_path_factory.mktemp('dist')
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(out), ROOT],
                   check=True, capture_output=True, text=True, cwd=ROOT)
    return str(out / ('central-msp-%s.tar.gz' % galaxy()['version']))


def members(tarball_path):
    with tarfile.open(tarball_path) as archive:
        return {member.name: member for member in archive.getmembers()}, archive


def read_member(tarball_path, name):
    with tarfile.open(tarball_path) as archive:
        return archive.extractfile(name).read().decode('utf-8')


# ---- what Galaxy shows --------------------------------------------------------------------------------------

def test_readme_links_and_screenshot_are_absolute_urls_into_the_repository():
    repository = galaxy()['repository'].rstrip('/')
    owner_name = repository.split('github.com/', 1)[1]
    with open(os.path.join(ROOT, 'README.md'), encoding='utf-8') as handle:
        readme = handle.read()
    links = re.findall(r'(!?)\[[^\]]*\]\(([^)\s]+)\)', readme)
    assert links
    for image, target in links:
        assert target.startswith('https://'), 'a relative link does not work on Galaxy: %s' % target
        if image:
            prefix = 'https://raw.githubusercontent.com/%s/main/' % owner_name
        elif target.startswith(repository):
            prefix = repository + '/blob/main/'
        else:
            continue  # an outside page
        assert target.startswith(prefix), target
        # The file it points at is in this repository.
        assert os.path.exists(os.path.join(ROOT, target[len(prefix):].split('#')[0])), target


def test_tarball_has_the_license_text_and_the_released_changelog(tarball):
    names = members(tarball)[0]
    assert {'COPYING', 'CHANGELOG.rst', 'README.md', 'MANIFEST.json'} <= set(names)
    license_text = read_member(tarball, 'COPYING')
    assert 'GNU GENERAL PUBLIC LICENSE' in license_text and 'Version 3, 29 June 2007' in license_text
    assert galaxy()['license'] == ['GPL-3.0-or-later']
    changelog = read_member(tarball, 'CHANGELOG.rst')
    assert re.search(r'^v%s\n=+$' % re.escape(galaxy()['version']), changelog, re.M), changelog[:500]
    assert 'playbooks/ansible.cfg.sample' in names and 'playbooks/inventory/production.central_msp.yml' in names


@pytest.fixture(scope='module')
def importer_bin():
    bin_dir = os.path.join(IMPORTER_VENV, 'bin')
    if not os.path.exists(os.path.join(bin_dir, 'python')) or subprocess.run(
            [os.path.join(bin_dir, 'python'), '-c', 'import galaxy_importer'], check=False).returncode != 0:
        subprocess.run([sys.executable, '-m', 'venv', '--clear', IMPORTER_VENV], check=True)
        proc = subprocess.run([os.path.join(bin_dir, 'pip'), 'install', '--quiet', '-r', IMPORTER_REQUIREMENTS],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            pytest.skip('cannot install galaxy-importer into %s: %s' % (IMPORTER_VENV, proc.stderr[-500:]))
    return bin_dir


def test_galaxy_importer_accepts_the_tarball(tarball, importer_bin, tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(('ANSIBLE_', 'GALAXY_'))}
    # Its own ansible-doc and ansible-lint (found on PATH), offline, with its default checks.
    env.update(PATH=importer_bin + os.pathsep + env.get('PATH', ''), HOME=str(tmp_path),
               GALAXY_IMPORTER_OFFLINE_ANSIBLE_LINT='true', GALAXY_IMPORTER_RUN_ANSIBLE_DOC='true',
               GALAXY_IMPORTER_RUN_ANSIBLE_LINT='true', GALAXY_IMPORTER_CHECK_CHANGELOG='true')
    proc = subprocess.run([os.path.join(importer_bin, 'python'), '-m', 'galaxy_importer.main', tarball], env=env,
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=900, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    assert 'Importer processing completed successfully' in output
    assert 'ansible-doc not found' not in output and 'ansible-lint not found' not in output
    problems = [line for line in output.splitlines() if re.search(r'\b(WARNING|ERROR)\b', line)]
    assert problems == [], '\n'.join(problems)


# ---- a Galaxy-installed user's first run ----------------------------------------------------------------

def test_installed_collection_runs_the_overview_by_fqcn_with_the_shipped_examples(tarball, simulator, tmp_path):
    sim = simulator
    sim.reset()
    collections = tmp_path / 'collections'
    # Not from this checkout (build/dev, on ANSIBLE_COLLECTIONS_PATH here): as from Galaxy, into a fresh path.
    install = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '-p',
                              str(collections), tarball], capture_output=True, text=True, check=False,
                             env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections)))
    assert install.returncode == 0, install.stdout + install.stderr
    installed = collections / 'ansible_collections' / 'central' / 'msp'

    # The user's own directory: the sample ansible.cfg and an inventory file copied from the installed collection.
    work = tmp_path / 'msp'
    work.mkdir()
    cfg = (installed / 'playbooks' / 'ansible.cfg.sample').read_text(encoding='utf-8')
    assert 'inventory = production.central_msp.yml' in cfg
    (work / 'ansible.cfg').write_text(cfg.replace('production.central_msp.yml', 'simulator.central_msp.yml'),
                                      encoding='utf-8')
    shutil.copy(installed / 'playbooks' / 'inventory' / 'simulator.central_msp.yml', work)

    env = ansible_env(sim.env(), tmp=str(tmp_path))
    for name in ('ANSIBLE_CALLBACK_PLUGINS', 'ANSIBLE_CALLBACKS_ENABLED', 'CENTRAL_MSP_TEST_RESULTS'):
        env.pop(name)
    env.update(ANSIBLE_COLLECTIONS_PATH=str(collections), ANSIBLE_CONFIG=str(work / 'ansible.cfg'), PWD=str(work))
    proc = subprocess.run([os.path.join(BIN, 'ansible-playbook'), 'central.msp.msp_overview'], env=env,
                          cwd=str(work), capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    for name in ('msp_overview.json', 'msp_overview.csv', 'msp_overview.html'):
        assert (work / 'reports' / name).is_file(), name
    assert 'Fleet: %d tenants' % len(sim.truth()['tenants']) in proc.stdout

    # The same ansible.cfg makes a wrong secret fail the run at once (unparsed_is_failed).
    bad = subprocess.run([os.path.join(BIN, 'ansible-playbook'), 'central.msp.msp_overview'],
                         env=dict(env, GLP_CLIENT_SECRET='wrong'), cwd=str(work), capture_output=True, text=True,
                         timeout=600, check=False)
    assert bad.returncode != 0 and 'HTTP 401 invalid_client' in bad.stdout + bad.stderr


# ---- the docs, as antsibull-docs sees them ---------------------------------------------------------------

DOCS_VENV = os.path.join(ROOT, 'build', 'venv-docs')


@pytest.fixture(scope='module')
def docs_bin():
    """build/venv-docs with requirements-docs.txt, as `make docs` makes it."""
    bin_dir = os.path.join(DOCS_VENV, 'bin')
    if not os.path.exists(os.path.join(bin_dir, 'antsibull-docs')):
        subprocess.run([sys.executable, '-m', 'venv', DOCS_VENV], check=True)
        proc = subprocess.run([os.path.join(bin_dir, 'pip'), 'install', '--quiet', '-r',
                               os.path.join(ROOT, 'requirements-docs.txt')], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            pytest.skip('cannot install requirements-docs.txt into %s: %s' % (DOCS_VENV, proc.stderr[-500:]))
    return bin_dir


def test_make_test_runs_the_docs_lint_and_it_is_clean(docs_bin):
    plan = subprocess.run(['make', '--no-print-directory', '-n', 'test'], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    assert 'tests/sanity/docs_site.py lint' in plan, plan
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'sanity', 'docs_site.py'), 'lint', '--bin',
                           docs_bin], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_make_docs_builds_the_site_offline_without_warnings(docs_bin, tmp_path):
    dest = tmp_path / 'docs'
    proc = subprocess.run([sys.executable, os.path.join(ROOT, 'tests', 'sanity', 'docs_site.py'), 'build', '--bin',
                           docs_bin, '--dest', str(dest)], capture_output=True, text=True, check=False, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    site = dest / 'html' / 'collections' / 'central' / 'msp'
    for page in ('tenants_inventory.html', 'tenant_api_call_module.html', 'msp_overview_filter.html'):
        assert (site / page).is_file(), page
    # Links into Ansible's docs resolve offline, through the fallback inventory.
    html = (site / 'tenant_api_call_module.html').read_text(encoding='utf-8')
    assert 'reference_appendices/common_return_values.html#common-return-values' in html
