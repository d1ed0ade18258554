# Sphinx configuration of the central.msp docs site, built by `make docs` (tests/sanity/docs_site.py) from
# the RST that `antsibull-docs collection --use-current` writes for the collection's plugins.
# Started from `antsibull-docs sphinx-init`; the fallback inventory of ansible_devel is written by docs_site.py.

project = 'central.msp'
copyright = 'central.msp contributors'
title = 'central.msp collection documentation'
html_short_title = 'central.msp'

extensions = ['sphinx.ext.autodoc', 'sphinx.ext.intersphinx', 'sphinx_antsibull_ext']

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

# Each entry: the live inventory first, then a file beside the RST (ansible_devel.inv, written from
# ansible_devel_targets.txt, so the links to Ansible's own docs resolve without network).
intersphinx_mapping = {
    'python3': ('https://docs.python.org/3/', (None, '../python3.inv')),
    'jinja2': ('https://jinja.palletsprojects.com/en/stable/', (None, '../jinja2.inv')),
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', (None, '../ansible_devel.inv')),
}

default_role = 'any'
nitpicky = True
