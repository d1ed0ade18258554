#!/usr/bin/env python
"""What HPE's published definitions say a 200 page of each list endpoint holds, as the JSON schemas in
tests/simulator/spec_schemas.json: tests hold every page the simulator serves to them, on a clone too where
the definitions themselves (../shared/specs) are not at hand.

    python tests/simulator/spec_schemas.py            # rewrite spec_schemas.json from the definitions
    python tests/simulator/spec_schemas.py --check    # exit 1 if it differs from what they give now

The definitions are found in $CENTRAL_MSP_SPECS, else <repo>/../shared/specs. For every endpoint of
contract.ENDPOINTS, the schema of the 200 answer of GET /<path> in the file its ``source`` names, with every
$ref resolved, allOf merged into one object, an anyOf/oneOf of one schema and null (or a type list with null)
folded into that schema with ``nullable``, and only the keywords that constrain a value kept: facts, not the
definitions' prose or examples.
"""
import argparse
import json
import os
import sys

if __package__ in (None, ''):
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.simulator.process import ROOT  # (tests.simulator first makes the collection importable)
from ansible_collections.central.msp.plugins.module_utils.contract import ENDPOINTS

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'spec_schemas.json')
# The keywords a value is checked against; everything else (description, example, title, default, ...) goes.
VALUE_KEYWORDS = ('type', 'enum', 'format', 'pattern', 'maxLength', 'minLength', 'minimum', 'maximum',
                  'exclusiveMinimum', 'exclusiveMaximum', 'maxItems', 'minItems', 'nullable')


def specs_dir():
    return os.environ.get('CENTRAL_MSP_SPECS') or os.path.join(os.path.dirname(ROOT), 'shared', 'specs')


class Resolver:
    def __init__(self, document):
        self.document = document

    def ref(self, pointer):
        if not pointer.startswith('#/'):
            raise ValueError(f'only local $refs are expected, got {pointer!r}')
        node = self.document
        for part in pointer[2:].split('/'):
            node = node[part.replace('~1', '/').replace('~0', '~')]
        return node

    def deref(self, node, seen=()):
        """``node`` with a top-level $ref followed (its sibling keywords, such as nullable, kept)."""
        while '$ref' in node:
            pointer = node['$ref']
            if pointer in seen:
                raise ValueError(f'recursive $ref {pointer}: not expected in a page schema')
            seen += (pointer,)
            siblings = {key: value for key, value in node.items() if key != '$ref'}
            node = dict(self.ref(pointer), **siblings)
        return node, seen

    def schema(self, node, seen=()):
        """The trimmed schema of ``node``."""
        node, seen = self.deref(node, seen)
        if 'allOf' in node:
            return merge([self.schema(part, seen) for part in node['allOf']] +
                         [self.schema({k: v for k, v in node.items() if k != 'allOf'}, seen)])
        for key in ('anyOf', 'oneOf'):
            if key in node:
                options = [self.schema(part, seen) for part in node[key]]
                nullable = any(option.get('type') == 'null' for option in options)
                options = [option for option in options if option.get('type') != 'null']
                rest = self.schema({k: v for k, v in node.items() if k != key}, seen)
                if len(options) == 1:
                    out = merge([options[0], rest])
                else:
                    out = dict(rest, anyOf=options)
                if nullable:
                    out['nullable'] = True
                return out
        out = {key: node[key] for key in VALUE_KEYWORDS if key in node}
        if isinstance(out.get('type'), list):    # OpenAPI 3.1: type: [x, 'null']
            types = [kind for kind in out['type'] if kind != 'null']
            if len(types) < len(out['type']):
                out['nullable'] = True
            out['type'] = types[0] if len(types) == 1 else types
        if 'properties' in node:
            out['properties'] = {name: self.schema(sub, seen) for name, sub in sorted(node['properties'].items())}
        if node.get('required'):
            out['required'] = sorted(node['required'])
        if 'items' in node:
            out['items'] = self.schema(node['items'], seen)
        if isinstance(node.get('additionalProperties'), dict):
            out['additionalProperties'] = self.schema(node['additionalProperties'], seen)
        elif node.get('additionalProperties') is False:
            out['additionalProperties'] = False
        return out


def merge(parts):
    """allOf: one schema that every part's constraints hold in (properties and required joined)."""
    out = {}
    for part in parts:
        for key, value in part.items():
            if key == 'properties':
                properties = out.setdefault('properties', {})
                for name, sub in value.items():
                    properties[name] = merge([properties[name], sub]) if name in properties else sub
            elif key == 'required':
                out['required'] = sorted(set(out.get('required', ())) | set(value))
            elif key in out and out[key] != value:
                raise ValueError(f'allOf parts disagree on {key}: {out[key]!r} and {value!r}')
            else:
                out[key] = value
    if 'properties' in out:
        out['properties'] = dict(sorted(out['properties'].items()))
    return out


def page_schema(document, path):
    """The trimmed schema of the JSON body of GET ``path``'s 200 answer."""
    resolver = Resolver(document)
    answer, _seen = resolver.deref(document['paths'][path]['get']['responses']['200'])
    return resolver.schema(answer['content']['application/json']['schema'])


def extract(directory):
    documents = {}
    out = {}
    for name, endpoint in sorted(ENDPOINTS.items()):
        if endpoint.source not in documents:
            with open(os.path.join(directory, endpoint.source), encoding='utf-8') as handle:
                documents[endpoint.source] = json.load(handle)
        path = '/' + endpoint.path
        out[name] = {'source': endpoint.source, 'path': path, 'page': page_schema(documents[endpoint.source], path)}
    return out


def render(schemas):
    return json.dumps(schemas, indent=1, sort_keys=True, ensure_ascii=False) + '\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--specs', help='the directory of the definitions (default: $CENTRAL_MSP_SPECS, else '
                                        '../shared/specs beside the repository)')
    parser.add_argument('--check', action='store_true', help='only compare with the committed file')
    args = parser.parse_args(argv)
    text = render(extract(args.specs or specs_dir()))
    if args.check:
        with open(OUTPUT, encoding='utf-8') as handle:
            same = handle.read() == text
        print('spec_schemas.json is up to date' if same else 'spec_schemas.json differs: regenerate it')
        return 0 if same else 1
    with open(OUTPUT, 'w', encoding='utf-8') as handle:
        handle.write(text)
    print(f'wrote {OUTPUT}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
