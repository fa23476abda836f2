"""Write what a build made: atomic staging and the manifest."""
