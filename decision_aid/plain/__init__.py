"""The plain consultation: the same questions line by line, for screen readers and pipes."""
