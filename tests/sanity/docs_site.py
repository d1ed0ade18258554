"""The collection's docs with antsibull-docs: `lint` (make docs-lint, part of make test) and `build` (make docs).

    python tests/sanity/docs_site.py lint  --bin build/venv-docs/bin
    python tests/sanity/docs_site.py build --bin build/venv-docs/bin [--dest build/docs]

lint:  antsibull-docs lint-collection-docs --plugin-docs on the collection (markup, option and return value
       references, semantic markup such as O(...) and RV(...)).
build: the RST of every plugin (antsibull-docs collection --use-current), then a Sphinx HTML site in
       <dest>/html, offline. Links into Ansible's own docs resolve through a fallback intersphinx inventory
       written from docs/sphinx/ansible_devel_targets.txt; the only warnings allowed are those about an
       intersphinx inventory that cannot be reached (no network). Any other warning fails the build.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = os.path.join(ROOT, 'docs', 'sphinx')
DEV_COLLECTIONS = os.path.join(ROOT, 'build', 'dev')
COLLECTION = os.path.join(DEV_COLLECTIONS, 'ansible_collections', 'central', 'msp')
# A warning about an unreachable inventory, and the lines that detail it.
UNREACHABLE = re.compile(r'failed to reach any of the inventories|^intersphinx inventory ')


def tool_env(bin_dir):
    env = {key: value for key, value in os.environ.items() if not key.startswith('ANSIBLE_')}
    env.update(PATH=bin_dir + os.pathsep + env.get('PATH', ''), ANSIBLE_COLLECTIONS_PATH=DEV_COLLECTIONS,
               ANSIBLE_NOCOLOR='1')
    return env


def link_collection():
    os.makedirs(os.path.dirname(COLLECTION), exist_ok=True)
    if not os.path.islink(COLLECTION):
        os.symlink(ROOT, COLLECTION)


def lint(bin_dir):
    link_collection()
    return subprocess.run([os.path.join(bin_dir, 'antsibull-docs'), 'lint-collection-docs', '--plugin-docs', '.'],
                          cwd=COLLECTION, env=tool_env(bin_dir), check=False).returncode


def write_inventory(targets, path, base='https://docs.ansible.com/projects/ansible/devel/'):
    """A Sphinx (version 2) objects.inv of the targets file's entries."""
    lines = []
    with open(targets, encoding='utf-8') as handle:
        for line in handle:
            if line.strip() and not line.startswith('#'):
                name, role, uri, title = line.split(None, 3)
                lines.append('%s %s -1 %s %s' % (name, role, uri, title.strip()))
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n').encode()
    with open(path, 'wb') as handle:
        handle.write(header + zlib.compress(('\n'.join(lines) + '\n').encode('utf-8')))
    return base


def build(bin_dir, dest):
    link_collection()
    shutil.rmtree(dest, ignore_errors=True)
    rst = os.path.join(dest, 'rst')
    os.makedirs(rst)
    os.chmod(rst, 0o755)  # antsibull-docs wants its output directory writable by it alone
    for name in ('conf.py', 'antsibull-docs.cfg'):
        shutil.copy(os.path.join(SOURCES, name), dest)
    shutil.copy(os.path.join(SOURCES, 'index.rst'), rst)
    write_inventory(os.path.join(SOURCES, 'ansible_devel_targets.txt'), os.path.join(dest, 'ansible_devel.inv'))
    env = tool_env(bin_dir)
    subprocess.run([os.path.join(bin_dir, 'antsibull-docs'), '--config-file', 'antsibull-docs.cfg', 'collection',
                    '--use-current', '--dest-dir', 'rst', 'central.msp'], cwd=dest, env=env, check=True)
    warnings_file = os.path.join(dest, 'warnings.log')
    proc = subprocess.run([os.path.join(bin_dir, 'sphinx-build'), '-b', 'html', '-c', '.', '-w', warnings_file,
                           '--keep-going', '-q', 'rst', 'html'], cwd=dest, env=env, check=False)
    with open(warnings_file, encoding='utf-8') as handle:
        warnings = [line for line in handle.read().splitlines() if line.strip() and not UNREACHABLE.search(line)]
    if warnings:
        print('docs_site.py: Sphinx warnings (only unreachable intersphinx inventories are allowed):',
              *warnings, sep='\n  ', file=sys.stderr)
        return 1
    if proc.returncode != 0 or not os.path.isfile(os.path.join(dest, 'html', 'index.html')):
        print('docs_site.py: sphinx-build failed (exit %d)' % proc.returncode, file=sys.stderr)
        return proc.returncode or 1
    print('Docs site: %s' % os.path.join(dest, 'html', 'index.html'))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('action', choices=['lint', 'build'])
    parser.add_argument('--bin', required=True, help='bin directory of the venv with requirements-docs.txt')
    parser.add_argument('--dest', default=os.path.join(ROOT, 'build', 'docs'), help='where the site is built')
    args = parser.parse_args(argv)
    bin_dir = os.path.abspath(args.bin)
    return lint(bin_dir) if args.action == 'lint' else build(bin_dir, os.path.abspath(args.dest))


if __name__ == '__main__':
    sys.exit(main())
