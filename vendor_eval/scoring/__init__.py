"""Pure decision maths: arrays and small dataclasses in, results out. No Qt, no database."""
