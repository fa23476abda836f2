"""Load and validate sources: YAML and Markdown, the typed model, audience profiles."""
