"""Shared pytest set-up: make the collection importable as ansible_collections.central.msp."""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV_COLLECTIONS = os.path.join(ROOT, 'build', 'dev')


def _link_collection():
    link = os.path.join(DEV_COLLECTIONS, 'ansible_collections', 'central', 'msp')
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(ROOT, link)
    if DEV_COLLECTIONS not in sys.path:
        sys.path.insert(0, DEV_COLLECTIONS)
    os.environ['ANSIBLE_COLLECTIONS_PATH'] = DEV_COLLECTIONS


_link_collection()

pytest_plugins = ['tests.simulator.pytest_plugin']
