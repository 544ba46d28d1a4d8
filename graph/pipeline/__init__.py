"""The build and its working folder: stages, all-or-nothing output, manifest, init."""
