"""Interactive explorers for the lessons (ipywidgets); the logic of each is a pure function tested without a browser."""
