#!/usr/bin/env python3
"""`cfn-lint` exactly as its console script runs it, except that a template on which cfn-lint
raises an unhandled exception is reported on stderr and skipped instead of aborting the whole run.

cfn-lint 1.58.0 aborts a multi-file run at the first template that crashes it (for example
`AttributeError: 'NoneType' object has no attribute 'items'` on a template with an empty
`Parameters:` key), which would leave nothing to compare. The wrapper changes nothing else: same
process, same configuration, same rules, same output formats. The list of skipped templates is
printed on stderr as `cfn-lint-crash: PATH: ERROR` so corpus.sh can count them.
"""

import sys

import cfnlint.runner.template.runner as template_runner
from cfnlint.runner.cli import main

_original = template_runner.run_template_by_file_path


def _keep_going(filename, config, rules, ignore_bad_template):
    try:
        yield from _original(filename, config, rules, ignore_bad_template)
    except Exception as error:  # noqa: BLE001 - that is the point
        print(f"cfn-lint-crash: {filename}: {type(error).__name__}: {error}", file=sys.stderr)


template_runner.run_template_by_file_path = _keep_going

if __name__ == "__main__":
    sys.exit(main())
