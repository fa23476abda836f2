"""Text rules: characters allowed in content, chrome labels, dates and digits."""
