"""Server-rendered pages for people: needs, their matches, solutions and search."""
