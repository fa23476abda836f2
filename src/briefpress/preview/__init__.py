"""`briefpress preview`: every edition of a publication side by side in a browser, redrawn on save."""
