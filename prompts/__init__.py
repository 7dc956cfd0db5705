"""Vietnamese prompt files (``*.txt``), shipped as package data and read with importlib.resources, so that
their wording can be edited without touching code and an installed wheel carries them."""
