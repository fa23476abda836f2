"""The suite's own guard: a WeasyPrint warning fails the test or shared build it happens in."""

from __future__ import annotations

import logging

import pytest

from conftest import weasyprint_warnings_fail

# A logger of its own, so the warning logged here does not also fail this test through the
# per-test guard, which watches the real 'weasyprint' logger.
LOGGER = "briefpress-guard-test"


def test_a_warning_fails_what_logged_it() -> None:
    with pytest.raises(pytest.fail.Exception, match="WeasyPrint warned during the session build"), \
            weasyprint_warnings_fail("the session build", LOGGER):
        logging.getLogger(LOGGER).warning("ignored declaration")


def test_other_loggers_do_not_count() -> None:
    with weasyprint_warnings_fail("a build", LOGGER):
        logging.getLogger("pypdf").warning("not WeasyPrint's")
