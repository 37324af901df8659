"""One module per lesson, each defining EXERCISES."""
