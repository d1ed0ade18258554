"""The GLP + Central simulator. It serves what plugins/module_utils/contract.py describes, so the collection
must be importable as ansible_collections.central.msp: the same build/dev link tests/conftest.py makes."""
import os
import sys

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_DEV = os.path.join(_ROOT, 'build', 'dev')
_LINK = os.path.join(_DEV, 'ansible_collections', 'central', 'msp')
if not os.path.islink(_LINK) and not os.path.isdir(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    try:
        os.symlink(_ROOT, _LINK)
    except FileExistsError:  # another process made it first
        pass
if _DEV not in sys.path:
    sys.path.insert(0, _DEV)
